/**
 * Central analytics (issue 15): how fast it ingests the public events of three instances (events/s,
 * through the NestJS Kafka transport into its MongoDB read models) beside raw kafkajs consumption
 * of the same topics on the same broker (JSON.parse of each message, nothing stored: the limit), and
 * how long a national query takes over the facts of 1,000,000 events.
 *   npm run bench:analytics   (BENCH_ANALYTICS_EVENTS, BENCH_ANALYTICS_QUERY_EVENTS to change the sizes)
 * Writes bench/results/analytics.{json,md}; `analyticsSuite(ctx)` is the step for bench/run.ts.
 */
import fs from 'fs';
import path from 'path';
import { randomUUID } from 'crypto';
import { Kafka, logLevel } from 'kafkajs';
import { mongo } from 'mongoose';
// The bench drives the analytics service as it runs, with synthetic published events.
import { startAnalytics } from '../../apps/analytics/src/analytics';
import { type ProposalFacts, applyProposalEvent, emptyProposal, isProposalEvent } from '../../apps/analytics/src/ingest/facts';
import type { PublishedEvent } from '../../apps/analytics/src/contract/published-events.generated';
import { acquireServers } from '../lib/servers';

const INSTANCES = ['hn', 'hcm', 'hp'];
const FIELDS = ['party-building', 'socio-economic', 'security-defence', 'administrative-reform', 'other'];
const OUTCOMES = ['achieved', 'partially-achieved', 'not-achieved'];
const LIABILITY = ['none', 'excluded', 'exempted', 'reduced', 'upheld'];

export interface AnalyticsBenchResult {
  readonly ingest: { events: number; rawEventsPerSecond: number; analyticsEventsPerSecond: number };
  readonly query: { events: number; proposals: number; byInstanceMs: number; byAllDimensionsMs: number; rows: number };
}

interface Ctx {
  readonly kafkaBrokers: string[];
  readonly mongoUrl: string;
  readonly tag: string;
  log(message: string): void;
}

/** The public events of one proposal's life, as an instance publishes them (no restricted field). */
function proposalEvents(instance: string, i: number): PublishedEvent[] {
  const proposalId = `p-${instance}-${i}`;
  const day = (d: number) => new Date(Date.UTC(2025, 0, 1) + ((i * 7 + d) % 700) * 86_400_000).toISOString();
  const envelope = (type: string, data: Record<string, unknown>, position: number) => ({
    eventId: randomUUID(), type, version: 2, streamId: `proposal-${proposalId}`, streamType: 'proposal', streamPosition: position,
    occurredAt: day(position), recordedAt: day(position), instance, actor: { userId: 'u-x', role: 'cadre' }, correlationId: proposalId,
    causationId: null, classification: 'public', prevHash: '0', hash: '1', data: { proposalId, proposerId: 'u-x', proposerUnitId: `${instance}-unit-${i % 40}`, ...data },
  }) as unknown as PublishedEvent;
  const events = [envelope('ProposalSubmitted', { field: FIELDS[i % 5], problemType: 'regulated-but-unsuitable', isScheme: i % 7 === 0, revision: 1, submittedAt: day(0), title: 't' }, 1)];
  if (i % 5 === 4) return [...events, envelope('ProposalRejected', { overdue: i % 3 === 0, rejectedAt: day(6) }, 2)];
  events.push(envelope('ProposalApproved', { decision: 'pilot', overdue: i % 4 === 0, decidedAt: day(1 + (i % 9)) }, 2));
  events.push(envelope('PilotPlanned', { plannedAt: day(10) }, 3), envelope('PilotStarted', { startedAt: day(11) }, 4));
  if (i % 3 === 0) return events;
  events.push(envelope('PilotCompleted', { endedAt: day(200) }, 5), envelope('OutcomeAssessed', { outcome: OUTCOMES[i % 3], round: 1, late: i % 6 === 1 }, 6));
  events.push(envelope('LiabilityDecided', { liability: LIABILITY[i % 5] }, 7));
  if (i % 2 === 0) events.push(envelope('RecognitionGranted', { grantedAt: day(230) }, 8));
  return events;
}

/** About `events` events spread over the three instances, proposal by proposal. */
function eventsOf(total: number, each: (event: PublishedEvent) => void): number {
  let count = 0;
  for (let i = 0; count < total; i++) {
    for (const event of proposalEvents(INSTANCES[i % 3], i)) {
      each(event);
      count++;
    }
  }
  return count;
}

async function ingestBench(ctx: Ctx, total: number): Promise<AnalyticsBenchResult['ingest']> {
  const prefix = `bench${ctx.tag}`;
  const kafka = new Kafka({ clientId: 'bench-analytics', brokers: ctx.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await Promise.all([admin.connect(), producer.connect()]);
  const topics = INSTANCES.flatMap((i) => ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards'].map((c) => `${prefix}.${i}.public.${c}`));
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: -1 })), waitForLeaders: true });
  const contextOf: Record<string, string> = {
    ProposalSubmitted: 'proposals', ProposalRejected: 'approvals', ProposalApproved: 'approvals', PilotPlanned: 'monitoring', PilotStarted: 'monitoring',
    PilotCompleted: 'monitoring', OutcomeAssessed: 'evaluation', LiabilityDecided: 'evaluation', RecognitionGranted: 'rewards',
  };
  const batches = new Map<string, { key: string; value: string }[]>();
  const events = eventsOf(total, (event) => {
    const topic = `${prefix}.${event.instance}.public.${contextOf[event.type]}`;
    batches.set(topic, [...(batches.get(topic) ?? []), { key: event.streamId, value: JSON.stringify(event) }]);
  });
  for (const [topic, messages] of batches) {
    for (let at = 0; at < messages.length; at += 2000) await producer.send({ topic, messages: messages.slice(at, at + 2000) });
  }
  ctx.log(`analytics ingest: ${events} events on ${topics.length} topics`);

  // Raw kafkajs: a consumer group reads every message and parses it.
  const consumer = kafka.consumer({ groupId: `bench-raw-${ctx.tag}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let read = 0;
  const rawStarted = Date.now();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        JSON.parse(message.value!.toString());
        if (++read === events) resolve();
      },
    });
  });
  const rawSeconds = (Date.now() - rawStarted) / 1000;
  await consumer.disconnect();

  // Analytics: the same topics through the NestJS Kafka transport into its read models.
  const database = `bench_analytics_${ctx.tag}`;
  const started = Date.now();
  const analytics = await startAnalytics({
    brokers: ctx.kafkaBrokers, topicPrefix: prefix, instances: INSTANCES, groupId: `bench-analytics-${ctx.tag}`, mongoUrl: ctx.mongoUrl, database,
    quota: () => 1, holidays: [], timeZone: 'Asia/Ho_Chi_Minh', discoverEveryMs: 60_000, port: 0, host: '127.0.0.1', log: ctx.log,
  });
  try {
    for (;;) {
      const applied = (await analytics.figures.sources()).reduce((sum, s) => sum + s.events, 0);
      if (applied >= events) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await analytics.close();
  }
  const seconds = (Date.now() - started) / 1000;
  const client = await mongo.MongoClient.connect(ctx.mongoUrl);
  await client.db(database).dropDatabase();
  await client.close();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await Promise.all([admin.disconnect(), producer.disconnect()]);
  return { events, rawEventsPerSecond: Math.round(events / rawSeconds), analyticsEventsPerSecond: Math.round(events / seconds) };
}

async function queryBench(ctx: Ctx, total: number): Promise<AnalyticsBenchResult['query']> {
  // The facts 1,000,000 events leave behind, written straight into the read model (the ingest is measured above).
  const facts = new Map<string, ProposalFacts>();
  const events = eventsOf(total, (event) => {
    if (!isProposalEvent(event)) return;
    const id = `${event.instance}/${event.data.proposalId}`;
    facts.set(id, applyProposalEvent(facts.get(id) ?? emptyProposal(event.instance, event.data.proposalId), event));
  });
  const database = `bench_analytics_q_${ctx.tag}`;
  const analytics = await startAnalytics({
    brokers: ctx.kafkaBrokers, topicPrefix: `bench${ctx.tag}none`, instances: ['none'], groupId: `bench-q-${ctx.tag}`, mongoUrl: ctx.mongoUrl, database,
    quota: () => 1, holidays: [], timeZone: 'Asia/Ho_Chi_Minh', discoverEveryMs: 60_000, port: 0, host: '127.0.0.1', log: ctx.log,
  });
  try {
    const docs = [...facts.values()];
    for (let at = 0; at < docs.length; at += 5000) await analytics.models.proposals.insertMany(docs.slice(at, at + 5000));
    ctx.log(`analytics query: ${docs.length} proposals' facts from ${events} events`);
    const time = async (groupBy: ('instance' | 'field' | 'period' | 'status')[]) => {
      const samples: number[] = [];
      let rows = 0;
      for (let run = 0; run < 4; run++) {
        const started = process.hrtime.bigint();
        rows = (await analytics.figures.figures({ groupBy, period: 'quarter' })).length;
        if (run > 0) samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      return { ms: Math.round(samples.sort((a, b) => a - b)[1]), rows };
    };
    const byInstance = await time(['instance']);
    const all = await time(['instance', 'field', 'period', 'status']);
    return { events, proposals: docs.length, byInstanceMs: byInstance.ms, byAllDimensionsMs: all.ms, rows: all.rows };
  } finally {
    await analytics.models.db.dropDatabase();
    await analytics.close();
  }
}

export async function analyticsSuite(ctx: Ctx): Promise<AnalyticsBenchResult> {
  const ingest = await ingestBench(ctx, Number(process.env.BENCH_ANALYTICS_EVENTS ?? 30_000));
  ctx.log(`analytics ingest: raw kafkajs ${ingest.rawEventsPerSecond} events/s, analytics ${ingest.analyticsEventsPerSecond} events/s`);
  const query = await queryBench(ctx, Number(process.env.BENCH_ANALYTICS_QUERY_EVENTS ?? 1_000_000));
  ctx.log(`analytics query over ${query.events} events: by instance ${query.byInstanceMs} ms, by instance, field, quarter and status ${query.byAllDimensionsMs} ms`);
  return { ingest, query };
}

async function main(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[bench analytics] ${message}\n`);
  const servers = await acquireServers(log);
  try {
    const result = await analyticsSuite({ kafkaBrokers: servers.kafkaBrokers, mongoUrl: servers.mongoUrl, tag: Date.now().toString(36), log });
    const dir = path.join(__dirname, '..', 'results');
    const at = new Date().toISOString();
    fs.writeFileSync(path.join(dir, 'analytics.json'), `${JSON.stringify({ at, servers: { kafka: servers.kafkaKind, mongo: servers.mongoKind }, ...result }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, 'analytics.md'), [
      `# Central analytics (${at.slice(0, 16).replace('T', ' ')} UTC; ${servers.kafkaKind}; ${servers.mongoKind})`, '',
      '| figure | value |', '|---|---|',
      `| ingest, raw kafkajs consumption of ${result.ingest.events.toLocaleString('en-US')} events from three instances (the limit) | ${result.ingest.rawEventsPerSecond.toLocaleString('en-US')} events/s |`,
      `| ingest, analytics (NestJS Kafka transport, read models in MongoDB, idempotent) | ${result.ingest.analyticsEventsPerSecond.toLocaleString('en-US')} events/s |`,
      `| national query by instance over ${result.query.events.toLocaleString('en-US')} events (${result.query.proposals.toLocaleString('en-US')} proposals), median of 3 | ${result.query.byInstanceMs} ms |`,
      `| national query by instance, field, quarter and status (${result.query.rows} rows), median of 3 | ${result.query.byAllDimensionsMs} ms |`, '',
    ].join('\n'));
    log('wrote bench/results/analytics.{json,md}');
  } finally {
    await servers.stop();
  }
}

if (require.main === module) void main().then(() => process.exit(0), (error) => (process.stderr.write(`${error?.stack ?? error}\n`), process.exit(1)));
