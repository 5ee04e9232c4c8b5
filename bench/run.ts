/**
 * `npm run bench`: measures the event store, the outbox relay and the projection runner against
 * the servers the tests use (or the one DOTPHA_MONGO_SERVER names), and writes
 * bench/results/latest.{md,png,json} (or <server>.{md,png,json}). A program that
 * reports, not a test: it never fails on a slow figure, only on a broken setup.
 */
import { execSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { mongo } from 'mongoose';
import type { BenchContext } from './lib/context';
import { benchRegistry, checkCommitShape, payloadText } from './lib/data';
import { type Panel, renderSvg, writePng } from './lib/chart';
import { readParams } from './lib/params';
import { loadPeer } from './lib/peer';
import { type Results, markdown, targets } from './lib/report';
import { acquireServers, describeMachine } from './lib/servers';
import { type Outcome, errorText } from './lib/stats';
import { appendSuite } from './suites/append';
import { aggregateSuite } from './suites/read';
import { publishSuite } from './suites/publish';
import { rebuildSuite } from './suites/rebuild';
import { footprintSuite } from './suites/footprint';
import { e2eSuite } from './suites/e2e';
import { listsSuite } from './suites/lists';
import { consoleSuite } from './suites/console';
import { analyticsSuite, writeAnalyticsResults } from './suites/analytics';

const RESULTS = path.join(__dirname, 'results');
/** Results file name: `latest` on the test server, the server's name when another is chosen. */
const NAME = process.env.BENCH_NAME || process.env.DOTPHA_MONGO_SERVER || 'latest';
const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function main(): Promise<void> {
  if (process.env.BENCH_RENDER_ONLY === '1') {
    // Re-renders latest.md and latest.png from latest.json (after a change to the report or chart).
    write(JSON.parse(fs.readFileSync(path.join(RESULTS, `${NAME}.json`), 'utf8')) as Results);
    log(`re-rendered bench/results/${NAME}.md and ${NAME}.png from ${NAME}.json`);
    return;
  }
  const started = Date.now();
  const params = readParams();
  const machine = describeMachine();
  const only = new Set((process.env.BENCH_ONLY ?? 'append,read,publish,rebuild,e2e,footprint,lists,console').split(',').map((s) => s.trim()));
  log(`machine: ${machine.cores} cores, ${machine.memoryGiB} GiB; load ${machine.loadAtStart.join(' ')}`);
  const servers = await acquireServers(log);
  log(`MongoDB: ${servers.mongoKind} at ${servers.mongoUrl}`);
  log(`Kafka:   ${servers.kafkaKind} at ${servers.kafkaBrokers.join(',')}`);
  const peer = loadPeer(log);
  const peerText = 'error' in peer ? `not available: ${peer.error}` : `${peer.name} ${peer.version} with @event-driven-io/emmett ${peer.emmettVersion}, on the mongodb driver ${peer.driverVersion} (ours: ${ourDriverVersion()})`;
  log(`peer: ${peerText}`);

  const client = await mongo.MongoClient.connect(servers.mongoUrl);
  const tag = Date.now().toString(36);
  const db = client.db(`dotpha_bench_${tag}`);
  const ctx: BenchContext = { params, servers, client, db, registry: benchRegistry(), instance: 'bench', text: payloadText(params.payloadChars), tag, log };
  const errors: string[] = [];
  const results: { -readonly [K in keyof Results]: Results[K] } = {
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    commit: gitCommit(),
    machine,
    loadAtEnd: [],
    servers: { kafka: servers.kafkaKind, mongo: servers.mongoKind, origin: servers.origin },
    params,
    peer: peerText,
    errors,
  };
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    if (!only.has(name)) return undefined;
    log(`--- ${name}`);
    try {
      return await fn();
    } catch (error) {
      errors.push(`${name}: ${errorText(error)}`);
      log(`${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return undefined;
    }
  };
  try {
    // The data sets of these four copy the store's commit format, so they check it first; the
    // end-to-end and footprint steps drive the services and do not depend on it.
    if (['append', 'read', 'rebuild', 'publish'].some((s) => only.has(s))) {
      const template = await checkCommitShape(db, ctx.registry, ctx.instance, ctx.text);
      results.append = await step('append', () => appendSuite(ctx, template, peer));
    }
    results.aggregates = await step('read', () => aggregateSuite(ctx));
    results.rebuild = await step('rebuild', () => rebuildSuite(ctx));
    results.publish = await step('publish', () => publishSuite(ctx));
    results.e2e = await step('e2e', () => e2eSuite(ctx));
    results.footprint = await step('footprint', () => footprintSuite(params, servers, log));
    results.lists = await step('lists', () => listsSuite(ctx));
    results.console = await step('console', () => consoleSuite(log));
    // Central analytics (about 10 minutes here): only when named, BENCH_ONLY=analytics; it writes bench/results/analytics.{md,json,png}.
    const analytics = await step('analytics', () => analyticsSuite({ kafkaBrokers: servers.kafkaBrokers, mongoUrl: servers.mongoUrl, kafkaKind: servers.kafkaKind, mongoKind: servers.mongoKind, tag, log }));
    if (analytics) writeAnalyticsResults(analytics);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close().catch(() => undefined);
    await servers.stop().catch((error: unknown) => log(`stopping the servers: ${errorText(error)}`));
  }
  results.seconds = (Date.now() - started) / 1000;
  results.loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  write(results as Results);
  log(`done in ${Math.round(results.seconds)} s: bench/results/${NAME}.md, ${NAME}.png, ${NAME}.json`);
  for (const t of targets(results as Results)) log(`target: ${t.target}: ${t.status} (${t.figure})`);
}

function write(r: Results): void {
  fs.mkdirSync(RESULTS, { recursive: true });
  const notes = serverNotes(r);
  fs.writeFileSync(path.join(RESULTS, `${NAME}.md`), markdown(r, notes));
  fs.writeFileSync(path.join(RESULTS, `${NAME}.json`), `${JSON.stringify(r, null, 2)}\n`);
  const subtitle = `${r.machine.cores} cores, ${r.machine.memoryGiB} GiB · ${r.servers.mongo} · ${r.servers.kafka} · median of ${r.params.runs} runs · ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  writePng(renderSvg('Đột Phá benchmark', subtitle, panels(r)), path.join(RESULTS, `${NAME}.png`));
}

function panels(r: Results): Panel[] {
  const bar = (series: string, o: Outcome | undefined) => (o?.ok ? { series, figure: o.figure } : { series, missing: o ? 'failed' : 'not run' });
  const out: Panel[] = [];
  if (r.append) {
    out.push({
      title: '1. Append, 1 event per append',
      unit: 'events/s',
      groups: r.append.rows.map((row) => ({
        label: `${row.streams} stream${row.streams > 1 ? 's' : ''}`,
        bars: [bar('raw driver (limit)', row.raw), bar('MongoEventStore', row.ours), bar(`peer: emmett-mongodb`, row.peer)],
      })),
    });
  }
  if (r.aggregates || r.rebuild) {
    out.push({
      title: '2. Read',
      unit: 'events/s',
      groups: [
        ...(r.aggregates?.rows ?? []).map((row) => ({ label: `aggregate ${row.events.toLocaleString('en-US')}`, bars: [bar('readStream + fold (aggregate of N events)', row.eventsPerSecond)] })),
        ...(r.rebuild ? [{ label: 'readAll', bars: [bar('readAll from a checkpoint', r.rebuild.readAll)] }] : []),
      ],
    });
  }
  if (r.publish) {
    out.push({
      title: `3. Publish to Kafka (${r.publish.events.toLocaleString('en-US')} events per run)`,
      unit: 'events/s',
      groups: [{ label: 'store → Kafka', bars: [bar('raw kafkajs (limit)', r.publish.raw), bar('OutboxRelay + KafkaEventBus', r.publish.relay)] }],
    });
  }
  if (r.rebuild) {
    out.push({
      title: `4. Projection rebuild (${r.rebuild.events.toLocaleString('en-US')} events)`,
      unit: 'events/s',
      target: { value: 50_000, label: 'target 50,000 events/s' },
      groups: [{ label: 'ProjectionRunner.rebuild', bars: [bar('server read models', r.rebuild.serverModels), bar('memory read models', r.rebuild.memoryModels)] }],
    });
  }
  if (r.e2e?.steps.length) {
    out.push({
      title: '5. End to end: submission → approvals read model',
      unit: 'ms, by commands/s',
      target: { value: 250, label: 'target p99 250 ms at 50 commands/s' },
      groups: r.e2e.steps.map((s) => ({ label: `${s.rate}/s`, bars: [bar('p50', s.p50), bar('p95', s.p95), bar('p99', s.p99)] })),
    });
  }
  if (r.footprint) {
    out.push({
      title: '6. Footprint of the one-process mode',
      unit: 'RSS MiB',
      groups: [
        { label: 'at rest', bars: [bar('RSS', r.footprint.restRss)] },
        { label: `${r.footprint.load?.rate ?? r.params.footprintLoadRate ?? 100} commands/s`, bars: [bar('RSS', r.footprint.loadRss)] },
      ],
    });
  }
  return out;
}

function serverNotes(r: Results): string[] {
  const notes: string[] = [];
  if (/ferretdb/i.test(r.servers.mongo)) {
    notes.push('The server here is FerretDB 1.24 on SQLite, not MongoDB. It uses no index, not even `_id`\'s: every read scans the collection in insertion order, so a lookup by `_id` costs in proportion to how early its document was inserted and one that finds nothing reads them all; every update costs the same way; only an insert costs the same at any size (docs/ferretdb.md). ' +
      'MongoEventStore only inserts on its hot paths and remembers what it wrote (stream heads, commits to sequence, the log tail), so appends keep pace with raw inserts; what it must read back (a stream, a log chunk, an unknown head) scans here. On MongoDB the same code runs with indexes: run the bench there with DOTPHA_MONGO_URL (a Docker engine makes `startServers` use mongo:7), or on mongo-java-server with DOTPHA_MONGO_SERVER=mongo-java-server (bench/results/mongo-java-server.md).');
  }
  if (/mongo-java-server/i.test(r.servers.mongo)) {
    notes.push('The server here is mongo-java-server 1.46 (in memory, one JVM, started by test/infra/servers.mjs): it speaks MongoDB\'s wire protocol and finds documents by `_id` and unique indexes through a hash index; other queries scan its memory, and nothing is written to disk. It stands in for an indexed MongoDB on a machine without one; its figures are not MongoDB\'s.');
  }
  if (/ferretdb|mongo-java-server/i.test(r.servers.mongo)) {
    notes.push('The data sets of the read, rebuild and publish figures are inserted already sequenced, in the exact document form MongoEventStore writes (commits, claims, log chunks of 500 events as the sequencer writes them through a backlog, counters; checked against what the store wrote at the start of the run), because appending and sequencing a million events one at a time would take most of an hour here. ' +
      'The publish figure therefore starts from sequenced events; the store\'s first sequencing pass (its look for commits other processes left) runs before the clock and is reported beside it.');
  }
  if (/ferretdb/i.test(r.servers.mongo) && r.append) {
    notes.push('The peer keeps one document per stream and updates it on every append (its events pushed into it); on FerretDB an update costs time in proportion to the collection, which is why it falls so far behind here. On MongoDB that update is indexed.');
  }
  return notes;
}

/** The driver mongoose brings (the project takes it from there, `mongoose.mongo`). */
function ourDriverVersion(): string {
  const driver = require.resolve('mongodb', { paths: [path.dirname(require.resolve('mongoose'))] });
  return JSON.parse(fs.readFileSync(path.join(path.dirname(driver), '..', 'package.json'), 'utf8')).version;
}

function gitCommit(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: __dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execSync('git status --porcelain', { cwd: __dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() ? ' (with uncommitted changes)' : '';
    return `${head}${dirty}`;
  } catch {
    return 'unknown';
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`the bench could not run: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
