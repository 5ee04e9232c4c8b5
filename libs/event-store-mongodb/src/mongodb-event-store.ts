import { randomUUID } from 'crypto';
import type { Collection, Db } from 'mongodb';
import {
  type AppendRequest, type AppendResult, type EventRegistry, type EventStore, type ReadAllResult,
  type RecordedEvent, type VerifyReport, GENESIS_HASH, InvalidInput, WrongExpectedVersion, sealEvents, verifyChain,
} from '@dotpha/kernel';
import { ensureIndexes } from './indexes';
import { assertPosition, assertStreamId } from './stream-id';

/**
 * One document per append ("commit"), `_id` = `<streamId>|<first position>`. An append is
 * accepted only if the caller's expected version equals the stream's last position when read,
 * and the commit starts right after it: two racing appends at one version collide on `_id`, so
 * exactly one wins, and a single-document insert is all-or-nothing without transactions.
 */
interface CommitDocument {
  _id: string;
  streamId: string;
  streamType: string;
  from: number;
  to: number;
  events: RecordedEvent[];
  lastHash: string;
  recordedAt: Date;
  /** Global position of the first event, set by the sequencer; null until then. */
  global: number | null;
  globalEnd: number | null;
  dispatched: boolean;
}

export interface MongoEventStoreOptions {
  readonly db: Db;
  readonly instance: string;
  readonly registry: EventRegistry;
  /** Collection name prefix, e.g. the service name. */
  readonly prefix?: string;
  readonly now?: () => Date;
  /** How long a sequencer keeps the lease without renewing it. */
  readonly leaseMs?: number;
}

const DUPLICATE_KEY = 11000;
const UPDATE_CHUNK = 50;

export class MongoEventStore implements EventStore {
  readonly instance: string;
  private readonly commits: Collection<CommitDocument>;
  private readonly counters: Collection<{ _id: string; value: number }>;
  private readonly leases: Collection<{ _id: string; holder: string; expiresAt: Date }>;
  private readonly registry: EventRegistry;
  private readonly now: () => Date;
  private readonly holder = randomUUID();
  private readonly leaseMs: number;

  private constructor(options: MongoEventStoreOptions) {
    const prefix = options.prefix ? `${options.prefix}.` : '';
    this.instance = options.instance;
    this.registry = options.registry;
    this.now = options.now ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 10_000;
    this.commits = options.db.collection(`${prefix}commits`);
    this.counters = options.db.collection(`${prefix}counters`);
    this.leases = options.db.collection(`${prefix}leases`);
  }

  static async create(options: MongoEventStoreOptions): Promise<MongoEventStore> {
    const store = new MongoEventStore(options);
    await ensureIndexes(store.commits, [
      { key: { streamId: 1, to: -1 }, name: 'stream_head' },
      { key: { global: 1, recordedAt: 1 }, name: 'sequencing' },
      { key: { globalEnd: 1 }, name: 'global_order' },
      { key: { dispatched: 1, global: 1 }, name: 'outbox' },
    ]);
    return store;
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    assertStreamId(request.streamId);
    assertPosition(request.expectedVersion, 'expectedVersion');
    if (typeof request.streamType !== 'string' || !request.streamType) throw new InvalidInput('streamType is required');
    if (!Array.isArray(request.events) || request.events.length === 0) throw new InvalidInput('an append needs at least one event');
    this.registry.validateAppend(request.events);

    const head = await this.commits.findOne(
      { streamId: request.streamId },
      { sort: { to: -1 }, projection: { to: 1, lastHash: 1 } },
    );
    const actual = head?.to ?? 0;
    if (actual !== request.expectedVersion) throw new WrongExpectedVersion(request.streamId, request.expectedVersion, actual);

    const recordedAt = this.now();
    const events = sealEvents(
      request.events.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        version: this.registry.definition(e.type).version,
        streamId: request.streamId,
        streamType: request.streamType,
        occurredAt: e.occurredAt,
        recordedAt: recordedAt.toISOString(),
        instance: this.instance,
        actor: e.actor,
        correlationId: e.correlationId,
        causationId: e.causationId,
        classification: this.registry.definition(e.type).classification,
        data: e.data,
      })),
      actual + 1,
      head?.lastHash ?? GENESIS_HASH,
    );
    const to = actual + events.length;
    try {
      await this.commits.insertOne({
        _id: `${request.streamId}|${actual + 1}`,
        streamId: request.streamId,
        streamType: request.streamType,
        from: actual + 1,
        to,
        events,
        lastHash: events[events.length - 1].hash,
        recordedAt,
        global: null,
        globalEnd: null,
        dispatched: false,
      });
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) {
        throw new WrongExpectedVersion(request.streamId, request.expectedVersion, 'unknown');
      }
      throw error;
    }
    return { streamId: request.streamId, position: to, events };
  }

  async readStream(streamId: string, fromPosition = 1): Promise<readonly RecordedEvent[]> {
    return (await this.rawStream(streamId, fromPosition)).map((e) => this.registry.upcast(e));
  }

  async streamVersion(streamId: string): Promise<number> {
    assertStreamId(streamId);
    const head = await this.commits.findOne({ streamId }, { sort: { to: -1 }, projection: { to: 1 } });
    return head?.to ?? 0;
  }

  async readAll(after: number, limit = 1000): Promise<ReadAllResult> {
    assertPosition(after, 'checkpoint');
    const docs = await this.commits.find({ globalEnd: { $gt: after } }).sort({ globalEnd: 1 }).limit(limit).toArray();
    const events = docs.flatMap(withGlobalPositions).filter((e) => e.globalPosition! > after).slice(0, limit);
    return {
      events: events.map((e) => this.registry.upcast(e)),
      checkpoint: events.length ? events[events.length - 1].globalPosition! : after,
    };
  }

  async sequencePending(): Promise<number> {
    if (!(await this.holdLease('sequencer'))) return 0;
    let sequenced = 0;
    for (;;) {
      const pending = await this.commits
        .find({ global: null }, { projection: { events: 0 } })
        .sort({ recordedAt: 1, _id: 1 })
        .limit(500)
        .toArray();
      if (pending.length === 0) return sequenced;
      const ordered = await this.inStreamOrder(pending);
      const total = ordered.reduce((n, c) => n + c.to - c.from + 1, 0);
      const counter = await this.counters.findOneAndUpdate(
        { _id: 'global' },
        { $inc: { value: total } },
        { upsert: true, returnDocument: 'after' },
      );
      let next = (counter?.value ?? total) - total + 1;
      const updates = ordered.map((c) => {
        const global = next;
        next += c.to - c.from + 1;
        return { updateOne: { filter: { _id: c._id, global: null }, update: { $set: { global, globalEnd: next - 1 } } } };
      });
      // FerretDB 1.24 never answers an update command of 100 statements or more (docs/ferretdb.md).
      for (let i = 0; i < updates.length; i += UPDATE_CHUNK) {
        await this.commits.bulkWrite(updates.slice(i, i + UPDATE_CHUNK), { ordered: true });
      }
      sequenced += total;
    }
  }

  async undispatched(limit: number): Promise<readonly RecordedEvent[]> {
    const docs = await this.commits
      .find({ dispatched: false, global: { $ne: null } })
      .sort({ global: 1 })
      .limit(Math.max(1, limit))
      .toArray();
    // Whole commits only: the mark is per commit.
    return docs.flatMap(withGlobalPositions).map((e) => this.registry.upcast(e));
  }

  async markDispatched(events: readonly RecordedEvent[]): Promise<void> {
    // A commit's `global` is its first event's position, which is in the batch (whole commits).
    const globals = events.map((e) => e.globalPosition).filter((g): g is number => typeof g === 'number');
    if (globals.length === 0) return;
    await this.commits.updateMany({ global: { $in: globals }, dispatched: false }, { $set: { dispatched: true } });
  }

  async verify(streamId: string): Promise<VerifyReport> {
    return verifyChain(streamId, await this.rawStream(streamId, 1));
  }

  async listStreams(after = '', limit = 1000): Promise<readonly string[]> {
    const docs = await this.commits
      .find({ from: 1, streamId: { $gt: String(after) } }, { projection: { streamId: 1 } })
      .sort({ streamId: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d.streamId);
  }

  async close(): Promise<void> {
    await this.leases.deleteOne({ _id: 'sequencer', holder: this.holder }).catch(() => undefined);
  }

  private async rawStream(streamId: string, fromPosition: number): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    assertPosition(fromPosition, 'fromPosition');
    const docs = await this.commits.find({ streamId, to: { $gte: fromPosition } }).sort({ from: 1 }).toArray();
    return docs.flatMap(withGlobalPositions).filter((e) => e.streamPosition >= fromPosition);
  }

  /** Puts every commit after its stream predecessor, fetching an unsequenced predecessor if needed. */
  private async inStreamOrder(pending: CommitDocument[]): Promise<CommitDocument[]> {
    const placed = new Set<string>();
    const ordered: CommitDocument[] = [];
    const place = async (commit: CommitDocument): Promise<void> => {
      if (placed.has(commit._id)) return;
      if (commit.from > 1) {
        const predecessor = await this.commits.findOne(
          { streamId: commit.streamId, to: commit.from - 1, global: null },
          { projection: { events: 0 } },
        );
        if (predecessor) await place(predecessor);
      }
      placed.add(commit._id);
      ordered.push(commit);
    };
    for (const commit of pending) await place(commit);
    return ordered;
  }

  private async holdLease(name: string): Promise<boolean> {
    const now = this.now();
    try {
      await this.leases.findOneAndUpdate(
        { _id: name, $or: [{ holder: this.holder }, { expiresAt: { $lt: now } }] },
        { $set: { holder: this.holder, expiresAt: new Date(now.getTime() + this.leaseMs) } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
}

function withGlobalPositions(commit: CommitDocument): RecordedEvent[] {
  const { global } = commit;
  return global === null ? commit.events : commit.events.map((event, index) => ({ ...event, globalPosition: global + index }));
}
