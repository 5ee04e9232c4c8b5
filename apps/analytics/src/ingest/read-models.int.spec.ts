import { mongo } from 'mongoose';
import type { PublishedEvent } from '../contract/published-events.generated';
import { FiguresService } from '../figures/figures.service';
import { isProposalEvent, isRegistrationEvent } from './facts';
import { AnalyticsReadModels, type IngestStep } from './read-models';
import { sampleEvents } from './sample-events';

/**
 * Analytics' ingest on a real MongoDB-compatible server: batches written in bulk, the national
 * figures summed in cells as they come; the same figures whatever the batches, the order, the
 * redeliveries, and when the process dies between two writes of a batch.
 */
const mongoUrl = process.env.DOTPHA_MONGO_URL;
if (!mongoUrl) throw new Error('integration tests need real servers: run them through `npm test`, or start `npm run infra:up` and export what it prints');
const prefix = `ingest_${process.pid}_${Date.now().toString(36)}`;
const QUOTA: Record<string, number> = { hn: 1, hcm: 2, hp: 1 };

let client: mongo.MongoClient;
const used: string[] = [];
const events: PublishedEvent[] = [...sampleEvents(['hn', 'hcm', 'hp'], 420)];

function open(name: string, afterStep?: (step: IngestStep) => void) {
  used.push(`${prefix}_${name}`);
  const models = new AnalyticsReadModels(client.db(`${prefix}_${name}`), { afterStep });
  return { models, figures: new FiguresService(models, (i) => QUOTA[i]) };
}

/** Everything the API answers from the read models. */
async function shown({ figures }: ReturnType<typeof open>) {
  return {
    full: await figures.figures({ groupBy: ['instance', 'field', 'period', 'status'], period: 'quarter' }),
    byMonth: await figures.figures({ groupBy: ['period'], period: 'month', from: '2025-03-01', to: '2026-01-01' }),
    registrations: await figures.registrations(),
    sources: await figures.sources(),
  };
}

const batches = (all: readonly PublishedEvent[], size: number) => Array.from({ length: Math.ceil(all.length / size) }, (_, i) => all.slice(i * size, (i + 1) * size));
const shuffled = (all: readonly PublishedEvent[]) => all.map((e, i) => ({ e, k: (i * 7_919) % 1_009 })).sort((a, b) => a.k - b.k).map(({ e }) => e);

let expected: Awaited<ReturnType<typeof shown>>;

beforeAll(async () => {
  client = await mongo.MongoClient.connect(mongoUrl);
  const whole = open('whole');
  await whole.models.ingestBatch(events);
  expected = await shown(whole);
}, 120_000);

afterAll(async () => {
  for (const name of used) await client.db(name).dropDatabase().catch(() => undefined);
  await client?.close();
}, 60_000);

describe('analytics ingest in batches (issue 15)', () => {
  it('the cells give the figures the proposals give, for every group and a range of months', async () => {
    const whole = open('whole');
    expect(expected.full.length).toBeGreaterThan(20);
    expect(expected.registrations.length).toBeGreaterThan(2);
    expect(expected.sources.map((s) => s.instance)).toEqual(['hcm', 'hn', 'hp']);
    // A date off the first of a month is answered from the proposals themselves: the same sums.
    expect(await whole.figures.figures({ groupBy: ['instance', 'field', 'period', 'status'], period: 'quarter', from: '2000-01-02' })).toEqual(expected.full);
    // From the second day of the busiest month: that month from the proposals, the later ones as the cells have them.
    const busiest = [...expected.byMonth].sort((a, b) => b.counts.proposals - a.counts.proposals)[0].group.period as string;
    const rows = await whole.figures.figures({ groupBy: ['period'], period: 'month', from: `${busiest}-02`, to: '2026-01-01' });
    const after = (r: { group: { period?: unknown } }) => (r.group.period as string) > busiest;
    expect(rows.filter(after)).toEqual(expected.byMonth.filter(after));
    const of = (list: typeof rows) => list.find((r) => r.group.period === busiest)?.counts.proposals ?? 0;
    expect(of(rows)).toBeLessThanOrEqual(of(expected.byMonth));
    // What each instance has sent: every proposal and registration event, once.
    expect(expected.sources.reduce((sum, s) => sum + s.events, 0)).toBe(events.filter((e) => isProposalEvent(e) || isRegistrationEvent(e)).length);
  });

  it('the same figures from small batches in another order, and events delivered again change nothing', async () => {
    const split = open('split');
    for (const batch of batches(shuffled(events), 37)) await split.models.ingestBatch(batch);
    expect(await shown(split)).toEqual(expected);
    const again = (await Promise.all(batches(events, 100).map((b) => split.models.ingestBatch(b)))).flat();
    expect(new Set(again)).toEqual(new Set(['duplicate', 'ignored']));
    expect(await shown(split)).toEqual(expected);
  }, 120_000);

  it.each<IngestStep>(['facts-written', 'sheets-folded'])('a process dying after a batch\'s step "%s", then the batch delivered again: the right figures', async (step) => {
    const name = `crash_${step.replace('-', '_')}`;
    const [first, ...rest] = batches(events, 150);
    let dies = true;
    const dying = open(name, (at) => {
      if (at === step && dies) throw new Error(`the process died after ${at}`);
    });
    await expect(dying.models.ingestBatch(first)).rejects.toThrow('died');
    dies = false;
    // A new process reads the same database; Kafka delivers the batch again (its offsets were never committed), then the rest.
    const next = open(name);
    for (const batch of [first, ...rest]) await next.models.ingestBatch(batch);
    expect(await shown(next)).toEqual(expected);
  }, 120_000);
});
