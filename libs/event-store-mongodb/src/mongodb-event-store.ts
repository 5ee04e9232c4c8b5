import type { mongo } from 'mongoose';
import {
  type AppendRequest, type AppendResult, type CheckpointRecord, type EventRegistry, type EventStore, type ReadAllResult,
  type RecordedEvent, type StreamHead, type VerifyReport, InvalidInput, assertPosition, assertStreamId,
} from '@dotpha/kernel';
import { CheckpointStorage } from './audit-storage';
import { CommitStore } from './commit-store';
import { LogReader } from './log-scan';
import { OutboxTail } from './outbox-tail';
import { Sequencer } from './sequencer';

export interface MongoEventStoreOptions {
  readonly db: mongo.Db;
  readonly instance: string;
  readonly registry: EventRegistry;
  /** Collection name prefix, e.g. the service name. */
  readonly prefix?: string;
  readonly now?: () => Date;
  /** How long a sequencer keeps the lease without renewing it. */
  readonly leaseMs?: number;
  /** How often the sequencer looks for commits other processes appended (a query, not by `_id`). */
  readonly discoverEveryMs?: number;
  /** How long an append may take between its recordedAt and its insert, for that query. */
  readonly appendMarginMs?: number;
  /** How many stream heads to remember. */
  readonly headCacheSize?: number;
}

/**
 * One document per append ("commit"), `_id` = `<streamId>|<first position>`. An append is
 * accepted only if the caller's expected version is the stream's last position and the commit
 * starts right after it: two racing appends at one version collide on `_id`, so exactly one
 * wins, and a single-document insert is all-or-nothing without transactions.
 *
 * Nothing stored is ever updated but the small counters, the hot paths insert and read only by
 * `_id`, and what this process wrote it remembers instead of reading back: on MongoDB a lookup
 * by `_id` is an index lookup; on FerretDB 1.x (the test server) only an insert costs the same
 * at any size, every read scans the collection (docs/ferretdb.md). The parts:
 * - `CommitStore` (commit-store.ts): appends and streams, by `_id`, with the heads remembered;
 * - `Sequencer` (sequencer.ts): one lease holder gives the commits their global positions and
 *   writes the global log in numbered chunks;
 * - `LogReader` (log-scan.ts): `readAll`, pages of that log read through one cursor each;
 * - `OutboxTail` (outbox-tail.ts): the relay's checkpoint, and the log's tail kept in memory.
 */
export class MongoEventStore implements EventStore {
  readonly instance: string;
  private readonly registry: EventRegistry;
  private readonly commits: CommitStore;
  private readonly sequencer: Sequencer;
  private readonly log: LogReader;
  private readonly outbox: OutboxTail;
  private readonly checkpoints: CheckpointStorage;

  private constructor(options: MongoEventStoreOptions) {
    const { db, registry } = options;
    const prefix = options.prefix ? `${options.prefix}.` : '';
    const now = options.now ?? (() => new Date());
    this.instance = options.instance;
    this.registry = registry;
    this.commits = new CommitStore(db.collection(`${prefix}commits`), registry, options.instance, now, options.headCacheSize ?? 10_000);
    this.log = new LogReader(db.collection(`${prefix}log`), registry, () => this.sequencer.chunks());
    this.outbox = new OutboxTail(db.collection(`${prefix}counters`), db.collection(`${prefix}claims`), registry, this.log, () => this.sequencer.holding);
    this.sequencer = new Sequencer({
      db,
      prefix,
      commits: this.commits,
      end: this.outbox,
      now,
      leaseMs: options.leaseMs ?? 10_000,
      discoverEveryMs: options.discoverEveryMs ?? 5_000,
      appendMarginMs: options.appendMarginMs ?? 30_000,
    });
    this.checkpoints = new CheckpointStorage(db, prefix);
  }

  static async create(options: MongoEventStoreOptions): Promise<MongoEventStore> {
    const store = new MongoEventStore(options);
    await store.commits.ensureIndexes();
    await store.sequencer.ensureIndexes();
    return store;
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    assertStreamId(request.streamId);
    assertPosition(request.expectedVersion, 'expectedVersion');
    if (typeof request.streamType !== 'string' || !request.streamType) throw new InvalidInput('streamType is required');
    if (!Array.isArray(request.events) || request.events.length === 0) throw new InvalidInput('an append needs at least one event');
    this.registry.validateAppend(request.events);
    const { commit, previous } = await this.commits.append(request);
    this.sequencer.enqueue(commit, previous);
    return { streamId: request.streamId, position: commit.to, events: commit.events };
  }

  async readStream(streamId: string, fromPosition = 1): Promise<readonly RecordedEvent[]> {
    assertStreamId(streamId);
    assertPosition(fromPosition, 'fromPosition');
    const commits = await this.commits.chain(streamId);
    return commits
      .flatMap((c) => c.events)
      .filter((e) => e.streamPosition >= fromPosition)
      .map((e) => this.registry.upcast(e));
  }

  async streamVersion(streamId: string): Promise<number> {
    assertStreamId(streamId);
    return (await this.commits.head(streamId)).to;
  }

  async readAll(after: number, limit = 1000): Promise<ReadAllResult> {
    assertPosition(after, 'checkpoint');
    return this.log.page(after, limit, false);
  }

  sequencePending(): Promise<number> {
    return this.sequencer.sequencePending();
  }

  undispatched(limit: number, ahead?: number): Promise<readonly RecordedEvent[]> {
    return this.outbox.undispatched(limit, ahead);
  }

  markDispatched(events: readonly RecordedEvent[]): Promise<void> {
    return this.outbox.markDispatched(events);
  }

  countUndispatched(): Promise<number> {
    return this.outbox.count();
  }

  async verify(streamId: string): Promise<VerifyReport> {
    assertStreamId(streamId);
    return this.commits.verify(streamId);
  }

  listStreams(after = '', limit = 1000): Promise<readonly string[]> {
    return this.commits.listStreams(String(after), limit);
  }

  streamHeads(): Promise<readonly StreamHead[]> {
    return this.commits.streamHeads();
  }

  scanStreams(visit: (streamId: string, stored: readonly RecordedEvent[]) => void | Promise<void>): Promise<void> {
    return this.commits.scanStreams(visit);
  }

  saveCheckpoint(record: CheckpointRecord): Promise<void> {
    return this.checkpoints.save(record);
  }

  latestCheckpoint(): Promise<CheckpointRecord | null> {
    return this.checkpoints.latest();
  }

  async close(): Promise<void> {
    this.log.close();
    await this.sequencer.release();
  }
}
