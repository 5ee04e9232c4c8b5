import { type ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { join } from 'path';
import mongoose from 'mongoose';
import { KafkaEventBus } from '@dotpha/event-bus-kafka';
import { MongoEventStore, MongoReadModelStore } from '@dotpha/event-store-mongodb';
import { type Projection, type RecordedEvent, type Subscription, ProjectionRunner } from '@dotpha/kernel';
import { eventually, sampleRegistry, testServers, uniqueName } from '@dotpha/testkit';

const ROOT = join(__dirname, '..', '..');
const WRITER = join(__dirname, 'fixtures', 'outbox-writer.ts');

/** Notes per stream: what a read model looks like when every event counted exactly once. */
const notesPerStream: Projection<{ count: number; texts: string[] }> = {
  name: 'notes-per-stream',
  collection: 'notes',
  canHandle: ['NoteAdded'],
  key: (e) => e.streamId,
  apply: (current, e) => ({ count: (current?.count ?? 0) + 1, texts: [...(current?.texts ?? []), (e.data as { text: string }).text] }),
};

describe(`Outbox relay over real servers (${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, () => {
  const servers = testServers();
  const registry = sampleRegistry();
  let connection: mongoose.Connection;
  let dbName: string;
  let topicPrefix: string;
  let store: MongoEventStore;
  let bus: KafkaEventBus;
  let subscription: Subscription | undefined;
  const deliveries: RecordedEvent[] = [];
  let live: ProjectionRunner;
  let liveModels: MongoReadModelStore;

  function writer(mode: string, extra: Record<string, string> = {}): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
    // tsx as a loader in the same process (not its CLI, which forks): SIGKILL must hit the writer itself.
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), MODE: mode, MONGO_URL: servers.mongoUrl, DB: dbName, BROKERS: servers.kafkaBrokers.join(','), TOPIC_PREFIX: topicPrefix, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
      if (code) process.stderr.write(`writer (${mode}) exited ${code}: ${stderr}\n`);
      resolve(code);
    }));
    return { child, lines, exited };
  }

  beforeEach(async () => {
    dbName = uniqueName('outbox');
    topicPrefix = `t${randomUUID().slice(0, 8)}`;
    connection = await mongoose.createConnection(servers.mongoUrl).asPromise();
    const db = connection.getClient().db(dbName);
    store = await MongoEventStore.create({ db, instance: 'hn', registry });
    bus = new KafkaEventBus({ brokers: servers.kafkaBrokers, instance: 'hn', topicPrefix, contextOf: (e) => registry.definition(e.type).context, sessionTimeoutMs: 6000 });
    liveModels = new MongoReadModelStore(db, 'live');
    live = new ProjectionRunner([notesPerStream], liveModels);
    deliveries.length = 0;
    subscription = await bus.subscribe({
      group: 'read-side',
      contexts: ['notes'],
      handle: async (event) => {
        await live.handle(event);
        deliveries.push(event);
      },
    });
  });

  afterEach(async () => {
    await subscription?.close();
    await bus.close();
    await connection.getClient().db(dbName).dropDatabase();
    await connection.close();
  });

  async function expectEveryStoredEventDelivered(): Promise<RecordedEvent[]> {
    // Everything the store accepted, stream by stream (not only what was already sequenced).
    const streams = await store.listStreams('', 1_000_000);
    const stored = (await Promise.all(streams.map((s) => store.readStream(s)))).flat();
    const ids = new Set(stored.map((e) => e.eventId));
    await eventually(() => new Set(deliveries.map((e) => e.eventId)).size >= ids.size, () => `${new Set(deliveries.map((e) => e.eventId)).size}/${ids.size} delivered`, 45_000);
    expect(new Set(deliveries.map((e) => e.eventId))).toEqual(ids);
    // What arrived is what was stored, byte for byte (the hash chain still verifies on the consumer side).
    const byId = new Map(stored.map((e) => [e.eventId, e]));
    for (const d of deliveries) expect({ ...d, globalPosition: undefined }).toEqual({ ...byId.get(d.eventId), globalPosition: undefined });
    for (const streamId of streams) {
      // At least once, in order: a restarted relay may deliver a range again (its marks were not
      // written), so each delivery is either one already seen or the next after the highest seen.
      const delivered = deliveries.filter((e) => e.streamId === streamId).map((e) => e.streamPosition);
      const firstSeen: number[] = [];
      for (const p of delivered) {
        const highest = firstSeen.length ? firstSeen[firstSeen.length - 1] : 0;
        if (p > highest) firstSeen.push(p);
        else expect(firstSeen).toContain(p);
      }
      expect(firstSeen).toEqual(stored.filter((e) => e.streamId === streamId).map((e) => e.streamPosition));
    }
    return stored;
  }

  async function expectReadModelEqualsRebuild(stored: RecordedEvent[]): Promise<void> {
    const rebuiltModels = new MongoReadModelStore(connection.getClient().db(dbName), 'rebuilt');
    await new ProjectionRunner([notesPerStream], rebuiltModels).rebuild(store);
    const streams = [...new Set(stored.map((e) => e.streamId))];
    for (const streamId of streams) {
      const [l, r] = await Promise.all([liveModels.get('notes', streamId), rebuiltModels.get('notes', streamId)]);
      expect(l?.data).toEqual(r?.data);
      expect(r?.data).toMatchObject({ count: stored.filter((e) => e.streamId === streamId).length });
    }
  }

  it('loses no event when the writer is SIGKILLed after the append and before the publish', async () => {
    const crashed = writer('append-then-hang', { COUNT: '30' });
    await eventually(() => crashed.lines.includes('appended'), () => crashed.lines.join('|'), 60_000);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    await store.sequencePending();
    expect(await store.undispatched(1000)).toHaveLength(30);
    expect(deliveries).toHaveLength(0);

    const restarted = writer('relay');
    expect(await restarted.exited).toBe(0);
    expect(restarted.lines).toContain('drained 30');
    const stored = await expectEveryStoredEventDelivered();
    expect(stored).toHaveLength(30);
    expect(await store.undispatched(1000)).toEqual([]);
    await expectReadModelEqualsRebuild(stored);
  });

  it('loses no event when the writer is SIGKILLed at a random moment while appending and relaying', async () => {
    const churn = writer('churn', { STREAMS: '4' });
    const killAt = 20 + Math.floor(Math.random() * 40);
    await eventually(() => churn.lines.length >= killAt, () => `${churn.lines.length} appended`, 60_000);
    churn.child.kill('SIGKILL');
    await churn.exited;

    const restarted = writer('relay');
    expect(await restarted.exited).toBe(0);

    const stored = await expectEveryStoredEventDelivered();
    expect(stored.length).toBeGreaterThanOrEqual(killAt);
    for (const streamId of new Set(stored.map((e) => e.streamId))) {
      expect((await store.verify(streamId)).ok).toBe(true);
    }
    await expectReadModelEqualsRebuild(stored);
  });

  it('leaves every read model unchanged when events are delivered again', async () => {
    const streamId = `again-${randomUUID()}`;
    const { events } = await store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [1, 2, 3].map((n) => ({ ...noteEvent(`n${n}`) })) });
    await bus.publish(events);
    await eventually(() => deliveries.length >= 3, () => `${deliveries.length}`);
    const before = await liveModels.get('notes', streamId);
    await bus.publish(events);
    await bus.publish([events[1]]);
    await eventually(() => deliveries.length >= 7, () => `${deliveries.length}`);
    expect(await liveModels.get('notes', streamId)).toEqual(before);
    expect(before?.data).toEqual({ count: 3, texts: ['n1', 'n2', 'n3'] });
  });
});

function noteEvent(text: string) {
  return { eventId: randomUUID(), type: 'NoteAdded', data: { text }, occurredAt: new Date().toISOString(), actor: { userId: 'u', role: 'proposer' }, correlationId: 'c', causationId: null };
}
