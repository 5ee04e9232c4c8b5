/**
 * Central analytics (issue 15): the public events of three instances, made
 * from the contract's schemas (apps/analytics/src/ingest/sample-events.ts) and produced straight
 * onto the instances' public topics with a raw kafkajs producer; read back by raw kafkajs (the
 * limit: JSON.parse of each message, nothing stored) and by the analytics service as it runs
 * (NestJS Kafka transport, micro-batches written in bulk, national figures summed as they come);
 * then the national query over the read models of 1,000,000 events.
 *   npm run bench:analytics      (or BENCH_ONLY=analytics npm run bench)
 *   DOTPHA_MONGO_SERVER=mongo-java-server npm run bench:analytics   (the indexed server; unset DOTPHA_KAFKA_BROKERS/DOTPHA_MONGO_URL)
 *   BENCH_ANALYTICS_EVENTS (events through Kafka, 100,000), BENCH_ANALYTICS_BUDGET_S (seconds the service may ingest them, 420),
 *   BENCH_ANALYTICS_QUERY_EVENTS (the size of the national query, 1,000,000)
 * Writes bench/results/analytics.{json,md,png}; `analyticsSuite(ctx)` is the step of bench/run.ts.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import Ajv from 'ajv';
import { Kafka, logLevel } from 'kafkajs';
import { mongo } from 'mongoose';
// The bench drives the analytics service as it runs, with events made from the published contract.
import { type Analytics, startAnalytics } from '../../apps/analytics/src/analytics';
import type { PublishedEvent } from '../../apps/analytics/src/contract/published-events.generated';
import { type Sheet, revKey, sheetChanges } from '../../apps/analytics/src/ingest/cube';
import { type ProposalFacts, type RegistrationFacts, factsOf, isProposalEvent, isRegistrationEvent } from '../../apps/analytics/src/ingest/facts';
import { FiguresService } from '../../apps/analytics/src/figures/figures.service';
import { AnalyticsReadModels } from '../../apps/analytics/src/ingest/read-models';
import { contextOf, payloadSchema, sampleEvents } from '../../apps/analytics/src/ingest/sample-events';
import { type Panel, renderSvg, writePng } from '../lib/chart';
import { percentile } from '../lib/load';
import { acquireServers, loadAverage } from '../lib/servers';
import { figure } from '../lib/stats';

const INSTANCES = ['hn', 'hcm', 'hp'];
const CONTEXTS = ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards', 'audit'];
const PARTITIONS = 3;
const QUERY_RUNS = 30;

interface Ctx {
  readonly kafkaBrokers: string[];
  readonly mongoUrl: string;
  readonly kafkaKind: string;
  readonly mongoKind: string;
  readonly tag: string;
  log(message: string): void;
}

export interface QueryFigures { events: number; proposals: number; sheets: number; byInstance: { p50: number; p95: number }; byAll: { p50: number; p95: number; rows: number }; scan?: { ms: number } }

export interface AnalyticsBenchResult {
  readonly at: string;
  readonly servers: { kafka: string; mongo: string };
  readonly load: { atStart: number[]; atEnd: number[] };
  readonly produced: { events: number; applicable: number; bytes: number; seconds: number; topics: number; partitions: number; types: Record<string, number>; schemaProblems: string[] };
  readonly raw: { events: number; seconds: number; eventsPerSecond: number };
  readonly ingest: {
    budgetSeconds: number; seconds: number; applied: number; complete: boolean; eventsPerSecond: number;
    /** Applied events reached along the way: the trend as the read models grow. */
    checkpoints: { applied: number; seconds: number; eventsPerSecond: number; query: { p50: number; p95: number } }[];
  };
  readonly query: QueryFigures;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const topicOf = (prefix: string, event: PublishedEvent) => `${prefix}.${event.instance}.public.${contextOf(event.type)}`;
const applicable = (event: PublishedEvent) => isProposalEvent(event) || isRegistrationEvent(event);

/** Every event straight onto the instances' public topics (key = stream, as the instances publish). */
async function produce(kafka: Kafka, prefix: string, total: number, log: Ctx['log']): Promise<AnalyticsBenchResult['produced']> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const ajv = new Ajv({ strict: false, validateFormats: false });
  const checked = new Set<string>();
  const schemaProblems: string[] = [];
  const types: Record<string, number> = {};
  let events = 0;
  let relevant = 0;
  let bytes = 0;
  let buffered = new Map<string, { key: string; value: string }[]>();
  let count = 0;
  const flush = async () => {
    await producer.sendBatch({ topicMessages: [...buffered].map(([topic, messages]) => ({ topic, messages })) });
    buffered = new Map();
    count = 0;
  };
  const started = Date.now();
  for (const event of sampleEvents(INSTANCES, total)) {
    if (!checked.has(event.type)) {
      checked.add(event.type);
      const type = event.type;
      // The first of each type checked against the contract's schema.
      const validate = ajv.compile(payloadSchema(event.type)!);
      if (!validate(JSON.parse(JSON.stringify(event)))) schemaProblems.push(`${type}: ${ajv.errorsText(validate.errors)}`);
    }
    const value = JSON.stringify(event);
    const topic = topicOf(prefix, event);
    let list = buffered.get(topic);
    if (!list) buffered.set(topic, (list = []));
    list.push({ key: event.streamId, value });
    types[event.type] = (types[event.type] ?? 0) + 1;
    events++;
    bytes += value.length;
    if (applicable(event)) relevant++;
    if (++count >= 5_000) await flush();
    if (events % 200_000 === 0) log(`produced ${events.toLocaleString('en-US')} events`);
  }
  if (count) await flush();
  await producer.disconnect();
  return { events, applicable: relevant, bytes, seconds: round((Date.now() - started) / 1000), topics: INSTANCES.length * CONTEXTS.length, partitions: PARTITIONS, types, schemaProblems };
}

/** Raw kafkajs: a consumer group reads every message and parses it; nothing else. */
async function rawConsumption(kafka: Kafka, topics: string[], total: number, tag: string): Promise<AnalyticsBenchResult['raw']> {
  const consumer = kafka.consumer({ groupId: `bench-raw-${tag}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let read = 0;
  const started = Date.now();
  await new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 16,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) JSON.parse(message.value!.toString());
        read += batch.messages.length;
        if (read >= total) resolve();
      },
    });
  });
  const seconds = (Date.now() - started) / 1000;
  await consumer.disconnect();
  return { events: total, seconds: round(seconds), eventsPerSecond: Math.round(total / seconds) };
}

async function timeQueries(analytics: Pick<Analytics, 'figures'>, runs: number) {
  const time = async (run: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      await run();
      if (i >= 2) samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { p50: round(percentile(samples, 0.5)), p95: round(percentile(samples, 0.95)) };
  };
  const byInstance = await time(() => analytics.figures.figures({ groupBy: ['instance'] }));
  const rows = (await analytics.figures.figures({ groupBy: ['instance', 'field', 'period', 'status'], period: 'quarter' })).length;
  const byAll = await time(() => analytics.figures.figures({ groupBy: ['instance', 'field', 'period', 'status'], period: 'quarter' }));
  return { byInstance, byAll: { ...byAll, rows } };
}

/**
 * The read models `total` events leave, built at once by analytics' own pure functions (facts.ts
 * applies each event, cube.ts sums the sheets) and inserted: the national query at a size the
 * ingest cannot reach within the bench's time here.
 */
async function fillAtOnce(models: AnalyticsReadModels, total: number): Promise<number> {
  const facts = new Map<string, ProposalFacts | RegistrationFacts>();
  let events = 0;
  for (const event of sampleEvents(INSTANCES, total)) {
    events++;
    const target = factsOf(event);
    if (target) facts.set(target.id, target.apply(facts.get(target.id) ?? target.empty(), event));
  }
  const sheets = new Map<string, Sheet>();
  for (const doc of facts.values()) {
    for (const { sheet, dims, cells } of sheetChanges(undefined, doc)) {
      let entry = sheets.get(sheet);
      if (!entry) sheets.set(sheet, (entry = { _id: sheet, ...dims, c: {}, revs: {} }));
      for (const [cell, sums] of Object.entries(cells)) {
        const into = (entry.c![cell] ??= {}) as Record<string, number>;
        for (const [measure, n] of Object.entries(sums)) into[measure] = (into[measure] ?? 0) + n;
      }
      entry.revs![revKey(doc._id).slice('revs.'.length)] = doc.rev;
    }
  }
  const docs = [...facts.values()];
  const proposals = docs.filter((d) => 'proposalId' in d);
  const registrations = docs.filter((d) => !('proposalId' in d));
  for (let at = 0; at < proposals.length; at += 5000) await (models.proposals as unknown as mongo.Collection).insertMany(proposals.slice(at, at + 5000) as never[]);
  if (registrations.length) await (models.registrations as unknown as mongo.Collection).insertMany(registrations as never[]);
  await models.sheets.insertMany([...sheets.values()]);
  await models.sources.insertMany(INSTANCES.map((instance) => ({ _id: instance, lastRecordedAt: new Date().toISOString() })));
  return events;
}

export async function analyticsSuite(ctx: Ctx): Promise<AnalyticsBenchResult> {
  const atStart = loadAverage();
  const total = Number(process.env.BENCH_ANALYTICS_EVENTS ?? 100_000);
  const queryEvents = Number(process.env.BENCH_ANALYTICS_QUERY_EVENTS ?? 1_000_000);
  const budgetSeconds = Number(process.env.BENCH_ANALYTICS_BUDGET_S ?? 420);
  const prefix = `bench${ctx.tag}`;
  const groupId = `bench-analytics-${ctx.tag}`;
  const database = `bench_analytics_${ctx.tag}`;
  const kafka = new Kafka({ clientId: 'bench-analytics', brokers: ctx.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = INSTANCES.flatMap((i) => CONTEXTS.map((c) => `${prefix}.${i}.public.${c}`));
  for (let attempt = 1; ; attempt++) {
    // A broker just started may not yet lead its new partitions when asked (UNKNOWN_TOPIC_OR_PARTITION): asked again.
    try {
      await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: -1 })), waitForLeaders: true });
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  let analytics: Analytics | undefined;
  try {
    const produced = await produce(kafka, prefix, total, ctx.log);
    ctx.log(`produced ${produced.events.toLocaleString('en-US')} events (${produced.applicable.toLocaleString('en-US')} of them proposal or registration events) in ${produced.seconds} s; schema problems: ${produced.schemaProblems.length}`);
    const raw = await rawConsumption(kafka, topics, produced.events, ctx.tag);
    ctx.log(`raw kafkajs: ${raw.eventsPerSecond} events/s`);

    const sizes = [Math.round(produced.applicable / 10), Math.round(produced.applicable * 0.3), produced.applicable];
    const checkpoints: AnalyticsBenchResult['ingest']['checkpoints'] = [];
    const started = Date.now();
    analytics = await startAnalytics({
      brokers: ctx.kafkaBrokers, topicPrefix: prefix, instances: INSTANCES, groupId, mongoUrl: ctx.mongoUrl, database,
      quota: () => 1, holidays: [], timeZone: 'Asia/Ho_Chi_Minh', discoverEveryMs: 600_000, port: 0, host: '127.0.0.1', log: ctx.log,
    });
    let applied = 0;
    const appliedNow = async () => (await analytics!.figures.sources()).reduce((sum, s) => sum + s.events, 0);
    for (;;) {
      applied = await appliedNow();
      const seconds = (Date.now() - started) / 1000;
      while (checkpoints.length < sizes.length && applied >= sizes[checkpoints.length]) {
        // The national query at this size, while the ingest goes on.
        const { byInstance: query } = await timeQueries(analytics, 10);
        checkpoints.push({ applied, seconds: round(seconds), eventsPerSecond: Math.round(applied / seconds), query });
        ctx.log(`analytics: ${applied.toLocaleString('en-US')} events applied in ${round(seconds)} s (${Math.round(applied / seconds)}/s); national query p50 ${query.p50} ms`);
      }
      if (applied >= produced.applicable || seconds > budgetSeconds) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const seconds = (Date.now() - started) / 1000;
    const complete = applied >= produced.applicable;
    const ingest = { budgetSeconds, seconds: round(seconds), applied, complete, eventsPerSecond: Math.round(applied / seconds), checkpoints };
    ctx.log(`analytics ingest: ${applied.toLocaleString('en-US')} of ${produced.applicable.toLocaleString('en-US')} events in ${round(seconds)} s${complete ? '' : ' (budget reached)'}`);
    await analytics.close();
    analytics = undefined;

    const client = await mongo.MongoClient.connect(ctx.mongoUrl);
    try {
      await client.db(database).dropDatabase();
      // The national query at the full size, over read models built at once (the ingest above stops at its size).
      const queryDb = `${database}_q`;
      const models = new AnalyticsReadModels(client.db(queryDb));
      const t0 = Date.now();
      const events = await fillAtOnce(models, queryEvents);
      ctx.log(`read models of ${events.toLocaleString('en-US')} events built and inserted in ${round((Date.now() - t0) / 1000)} s`);
      const figures = new FiguresService(models, () => 1);
      const timed = await timeQueries({ figures }, QUERY_RUNS);
      // The same figures read from every proposal (what a date off the first of a month asks): what the sheets spare.
      const t1 = performance.now();
      await figures.figures({ groupBy: ['instance'], from: '2000-01-02' });
      const scan = { ms: Math.round(performance.now() - t1) };
      const query: QueryFigures = {
        events, proposals: await models.proposals.countDocuments({}), sheets: await models.sheets.countDocuments({}), ...timed, scan,
      };
      ctx.log(`national query over ${events.toLocaleString('en-US')} events (${query.proposals} proposals, ${query.sheets} sheets): by instance p50 ${query.byInstance.p50} ms p95 ${query.byInstance.p95} ms; all four p50 ${query.byAll.p50} ms; from every proposal ${scan.ms} ms`);
      await client.db(queryDb).dropDatabase();
      return { at: new Date().toISOString(), servers: { kafka: ctx.kafkaKind, mongo: ctx.mongoKind }, load: { atStart, atEnd: loadAverage() }, produced, raw, ingest, query };
    } finally {
      await client.close();
    }
  } finally {
    await analytics?.close().catch(() => undefined);
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

const n = (x: number) => x.toLocaleString('en-US');

/** bench/results/analytics.{json,md,png}. */
export function writeAnalyticsResults(r: AnalyticsBenchResult, dir = path.join(__dirname, '..', 'results')): void {
  fs.writeFileSync(path.join(dir, 'analytics.json'), `${JSON.stringify(r, null, 2)}\n`);
  const mjs = /mongo-java-server/i.test(r.servers.mongo);
  const lines = [
    `# Central analytics at ${n(r.produced.events)} events (${r.at.slice(0, 16).replace('T', ' ')} UTC)`, '',
    '| | |', '|---|---|',
    `| Kafka | ${r.servers.kafka} |`,
    `| MongoDB server (every analytics figure below) | ${r.servers.mongo} |`,
    `| machine | ${os.cpus().length} cores; load average (1, 5, 15 min) at start ${r.load.atStart.join(', ')}, at end ${r.load.atEnd.join(', ')} |`,
    `| events through Kafka | ${n(r.produced.events)} public events of three instances (hn, hcm, hp) on ${r.produced.topics} topics of ${r.produced.partitions} partitions, ${n(Math.round(r.produced.bytes / r.produced.events))} bytes each on average; ${n(r.produced.applicable)} of them proposal and registration events analytics applies, the others (reviews opened, votes, assignments…) read and skipped, and audit checkpoints on the audit topics, which analytics does not read; made from the contract's schemas (docs/asyncapi.json; the first of each type checked against its schema: ${r.produced.schemaProblems.length ? r.produced.schemaProblems.join('; ') : 'all valid'}), produced with a raw kafkajs producer in ${r.produced.seconds} s |`,
    '', '## Ingest', '',
    '| reader | events | seconds | events/s |', '|---|---|---|---|',
    `| raw kafkajs consumer group (eachBatch, JSON.parse of each message, nothing stored: the limit) | ${n(r.raw.events)} read | ${r.raw.seconds} | **${n(r.raw.eventsPerSecond)}** |`,
    ...r.ingest.checkpoints.map((c) => `| analytics (NestJS Kafka transport, micro-batches, bulk writes, figures summed as they come): first ${n(c.applied)} applied | ${n(c.applied)} applied | ${c.seconds} | **${n(c.eventsPerSecond)}** |`),
    ...(r.ingest.complete ? [] : [`| analytics, when its budget of ${r.ingest.budgetSeconds} s ran out | ${n(r.ingest.applied)} applied | ${r.ingest.seconds} | **${n(r.ingest.eventsPerSecond)}** |`]),
    '',
    'Events/s of analytics count the events it applied (each written to its proposal\'s or registration\'s facts and folded into the national figures, durably, before its offset is committed); the skipped types come on top. The clock starts when the service starts (the consumer group\'s join included), as the raw reader\'s does.',
    '', `## National query over ${n(r.query.events)} events`, '',
    `Read models of ${n(r.query.events)} events of the same mix (${n(r.query.proposals)} proposals), built at once by analytics' own functions (facts.ts applies each event, cube.ts sums the sheets) and inserted: the ingest above does not reach that size within the bench's time here. ${n(r.query.sheets)} sheets of figures (a sheet per instance and month, a cell per field and status in it). \`GET /api/v1/national/figures\` as the service answers it (FiguresService.figures), ${QUERY_RUNS} runs after 2 warm-ups.`, '',
    '| query | p50 | p95 |', '|---|---|---|',
    `| by instance | ${r.query.byInstance.p50} ms | ${r.query.byInstance.p95} ms |`,
    `| by instance, field, quarter and status (${r.query.byAll.rows} rows) | ${r.query.byAll.p50} ms | ${r.query.byAll.p95} ms |`,
    ...(r.query.scan ? [`| by instance from every proposal's facts (a date off the first of a month; once) | ${n(r.query.scan.ms)} ms | |`] : []),
    '', 'Along the ingest (the query while the service was writing):', '',
    '| events applied | national query by instance, p50 | p95 |', '|---|---|---|',
    ...r.ingest.checkpoints.map((c) => `| ${n(c.applied)} | ${c.query.p50} ms | ${c.query.p95} ms |`),
    '', '## Notes', '',
    mjs
      ? '- mongo-java-server 1.46 (in memory, one JVM, started by test/infra/servers.mjs) finds documents by `_id` through its index (the batch\'s read of its facts documents) and scans for any other filter; nothing goes to disk. It stands in for an indexed MongoDB here; its figures are not MongoDB\'s.\n' +
        '- Why the ingest slows as the read models grow: a facts document is replaced only if nobody changed it meanwhile, filter `{ _id, rev }` (what keeps several replicas safe), and mongo-java-server uses its `_id` index only for a filter on `_id` alone. Measured on it: 7.9 ms a replacement by `_id` and `rev` among 9,000 documents, 42.5 ms among 90,000, against 0.3-0.5 ms by `_id` alone. On MongoDB the `_id` index serves that filter (the rev is checked on the one document found).'
      : '- FerretDB 1.24 (SQLite) uses no index, not even `_id`\'s (docs/ferretdb.md): each read of a batch\'s facts documents and each replacement scans the collection, so the ingest slows as the read models grow. Run with DOTPHA_MONGO_SERVER=mongo-java-server for an indexed server.',
    '- Command: `DOTPHA_MONGO_SERVER=mongo-java-server npm run bench:analytics` with DOTPHA_KAFKA_BROKERS and DOTPHA_MONGO_URL unset (the bench starts its own Kafka broker and server), or `BENCH_ONLY=analytics npm run bench`.',
    '',
  ];
  fs.writeFileSync(path.join(dir, 'analytics.md'), lines.join('\n'));
  const panels: Panel[] = [
    {
      title: 'Ingest of the public events of three instances',
      unit: 'events/s',
      groups: [
        { label: 'raw kafkajs', bars: [{ series: 'raw kafkajs (limit)', figure: fig(r.raw.eventsPerSecond) }] },
        ...r.ingest.checkpoints.map((c) => ({ label: `analytics, ${n(c.applied)}`, bars: [{ series: 'analytics', figure: fig(c.eventsPerSecond) }] })),
      ],
    },
    {
      title: `National query (${n(r.query.proposals)} proposals)`,
      unit: 'ms',
      groups: [
        { label: 'by instance', bars: [{ series: 'p50', figure: fig(r.query.byInstance.p50) }, { series: 'p95', figure: fig(r.query.byInstance.p95) }] },
        { label: 'by all four', bars: [{ series: 'p50', figure: fig(r.query.byAll.p50) }, { series: 'p95', figure: fig(r.query.byAll.p95) }] },
        ...(r.query.scan ? [{ label: 'every proposal', bars: [{ series: 'p50', figure: fig(r.query.scan.ms) }] }] : []),
      ],
    },
  ];
  writePng(renderSvg('Đột Phá: central analytics', `${os.cpus().length} cores · ${r.servers.mongo} · ${r.servers.kafka} · ${r.at.slice(0, 16).replace('T', ' ')} UTC`, panels), path.join(dir, 'analytics.png'));
}

const fig = (value: number) => figure([value]);

async function main(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[bench analytics ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  const servers = await acquireServers(log);
  try {
    const result = await analyticsSuite({ kafkaBrokers: servers.kafkaBrokers, mongoUrl: servers.mongoUrl, kafkaKind: servers.kafkaKind, mongoKind: servers.mongoKind, tag: Date.now().toString(36), log });
    writeAnalyticsResults(result);
    log('wrote bench/results/analytics.{json,md,png}');
  } finally {
    await servers.stop();
  }
}

if (require.main === module && process.env.BENCH_RENDER_ONLY === '1') writeAnalyticsResults(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'results', 'analytics.json'), 'utf8')));
else if (require.main === module) void main().then(() => process.exit(0), (error) => (process.stderr.write(`${error?.stack ?? error}\n`), process.exit(1)));
