// The outbox metrics as a scrape reads them, from a real store (the embedded one, on disk): the
// depth counted by the store (countUndispatched), the oldest age from the one event it reads.
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { EmbeddedEventStore } from '@dotpha/event-store-embedded';
import { note, sampleRegistry } from '@dotpha/testkit';
import { RuntimeMetrics } from './metrics';

let dir: string;
let store: EmbeddedEventStore;
let metrics: RuntimeMetrics;
const recordedAt = new Date('2026-03-02T08:00:00.000Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dotpha-metrics-'));
  store = await EmbeddedEventStore.open({ location: dir, instance: 'tm', registry: sampleRegistry(), now: () => recordedAt });
  const kernel = { spec: { name: 'proposals' }, store, consumers: async () => [], deadLetters: async () => [] };
  metrics = new RuntimeMetrics({ kernels: [kernel] }, { instance: 'tm', service: 'proposals' });
});

afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** The value of a metric of the proposals service, as the text Prometheus reads says it. */
async function scraped(name: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes('service="proposals"'));
  return Number(line?.split(' ').at(-1));
}

it('reports the outbox depth the store counts (appends not yet published) and the age of the oldest, both 0 once published', async () => {
  await store.append({ streamId: 'note-1', streamType: 'note', expectedVersion: 0, events: [note('a'), note('b')] });
  await store.append({ streamId: 'note-2', streamType: 'note', expectedVersion: 0, events: [note('c')] });
  expect(await scraped('dotpha_outbox_depth')).toBe(2);
  expect(await scraped('dotpha_outbox_oldest_age_seconds')).toBeGreaterThan((Date.now() - recordedAt.getTime()) / 1000 - 60);
  await store.markDispatched(await store.undispatched(100));
  // A scrape later than the last one's shared read (500 ms).
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(await scraped('dotpha_outbox_depth')).toBe(0);
  expect(await scraped('dotpha_outbox_oldest_age_seconds')).toBe(0);
});
