import { randomUUID } from 'crypto';
import type { ConsumerStatus, EventBus, RecordedEvent, Subscription } from '@dotpha/kernel';

/** What an adapter's test gives the bus contract. */
export interface EventBusHarness {
  /** A bus client of `instance`, mapping each event to its context by `streamType`. */
  create(instance: string): Promise<EventBus>;
  dispose(): Promise<void>;
}

let sequence = 0;

function event(instance: string, context: string, streamId: string, position: number): RecordedEvent {
  return {
    eventId: randomUUID(), type: 'NoteAdded', version: 1, streamId, streamType: context, streamPosition: position,
    occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString(), instance,
    actor: { userId: 'u', role: 'proposer' }, correlationId: 'c', causationId: null, classification: 'internal',
    data: { text: `${streamId}#${position}` }, prevHash: '0', hash: '1', globalPosition: ++sequence,
  };
}

/** Resolves when `predicate` holds, polling (after `refresh`, when given); fails with `describe()` after `ms`. */
export async function eventually(predicate: () => boolean, describe: () => string, ms = 30_000, refresh?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms;
  await refresh?.();
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    await refresh?.();
  }
}

/** The event bus contract (STYLE.md rule 4): written once, run against every adapter. */
export function describeEventBusContract(adapter: string, makeHarness: () => Promise<EventBusHarness>): void {
  describe(`EventBus contract: ${adapter}`, () => {
    let harness: EventBusHarness;
    let bus: EventBus;
    const subscriptions: Subscription[] = [];
    const instance = 'hn';
    const unique = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;
    const subscribe = async (...args: Parameters<EventBus['subscribe']>) => {
      const subscription = await bus.subscribe(...args);
      subscriptions.push(subscription);
      return subscription;
    };
    const texts = (events: RecordedEvent[]) => events.map((e) => (e.data as { text: string }).text);

    beforeAll(async () => {
      harness = await makeHarness();
      bus = await harness.create(instance);
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    });
    afterAll(async () => {
      await bus.close();
      await harness.dispose();
    });

    it('delivers every published event once a group subscribes, each stream in its order', async () => {
      const context = unique('ctx');
      const streams = ['s1', 's2', 's3'].map(unique);
      const published = Array.from({ length: 10 }, (_, i) => streams.map((s) => event(instance, context, s, i + 1))).flat();
      await bus.publish(published.slice(0, 12));
      const seen: RecordedEvent[] = [];
      await subscribe({ group: unique('g'), contexts: [context], handle: async (e) => void seen.push(e) });
      await bus.publish(published.slice(12));
      await eventually(() => seen.length >= published.length, () => `${seen.length}/${published.length}`);
      expect(new Set(seen.map((e) => e.eventId))).toEqual(new Set(published.map((e) => e.eventId)));
      for (const s of streams) {
        expect(seen.filter((e) => e.streamId === s).map((e) => e.streamPosition)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      }
      expect(seen[0]).toEqual(published.find((e) => e.eventId === seen[0].eventId));
    });

    it('gives every group all events of its contexts and none of other contexts', async () => {
      const [a, b] = [unique('ctx-a'), unique('ctx-b')];
      const seenA: RecordedEvent[] = [];
      const seenAll: RecordedEvent[] = [];
      await subscribe({ group: unique('g'), contexts: [a], handle: async (e) => void seenA.push(e) });
      await subscribe({ group: unique('g'), contexts: [a, b], handle: async (e) => void seenAll.push(e) });
      await bus.publish([event(instance, a, unique('s'), 1), event(instance, b, unique('s'), 1), event(instance, a, unique('s'), 1)]);
      await eventually(() => seenA.length >= 2 && seenAll.length >= 3, () => `${seenA.length}, ${seenAll.length}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seenA.map((e) => e.streamType)).toEqual([a, a]);
      expect(seenAll).toHaveLength(3);
    });

    it('redelivers an event whose handler failed, keeping the stream order', async () => {
      const context = unique('ctx');
      const stream = unique('s');
      let failures = 0;
      const handled: RecordedEvent[] = [];
      await subscribe({
        group: unique('g'),
        contexts: [context],
        handle: async (e) => {
          if (e.streamPosition === 2 && failures < 2) {
            failures++;
            throw new Error('transient');
          }
          handled.push(e);
        },
      });
      await bus.publish([1, 2, 3].map((p) => event(instance, context, stream, p)));
      await eventually(() => handled.length >= 3, () => texts(handled).join());
      expect(failures).toBe(2);
      expect(handled.map((e) => e.streamPosition)).toEqual([1, 2, 3]);
    });

    it('commits a position only after its handler finished: a new member resumes at the first unhandled event', async () => {
      const context = unique('ctx');
      const group = unique('g');
      const stream = unique('s');
      const first: number[] = [];
      const member = await subscribe({
        group,
        contexts: [context],
        handle: async (e) => {
          if (e.streamPosition >= 4) throw new Error('this member cannot handle it');
          first.push(e.streamPosition);
        },
      });
      await bus.publish([1, 2, 3, 4, 5].map((p) => event(instance, context, stream, p)));
      await eventually(() => first.length >= 3, () => `${first}`);
      await member.close();
      const second: number[] = [];
      await subscribe({ group, contexts: [context], handle: async (e) => void second.push(e.streamPosition) });
      await eventually(() => second.includes(5), () => `${second}`);
      expect(first).toEqual([1, 2, 3]);
      expect(second).toEqual([4, 5]);
    });

    it('parks a poison event after its attempts and goes on with the others', async () => {
      const context = unique('ctx');
      const stream = unique('s');
      const handled: number[] = [];
      const parked: [number, string][] = [];
      let attempts = 0;
      await subscribe({
        group: unique('g'),
        contexts: [context],
        maxAttempts: 3,
        onPoison: async (e, error) => void parked.push([e.streamPosition, (error as Error).message]),
        handle: async (e) => {
          if (e.streamPosition === 2) {
            attempts++;
            throw new Error('cannot ever handle this');
          }
          handled.push(e.streamPosition);
        },
      });
      await bus.publish([1, 2, 3].map((p) => event(instance, context, stream, p)));
      await eventually(() => handled.length >= 2, () => `${handled}`);
      expect(handled).toEqual([1, 3]);
      expect(parked).toEqual([[2, 'cannot ever handle this']]);
      expect(attempts).toBe(3);
    });

    it('never parks an event whose failures say the store is away: it waits past maxAttempts and is handled once the store is back', async () => {
      const context = unique('ctx');
      const stream = unique('s');
      const handled: number[] = [];
      const parked: number[] = [];
      const away = new Error('the store is away');
      let outageLeft = 6;
      await subscribe({
        group: unique('g'),
        contexts: [context],
        maxAttempts: 2,
        onPoison: async (e) => void parked.push(e.streamPosition),
        isTransient: (error) => error === away,
        handle: async (e) => {
          if (e.streamPosition === 2 && outageLeft > 0) {
            outageLeft--;
            throw away;
          }
          handled.push(e.streamPosition);
        },
      });
      await bus.publish([1, 2, 3].map((p) => event(instance, context, stream, p)));
      await eventually(() => handled.length >= 3, () => `${handled}`);
      expect(handled).toEqual([1, 2, 3]);
      expect(parked).toEqual([]);
      expect(outageLeft).toBe(0);
    });

    it('reports each consumer: running, the lag while events wait and 0 once caught up, when it last handled one', async () => {
      const context = unique('ctx');
      const stream = unique('s');
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handled: number[] = [];
      const group = unique('g');
      const consumer = await subscribe({
        group,
        contexts: [context],
        handle: async (e) => {
          await gate;
          handled.push(e.streamPosition);
        },
      });
      let status = await consumer.status();
      const poll = async () => void (status = await consumer.status());
      await eventually(() => status.state === 'running', () => JSON.stringify(status), 30_000, poll);
      await bus.publish([1, 2, 3, 4, 5].map((p) => event(instance, context, stream, p)));
      await eventually(() => status.lag === 5, () => JSON.stringify(status), 30_000, poll);
      expect(status).toMatchObject({ group, state: 'running', restarts: 0, lastError: null, lastMessageAt: null });
      release();
      await eventually(() => handled.length >= 5 && status.lag === 0, () => JSON.stringify(status), 30_000, poll);
      expect(status).toMatchObject({ group, state: 'running', restarts: 0, lag: 0 });
      expect(Date.now() - Date.parse(status.lastMessageAt!)).toBeLessThan(30_000);
      await consumer.close();
      expect((await consumer.status()).state).toBe('stopped');
    });

    it('restarts by itself a consumer that cannot go on (parking failed), crashed then running, restarts counted, nothing skipped', async () => {
      const context = unique('ctx');
      const stream = unique('s');
      const handled: number[] = [];
      const parked: number[] = [];
      const states = new Set<string>();
      let status: ConsumerStatus | undefined;
      const consumer = await subscribe({
        group: unique('g'),
        contexts: [context],
        maxAttempts: 2,
        onPoison: async (e) => {
          // The dead-letter store is down until the consumer has been seen restarting.
          if (!status?.restarts) throw new Error('dead-letter store unavailable');
          parked.push(e.streamPosition);
        },
        handle: async (e) => {
          if (e.streamPosition === 2) throw new Error('cannot ever handle this');
          handled.push(e.streamPosition);
        },
      });
      await bus.publish([1, 2, 3].map((p) => event(instance, context, stream, p)));
      const poll = async () => {
        status = await consumer.status();
        states.add(status.state);
      };
      await eventually(() => handled.length >= 2 && status?.state === 'running', () => `${handled} ${JSON.stringify(status)}`, 45_000, poll);
      expect(states).toContain('crashed');
      expect(status).toMatchObject({ state: 'running' });
      expect(status!.restarts).toBeGreaterThanOrEqual(1);
      expect(status!.lastError).toContain('dead-letter store unavailable');
      expect(parked).toEqual([2]);
      expect(handled).toEqual([1, 3]);
    });

    it("reads only its own instance's topics unless told to read another instance", async () => {
      const context = unique('ctx');
      const other = await harness.create('hp');
      try {
        const own: RecordedEvent[] = [];
        const both: RecordedEvent[] = [];
        await subscribe({ group: unique('g'), contexts: [context], handle: async (e) => void own.push(e) });
        await subscribe({ group: unique('g'), contexts: [context], instances: ['hn', 'hp'], handle: async (e) => void both.push(e) });
        await other.publish([event('hp', context, unique('s'), 1)]);
        await bus.publish([event(instance, context, unique('s'), 1)]);
        await eventually(() => both.length >= 2 && own.length >= 1, () => `${own.length} ${both.length}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(own.map((e) => e.instance)).toEqual(['hn']);
        expect(both.map((e) => e.instance).sort()).toEqual(['hn', 'hp']);
      } finally {
        await other.close();
      }
    });
  });
}
