import type { mongo } from 'mongoose';
import { type EventRegistry, type RecordedEvent, assertPosition } from '@dotpha/kernel';
import type { LogReader } from './log-scan';
import type { Counter, LogEnd } from './sequencer';

/** Events of the log's tail kept in memory: the last this many. */
const RECENT = 5_000;

/**
 * The outbox: a checkpoint (`dispatched`, the global position the relay has published up to)
 * over the global log. While this process holds the sequencer lease it keeps the tail of the log
 * as it wrote it, so the relay reads what is new from memory while it keeps up, and knows without
 * a read when there is nothing new.
 */
export class OutboxTail implements LogEnd {
  /** Every position in (after, end], as this process wrote it. */
  private recent: { after: number; end: number; events: RecordedEvent[] } | undefined;
  /** How far this process knows the log goes. */
  private logEnd: number | undefined;
  /** The outbox mark this process last saw or set. */
  private dispatchedMark: number | undefined;

  constructor(
    private readonly counters: mongo.Collection<Counter>,
    /** The sequencer's claims: one per sequenced append, at the global position of its first event. */
    private readonly claims: mongo.Collection<{ _id: string; global: number }>,
    private readonly registry: EventRegistry,
    private readonly log: LogReader,
    /** Whether this process holds the sequencer lease (then the tail above is what it wrote). */
    private readonly holding: () => boolean,
  ) {}

  async undispatched(limit: number, ahead?: number): Promise<readonly RecordedEvent[]> {
    if (ahead !== undefined) assertPosition(ahead, 'after');
    const { recent } = this;
    // Nothing logged here since the mark this process saw (or the position asked for): nothing to
    // read (another relay's mark further on only makes this one publish again, which consumers absorb).
    if (this.knownEmpty(ahead ?? this.dispatchedMark)) return [];
    const after = ahead ?? (this.dispatchedMark = (await this.counters.findOne({ _id: 'dispatched' }))?.value ?? 0);
    if (recent && recent.after <= after && after <= recent.end) {
      return recent.events
        .filter((e) => e.globalPosition! > after)
        .slice(0, Math.max(1, limit))
        .map((e) => this.registry.upcast(e));
    }
    return (await this.log.page(after, limit, true)).events;
  }

  /**
   * The appends sequenced past the mark, counted by the server (on MongoDB through the claims'
   * `global` index): nothing read but the mark, and not even that while this process knows the
   * log ends at it. An append the mark falls inside of (a relay batch that ended within it) counts no more.
   */
  async count(): Promise<number> {
    if (this.knownEmpty(this.dispatchedMark)) return 0;
    const mark = (this.dispatchedMark = (await this.counters.findOne({ _id: 'dispatched' }))?.value ?? 0);
    return this.claims.countDocuments({ global: { $gt: mark } });
  }

  /** Whether this process knows without a read that nothing lies past `from`: it holds the lease and wrote the log up to there. */
  private knownEmpty(from: number | undefined): boolean {
    const known = this.recent?.end ?? this.logEnd;
    return this.holding() && known !== undefined && from !== undefined && from >= known;
  }

  async markDispatched(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.reduce((max, e) => Math.max(max, e.globalPosition ?? 0), 0);
    if (last === 0) return;
    await this.counters.updateOne({ _id: 'dispatched' }, { $max: { value: last } }, { upsert: true });
    this.dispatchedMark = Math.max(this.dispatchedMark ?? 0, last);
  }

  /** Keeps the log's tail in memory if it continues what is kept (the last `RECENT` events). */
  wrote(first: number, last: number, events: RecordedEvent[] | undefined): void {
    this.logEnd = events ? last : undefined;
    if (!events) {
      this.recent = undefined;
      return;
    }
    const recent = this.recent && this.recent.end === first - 1 ? this.recent : { after: first - 1, end: first - 1, events: [] };
    recent.events.push(...events);
    recent.end = last;
    if (recent.events.length > RECENT) {
      const dropped = recent.events.splice(0, recent.events.length - RECENT);
      recent.after = dropped[dropped.length - 1].globalPosition!;
    }
    this.recent = recent;
  }

  reached(end: number): void {
    this.logEnd = end;
  }

  forget(): void {
    this.recent = undefined;
    this.logEnd = undefined;
  }
}
