import type { RecordedEvent } from './envelope';
import type { EventBus } from './event-bus';
import type { EventStore } from './event-store';
import { OutboxRelay } from './relay';

/** An outbox of `count` sequenced events with a dispatched mark, as the port describes it. */
class OutboxFake implements Pick<EventStore, 'sequencePending' | 'undispatched' | 'markDispatched'> {
  mark = 0;
  readonly calls: string[] = [];
  constructor(readonly events: RecordedEvent[]) {}

  async sequencePending(): Promise<number> {
    return 0;
  }

  async undispatched(limit: number, after?: number): Promise<readonly RecordedEvent[]> {
    this.calls.push(after === undefined ? 'read' : `read after ${after}`);
    const from = after ?? this.mark;
    return this.events.filter((e) => e.globalPosition! > from).slice(0, limit);
  }

  /** How long a mark takes to write, what each mark was given, how many were written at once at most. */
  markDelayMs = 0;
  failMarks = 0;
  readonly marked: number[][] = [];
  maxMarksAtOnce = 0;
  private marksAtOnce = 0;

  async markDispatched(events: readonly RecordedEvent[]): Promise<void> {
    this.calls.push(`mark ${events[events.length - 1].globalPosition}`);
    this.maxMarksAtOnce = Math.max(this.maxMarksAtOnce, ++this.marksAtOnce);
    try {
      if (this.markDelayMs) await new Promise((resolve) => setTimeout(resolve, this.markDelayMs));
      if (this.failMarks > 0 && this.failMarks--) throw new Error('store unavailable');
      this.marked.push(events.map((e) => e.globalPosition!));
      this.mark = Math.max(this.mark, ...events.map((e) => e.globalPosition!));
    } finally {
      this.marksAtOnce--;
    }
  }
}

/** A bus that takes a few milliseconds per batch and can be told to refuse one. */
class BusFake implements Pick<EventBus, 'publish'> {
  readonly published: number[] = [];
  failOnBatch: number | undefined;
  private batches = 0;
  constructor(private readonly store: OutboxFake) {}

  async publish(events: readonly RecordedEvent[]): Promise<void> {
    const batch = ++this.batches;
    this.store.calls.push(`publish ${events[events.length - 1].globalPosition} begins`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (batch === this.failOnBatch) throw new Error('broker unavailable');
    this.published.push(...events.map((e) => e.globalPosition!));
    this.store.calls.push(`publish ${events[events.length - 1].globalPosition} acknowledged`);
  }
}

function events(count: number): RecordedEvent[] {
  return Array.from({ length: count }, (_, i) => ({ eventId: `e${i + 1}`, streamId: `s${i % 3}`, globalPosition: i + 1 }) as unknown as RecordedEvent);
}

function relayOver(count: number, batchSize: number): { store: OutboxFake; bus: BusFake; relay: OutboxRelay } {
  const store = new OutboxFake(events(count));
  const bus = new BusFake(store);
  return { store, bus, relay: new OutboxRelay(store as unknown as EventStore, bus as unknown as EventBus, { batchSize }) };
}

describe('OutboxRelay', () => {
  it('publishes every event once, in global order, and marks the last', async () => {
    const { store, bus, relay } = relayOver(10, 4);
    expect(await relay.drain()).toBe(10);
    expect(bus.published).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.mark).toBe(10);
    expect(await relay.drain()).toBe(0);
  });

  it('reads the next batch while the bus takes the current one, and marks a batch only after it was acknowledged', async () => {
    const { store, relay } = relayOver(8, 4);
    await relay.drain();
    const at = (call: string) => store.calls.indexOf(call);
    expect(at('read after 4')).toBeGreaterThan(at('publish 4 begins'));
    expect(at('read after 4')).toBeLessThan(at('publish 4 acknowledged'));
    expect(at('mark 4')).toBeGreaterThan(at('publish 4 acknowledged'));
    expect(at('mark 8')).toBeGreaterThan(at('publish 8 acknowledged'));
  });

  it('marks nothing the bus refused; the next drain publishes from there', async () => {
    const { store, bus, relay } = relayOver(12, 4);
    bus.failOnBatch = 2;
    await expect(relay.drain()).rejects.toThrow('broker unavailable');
    expect(store.mark).toBe(4);
    expect(store.calls.filter((c) => c.startsWith('mark'))).toEqual(['mark 4']);
    expect(await relay.drain()).toBe(8);
    expect(bus.published).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(store.mark).toBe(12);
  });

  it('writes one mark at a time: the batches acknowledged meanwhile are marked together by the next', async () => {
    const { store, bus, relay } = relayOver(12, 2);
    store.markDelayMs = 25; // a mark takes as long as five publishes
    expect(await relay.drain()).toBe(12);
    expect(store.maxMarksAtOnce).toBe(1);
    expect(store.marked.length).toBeLessThan(6);
    expect(store.marked.flat()).toEqual(bus.published);
    for (const positions of store.marked) {
      const last = positions[positions.length - 1];
      expect(store.calls.indexOf(`mark ${last}`)).toBeGreaterThan(store.calls.indexOf(`publish ${last} acknowledged`));
    }
    expect(store.mark).toBe(12);
  });

  it('fails the drain when a mark cannot be written; the next drain publishes again what was not marked', async () => {
    const { store, bus, relay } = relayOver(20, 2);
    store.markDelayMs = 12;
    store.failMarks = 1;
    await expect(relay.drain()).rejects.toThrow('store unavailable');
    expect(store.mark).toBe(0);
    expect(bus.published.length).toBeLessThan(20); // it stopped publishing once the mark failed
    expect(await relay.drain()).toBe(20);
    expect(store.mark).toBe(20);
    expect(bus.published.slice(-20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
