import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { randomUUID } from 'crypto';
import { spawn } from 'child_process';
import type { INestApplication } from '@nestjs/common';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import { loadOrgChart, policyFrom, type PolicyInput } from '@dotpha/org';
import { LocalIssuer, SAMPLE_ORG_FILE, createServiceApp } from '@dotpha/service-runtime';
import { testServers } from '@dotpha/testkit';
import { type RecordedEvent, topicName } from '@dotpha/kernel';
import { Kafka, logLevel } from 'kafkajs';
import { mongo } from 'mongoose';
import { readFileSync } from 'fs';
// The system tests host the five services as `npm start` does, through the platform's own list.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { allServices } from '../../apps/platform/src/services';

export type ServiceName = 'proposals' | 'approvals' | 'monitoring' | 'evaluation' | 'rewards';

/** The platform under test, whichever way it runs: where each service answers, and how to stop it. */
export interface Platform {
  readonly mode: string;
  url(service: ServiceName): string;
  /** A bearer token for a user of the sample province, from the issuer the services trust. */
  token(userId: string): Promise<string>;
  /** The issuer the services trust, to forge expired or foreign tokens with its own key. */
  readonly issuer: LocalIssuer;
  /** Writes an event straight onto the instance's internal topic of a context, as a rogue producer would. */
  inject(context: string, event: RecordedEvent): Promise<void>;
  /** Everything published on the instance's public topics so far. */
  publicEvents(): Promise<RecordedEvent[]>;
  /** Rewrites a stored event in the service's MongoDB database (distributed mode only). */
  readonly tamper?: (service: ServiceName, streamId: string, position: number, change: (event: RecordedEvent) => RecordedEvent) => Promise<void>;
  stop(): Promise<void>;
}

/** What a test may set beyond the instance policy. */
export interface PlatformOptions {
  /** Commands one caller may send a minute (the race tests send hundreds from one user). */
  readonly commandsPerMinute?: number;
  /**
   * Reads and audit-trail reads one caller may send a minute. Tests poll read models and probe
   * streams through the audit trail far faster than a person, so both default to 100,000 here;
   * the security suite sets the production budgets to test them.
   */
  readonly readsPerMinute?: number;
  readonly auditPerMinute?: number;
}

const TEST_BUDGET = 100_000;

/** All five services in this process: embedded stores in a temp folder, in-process bus. */
export async function startOneProcess(policy: PolicyInput = {}, options: PlatformOptions = {}): Promise<Platform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dotpha-e2e-'));
  const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
  const config = {
    instance: org.instance.code,
    org,
    policy: policyFrom(policy),
    storage: { kind: 'embedded' as const, dataDir },
    bus: { kind: 'in-process' as const, broker: new InProcessBroker() },
    auth: { kind: 'local' as const, issuer: new LocalIssuer() },
    commandsPerMinute: options.commandsPerMinute,
    readsPerMinute: options.readsPerMinute ?? TEST_BUDGET,
    auditPerMinute: options.auditPerMinute ?? TEST_BUDGET,
  };
  const { broker } = config.bus;
  const { app } = await createServiceApp('Đột Phá', Object.values(allServices), config);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  return {
    mode: 'one process (embedded store, in-process bus)',
    url: () => base.replace('[::1]', '127.0.0.1'),
    token: (userId) => config.auth.issuer.token(userId),
    issuer: config.auth.issuer,
    inject: async (context, event) => {
      const topic = topicName(org.instance.code, context);
      broker.topics.set(topic, [...(broker.topics.get(topic) ?? []), event]);
      broker.wakers.forEach((wake) => wake());
    },
    publicEvents: async () => [...broker.topics].filter(([topic]) => topic.includes('.public.')).flatMap(([, events]) => events),
    stop: async () => {
      await (app as INestApplication).close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Five service processes over the real Kafka broker and MongoDB-compatible server of this test run. */
export async function startDistributed(policy: PolicyInput = {}, options: PlatformOptions = {}): Promise<Platform> {
  const servers = testServers();
  const run = randomUUID().slice(0, 8);
  const key = LocalIssuer.newPem();
  const issuer = LocalIssuer.fromPem(key);
  const child = spawn(process.execPath, [join(__dirname, '..', 'infra', 'distributed.mjs')], {
    env: {
      ...process.env,
      DOTPHA_KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      DOTPHA_MONGO_URL: servers.mongoUrl,
      DOTPHA_BASE_PORT: '0',
      DOTPHA_SERVICE_OUTPUT: 'ignore',
      DOTPHA_POLICY: JSON.stringify(policy),
      DOTPHA_LOCAL_ISSUER_KEY: key,
      DOTPHA_TOPIC_PREFIX: `e2e${run}`,
      DOTPHA_DB_PREFIX: `e2e${run}`,
      ...(options.commandsPerMinute ? { DOTPHA_COMMANDS_PER_MINUTE: String(options.commandsPerMinute) } : {}),
      DOTPHA_READS_PER_MINUTE: String(options.readsPerMinute ?? TEST_BUDGET),
      DOTPHA_AUDIT_PER_MINUTE: String(options.auditPerMinute ?? TEST_BUDGET),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const urls = await new Promise<Record<ServiceName, string>>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /DOTPHA_URLS (\{.*\})/.exec(output);
      if (line) resolve(JSON.parse(line[1]));
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the distributed services exited (${code}):\n${output}`)));
  });
  return {
    mode: `five processes (${servers.kafkaKind}; ${servers.mongoKind})`,
    url: (service) => urls[service],
    token: (userId) => issuer.token(userId),
    issuer,
    inject: async (context, event) => {
      const producer = new Kafka({ brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({ topic: topicName('tm', context, `e2e${run}`), messages: [{ key: event.streamId, value: JSON.stringify(event) }] });
      await producer.disconnect();
    },
    publicEvents: () => readPublicTopics(servers.kafkaBrokers, `e2e${run}`),
    tamper: async (service, streamId, position, change) => {
      const client = await mongo.MongoClient.connect(servers.mongoUrl);
      try {
        const commits = client.db(`e2e${run}_tm_${service}`).collection<{ _id: string; events: RecordedEvent[] }>('commits');
        const commit = await commits.findOne({ streamId, from: { $lte: position }, to: { $gte: position } } as never);
        if (!commit) throw new Error(`no stored commit holds ${streamId}@${position}`);
        const events = commit.events.map((e) => (e.streamPosition === position ? change(e) : e));
        await commits.updateOne({ _id: commit._id }, { $set: { events } });
      } finally {
        await client.close();
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Reads every public topic of the instance from the beginning until it has been idle a while. */
async function readPublicTopics(brokers: string[], prefix: string): Promise<RecordedEvent[]> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.tm.public.`));
  await admin.disconnect();
  if (topics.length === 0) return [];
  const consumer = kafka.consumer({ groupId: `public-reader-${randomUUID()}` });
  const events: RecordedEvent[] = [];
  let last = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      events.push(JSON.parse(message.value!.toString()));
      last = Date.now();
    },
  });
  const started = Date.now();
  while (Date.now() - last < 3000 || (events.length === 0 && Date.now() - started < 20_000)) await new Promise((r) => setTimeout(r, 200));
  await consumer.disconnect();
  return events;
}
