import type { RecordedEvent } from './envelope';
import type { EventBus } from './event-bus';
import type { EventStore } from './event-store';

export interface RelayOptions {
  readonly batchSize?: number;
  readonly intervalMs?: number;
  readonly onError?: (error: unknown) => void;
  /**
   * What of an event may leave the instance (null: nothing). Given, each batch is published to
   * the public topics too, before the batch is marked dispatched.
   */
  readonly publicView?: (event: RecordedEvent) => RecordedEvent | null;
}

/**
 * The outbox relay: what the store accepted reaches the bus at least once, even if the process
 * died between append and publish, because the "dispatched" mark lives in the stored record and
 * is set only after the bus acknowledged. Run one active relay per store.
 */
export class OutboxRelay {
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private exclusive: Promise<unknown> = Promise.resolve();
  private readonly batchSize: number;
  private readonly intervalMs: number;

  constructor(private readonly store: EventStore, private readonly bus: EventBus, private readonly options: RelayOptions = {}) {
    this.batchSize = options.batchSize ?? 500;
    this.intervalMs = options.intervalMs ?? 50;
  }

  /** Sequences and publishes until the outbox is empty; returns how many events went out. */
  drain(): Promise<number> {
    const run = this.exclusive.catch(() => undefined).then(() => this.drainOnce());
    this.exclusive = run;
    return run;
  }

  /**
   * One batch is read ahead while the bus takes the current one, and marks are written while the
   * next batches are published: the store and the bus work side by side. A mark is still written
   * only after its batches were acknowledged; while one is being written, the batches published
   * meanwhile wait and are marked together by the next (one mark in flight at a time, so a relay
   * catching up does not queue a write per batch). The drain returns only when every batch it
   * published is marked.
   */
  private async drainOnce(): Promise<number> {
    let total = 0;
    const marks = new Marks(this.store);
    let ahead: Promise<readonly RecordedEvent[]> | undefined;
    try {
      await this.store.sequencePending();
      let batch = await this.store.undispatched(this.batchSize);
      while (batch.length > 0) {
        const last = Math.max(...batch.map((e) => e.globalPosition ?? 0));
        ahead = this.store.sequencePending().then(() => this.store.undispatched(this.batchSize, last));
        ahead.catch(() => undefined); // awaited below; meanwhile its failure is not "unhandled"
        await this.bus.publish(batch);
        const { publicView } = this.options;
        if (publicView) await this.bus.publish(batch.map(publicView).filter((e): e is RecordedEvent => e !== null), 'public');
        marks.add(batch);
        total += batch.length;
        if (marks.failed) break; // reported below; the next drain publishes again from the mark
        batch = await ahead;
        ahead = undefined;
      }
    } finally {
      // Nothing of this drain may still be running when it returns (drains are exclusive).
      await Promise.allSettled([marks.settled(), ahead]);
    }
    await marks.settled();
    return total;
  }

  start(): void {
    if (this.loop) return;
    const run = async () => {
      while (this.loop) {
        await this.drain().catch((error) => this.options.onError?.(error));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.intervalMs);
          this.wake = () => (clearTimeout(timer), resolve());
        });
      }
    };
    this.loop = Promise.resolve().then(run);
  }

  /** Wakes the relay now instead of at the next interval (call after an append). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    this.loop = undefined;
    this.wake?.();
    await loop;
  }
}

/** The marks of one drain: at most one written at a time, the batches acknowledged meanwhile marked together by the next. */
class Marks {
  private waiting: RecordedEvent[] = [];
  private writing: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(private readonly store: EventStore) {}

  get failed(): boolean {
    return this.failure !== undefined;
  }

  add(batch: readonly RecordedEvent[]): void {
    if (this.failure) return;
    this.waiting.push(...batch);
    this.writing ??= this.write();
  }

  /** Resolves when every batch added is marked; rejects with the first failure. */
  async settled(): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure.error;
  }

  private async write(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting;
        this.waiting = [];
        await this.store.markDispatched(batch);
      }
    } catch (error) {
      this.failure = { error };
      this.waiting = [];
    } finally {
      this.writing = undefined;
    }
  }
}
