import { type ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { join } from 'path';
import type { RecordedEvent } from '@dotpha/kernel';
import { describeEventBusContract, eventually, testServers } from '@dotpha/testkit';
import { type KafkaBusOptions, KafkaEventBus } from './kafka-event-bus';

describeEventBusContract(`Kafka (${process.env.DOTPHA_KAFKA_KIND ?? 'unknown broker'})`, async () => {
  // A topic prefix per run keeps reruns against a long-lived broker (npm run infra:up) apart.
  const topicPrefix = `t${randomUUID().slice(0, 8)}`;
  const buses: KafkaEventBus[] = [];
  return {
    async create(instance: string) {
      const bus = new KafkaEventBus({
        brokers: testServers().kafkaBrokers,
        instance,
        topicPrefix,
        contextOf: (e) => e.streamType,
        sessionTimeoutMs: 6_000,
        retryDelayMs: 20,
        restartDelayMs: 200,
        lagRefreshMs: 100,
      });
      buses.push(bus);
      return bus;
    },
    async dispose() {
      await Promise.all(buses.map((b) => b.close()));
    },
  };
});

/** A process frozen (SIGSTOP, a long GC, a blocked event loop): no timer, no heartbeat, no I/O. */
function freeze(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function note(context: string, streamId: string, position: number): RecordedEvent {
  return {
    eventId: randomUUID(), type: 'NoteAdded', version: 1, streamId, streamType: context, streamPosition: position,
    occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString(), instance: 'hn',
    actor: { userId: 'u', role: 'proposer' }, correlationId: 'c', causationId: null, classification: 'internal',
    data: { text: `${streamId}#${position}` }, prevHash: '0', hash: '1',
  };
}

const ROOT = join(__dirname, '..', '..', '..');
const MEMBER = join(__dirname, 'fixtures', 'group-member.ts');

describe(`Kafka consumers under faults (${process.env.DOTPHA_KAFKA_KIND ?? 'unknown broker'})`, () => {
  const servers = testServers();
  const topicPrefix = `f${randomUUID().slice(0, 8)}`;
  const buses: KafkaEventBus[] = [];
  const children: ChildProcess[] = [];
  const unique = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;
  const newBus = (settings: Partial<KafkaBusOptions> = {}) => {
    const bus = new KafkaEventBus({ brokers: servers.kafkaBrokers, instance: 'hn', topicPrefix, contextOf: (e) => e.streamType, retryDelayMs: 20, ...settings });
    buses.push(bus);
    return bus;
  };

  /** A group member in its own process, with the bus's default settings (fixtures/group-member.ts). */
  function member(group: string, context: string): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
    const child = spawn(process.execPath, ['--import', 'tsx', MEMBER], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), BROKERS: servers.kafkaBrokers.join(','), TOPIC_PREFIX: topicPrefix, GROUP: group, CONTEXT: context },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
      if (code) process.stderr.write(`group member exited ${code}: ${stderr}\n`);
      resolve(code);
    }));
    return { child, lines, exited };
  }

  afterEach(async () => {
    children.splice(0).forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });

  it('a consumer whose group session expired while its process was frozen comes back by itself, every event applied once', async () => {
    const bus = newBus({ sessionTimeoutMs: 3_000, heartbeatIntervalMs: 500, lagRefreshMs: 0 });
    const context = unique('ctx');
    const stream = unique('s');
    // An idempotent sink, as every projection and reactor is: an event already applied is not applied again.
    const sink = new Map<string, number>();
    const applied: number[] = [];
    let deliveries = 0;
    let thawedAt = 0;
    const subscription = await bus.subscribe({
      group: unique('g'),
      contexts: [context],
      handle: async (e) => {
        deliveries++;
        if (e.streamPosition === 3 && !thawedAt) {
          // Frozen past the session timeout in the middle of a handler, as approvals was under SIGSTOP.
          freeze(6_000);
          thawedAt = Date.now();
        }
        if (sink.has(e.eventId)) return;
        sink.set(e.eventId, e.streamPosition);
        applied.push(e.streamPosition);
      },
    });
    await bus.publish([1, 2, 3, 4, 5].map((p) => note(context, stream, p)));
    await eventually(() => applied.length >= 5, () => `applied ${applied}`, 30_000);
    const recovered = Date.now() - thawedAt;
    await bus.publish([6, 7, 8, 9, 10].map((p) => note(context, stream, p)));
    await eventually(() => applied.length >= 10, () => `applied ${applied}`, 30_000);
    const status = await subscription.status();
    console.log(`frozen 6 s past a 3 s session: consuming again ${recovered} ms after the thaw (${deliveries} deliveries of 10 events; ${JSON.stringify(status)})`);
    expect(applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sink.size).toBe(10);
    expect(status).toMatchObject({ state: 'running', lag: 0 });
  });

  it('keeps the member of a handler slower than the session in its group (heartbeats while it runs): nothing redelivered', async () => {
    const bus = newBus({ sessionTimeoutMs: 3_000, heartbeatIntervalMs: 500, lagRefreshMs: 0 });
    const context = unique('ctx');
    const stream = unique('s');
    const deliveries: number[] = [];
    const subscription = await bus.subscribe({
      group: unique('g'),
      contexts: [context],
      handle: async (e) => {
        deliveries.push(e.streamPosition);
        // Waiting on I/O (not frozen) three times as long as the session timeout.
        if (e.streamPosition === 2) await new Promise((resolve) => setTimeout(resolve, 9_000));
      },
    });
    await bus.publish([1, 2, 3].map((p) => note(context, stream, p)));
    await eventually(() => deliveries.includes(3), () => `${deliveries}`, 40_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(deliveries).toEqual([1, 2, 3]);
    expect(await subscription.status()).toMatchObject({ state: 'running', restarts: 0, lastError: null, lag: 0 });
  });

  it('a new member of a group whose member was killed without leaving consumes within 10 s; after a graceful stop at once', async () => {
    const context = unique('ctx');
    const group = unique('g');
    const stream = unique('s');
    const publisher = newBus();
    const [first, second, third] = [1, 2, 3].map((p) => note(context, stream, p));

    // Unclean stop: SIGKILL, the member stays in the group until its session expires.
    await publisher.publish([first]);
    const killed = member(group, context);
    await eventually(() => killed.lines.includes(`handled ${first.eventId}`), () => killed.lines.join('|'), 60_000);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const killedAt = Date.now();
    await publisher.publish([second]);
    const seen: string[] = [];
    const successor = await newBus().subscribe({ group, contexts: [context], handle: async (e) => void seen.push(e.eventId) });
    await eventually(() => seen.includes(second.eventId), () => `${seen}`, 40_000);
    const afterKill = Date.now() - killedAt;
    await successor.close();

    // Planned stop: SIGTERM, bus.close() leaves the group.
    const stopped = member(group, context);
    await eventually(() => stopped.lines.includes('joined'), () => stopped.lines.join('|'), 60_000);
    const terminatedAt = Date.now();
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited).toBe(0);
    const stoppedAt = Date.now();
    const closing = stoppedAt - terminatedAt;
    await publisher.publish([third]);
    await newBus().subscribe({ group, contexts: [context], handle: async (e) => void seen.push(e.eventId) });
    await eventually(() => seen.includes(third.eventId), () => `${seen}`, 40_000);
    const afterStop = Date.now() - stoppedAt;

    console.log(`a new member consumed ${afterKill} ms after its predecessor was SIGKILLed, ${afterStop} ms after it stopped gracefully (SIGTERM to exit: ${closing} ms)`);
    expect(afterKill).toBeLessThan(10_000);
    expect(afterStop).toBeLessThan(3_000);
    expect(closing).toBeLessThan(3_000);
  });
});
