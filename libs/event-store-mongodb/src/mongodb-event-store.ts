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
 * accepted only if the caller's expected version is the stream's last position and the commit
 * starts right after it: two racing appends at one version collide on `_id`, so exactly one
 * wins, and a single-document insert is all-or-nothing without transactions.
 *
 * Every hot path reads and writes by `_id` only, because that is the one lookup whose cost does
 * not grow with the collection on every MongoDB-compatible server (FerretDB 1.x scans for any
 * other filter; docs/ferretdb.md):
 * - the stream head is remembered per stream (LRU) and otherwise found by probing
 *   `<stream>|<to + 1>` forward; a remembered head is safe even when stale, because heads are
 *   commit boundaries: if another writer moved the stream on, its commit holds `<stream>|<to + 1>`
 *   and our insert collides on `_id` (WrongExpectedVersion);
 * - a stream is read by following its commits from `<stream>|1`;
 * - the sequencer (one lease holder) takes the commits this process appended from memory, gives
 *   them global positions and copies their events into the global log, pages of `PAGE` events
 *   keyed by page number, which `readAll` and the outbox read by `_id`. Commits other processes
 *   appended, and whatever a crash left half done, are found by a query every
 *   `discoverEveryMs` and when the lease changes hands;
 * - the outbox is a checkpoint: the global position the relay has published up to.
 * Audit (`verify`) and `listStreams` query by stream, as they must see every stored commit.
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
}

/**
 * Events `PAGE * n + 1` … `PAGE * (n + 1)` of the global order, with their global positions;
 * `_id` is `n` as a string (FerretDB finds a document by a string `_id` directly, by a number it
 * scans). Each write adds one chunk: the JSON of its events (the form they are published in), a
 * copy made for reading in order, which FerretDB returns several times faster than the same
 * events as nested documents. The commits stay the record that is audited.
 */
interface LogPage {
  _id: string;
  chunks?: string[];
  /** The global order is written up to here on this page (positions without events are gaps). */
  last: number;
}

/** A stream's last commit as far as this process knows. */
interface Head {
  from: number;
  to: number;
  lastHash: string;
}

/** A commit waiting for its global position; `previous` is its predecessor's `_id` where known. */
type Pending = Pick<CommitDocument, '_id' | 'streamId' | 'from' | 'to' | 'events'> & { previous?: string };

export interface MongoEventStoreOptions {
  readonly db: Db;
  readonly instance: string;
  readonly registry: EventRegistry;
  /** Collection name prefix, e.g. the service name. */
  readonly prefix?: string;
  readonly now?: () => Date;
  /** How long a sequencer keeps the lease without renewing it. */
  readonly leaseMs?: number;
  /** How often the sequencer looks for commits other processes appended (a query, not by `_id`). */
  readonly discoverEveryMs?: number;
  /** How many stream heads to remember. */
  readonly headCacheSize?: number;
}

const DUPLICATE_KEY = 11000;
const PAGE = 100;
const BATCH = 500;
const PARALLEL = 16;
const RECENT = 5_000;
const NO_HEAD: Head = { from: 0, to: 0, lastHash: GENESIS_HASH };
const pageOf = (position: number) => Math.floor((position - 1) / PAGE);
const pageEnd = (page: number) => (page + 1) * PAGE;
/** Events per page of the global log. */
export const LOG_PAGE_SIZE = PAGE;

export class MongoEventStore implements EventStore {
  readonly instance: string;
  private readonly commits: Collection<CommitDocument>;
  private readonly log: Collection<LogPage>;
  private readonly counters: Collection<{ _id: string; value: number }>;
  private readonly leases: Collection<{ _id: string; holder: string; expiresAt: Date }>;
  private readonly registry: EventRegistry;
  private readonly now: () => Date;
  private readonly holder = randomUUID();
  private readonly leaseMs: number;
  private readonly discoverEveryMs: number;
  private readonly heads: Lru<Head>;
  /** Commit ids this process sequenced lately: their successors need no check. */
  private readonly sequenced = new Lru<true>(50_000);
  private pending: Pending[] = [];
  /**
   * The tail of the global log as this process, holding the lease, wrote it: every position in
   * (after, end], so the outbox reads it from memory while the relay keeps up.
   */
  private recent: { after: number; end: number; events: RecordedEvent[] } | undefined;
  private holding = false;
  private repairDue = true;
  private nextDiscovery = 0;

  private constructor(options: MongoEventStoreOptions) {
    const prefix = options.prefix ? `${options.prefix}.` : '';
    this.instance = options.instance;
    this.registry = options.registry;
    this.now = options.now ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 10_000;
    this.discoverEveryMs = options.discoverEveryMs ?? 5_000;
    this.heads = new Lru(options.headCacheSize ?? 10_000);
    this.commits = options.db.collection(`${prefix}commits`);
    this.log = options.db.collection(`${prefix}log`);
    this.counters = options.db.collection(`${prefix}counters`);
    this.leases = options.db.collection(`${prefix}leases`);
  }

  static async create(options: MongoEventStoreOptions): Promise<MongoEventStore> {
    const store = new MongoEventStore(options);
    // For the queries that stay (audit, listing, discovery, repair): cheap on MongoDB.
    await ensureIndexes(store.commits, [
      { key: { streamId: 1, to: -1 }, name: 'stream_head' },
      { key: { global: 1, recordedAt: 1 }, name: 'sequencing' },
      { key: { globalEnd: 1 }, name: 'global_order' },
    ]);
    return store;
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    assertStreamId(request.streamId);
    assertPosition(request.expectedVersion, 'expectedVersion');
    if (typeof request.streamType !== 'string' || !request.streamType) throw new InvalidInput('streamType is required');
    if (!Array.isArray(request.events) || request.events.length === 0) throw new InvalidInput('an append needs at least one event');
    this.registry.validateAppend(request.events);

    const { streamId, expectedVersion } = request;
    // Version 0 and a remembered head are boundaries: the insert below arbitrates, no read needed.
    const remembered = this.heads.get(streamId);
    const head = expectedVersion === 0 ? NO_HEAD : remembered?.to === expectedVersion ? remembered : await this.head(streamId);
    if (head.to !== expectedVersion) throw new WrongExpectedVersion(streamId, expectedVersion, head.to);

    const recordedAt = this.now();
    const events = sealEvents(
      request.events.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        version: this.registry.definition(e.type).version,
        streamId,
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
      head.to + 1,
      head.lastHash,
    );
    const commit: CommitDocument = {
      _id: `${streamId}|${head.to + 1}`,
      streamId,
      streamType: request.streamType,
      from: head.to + 1,
      to: head.to + events.length,
      events,
      lastHash: events[events.length - 1].hash,
      recordedAt,
      global: null,
      globalEnd: null,
    };
    try {
      await this.commits.insertOne(commit);
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) {
        this.heads.delete(streamId);
        throw new WrongExpectedVersion(streamId, expectedVersion, 'unknown');
      }
      throw error;
    }
    this.heads.set(streamId, { from: commit.from, to: commit.to, lastHash: commit.lastHash });
    this.pending.push({ ...commit, previous: head.from ? `${streamId}|${head.from}` : undefined });
    return { streamId, position: commit.to, events };
  }

  async readStream(streamId: string, fromPosition = 1): Promise<readonly RecordedEvent[]> {
    assertStreamId(streamId);
    assertPosition(fromPosition, 'fromPosition');
    const commits = await this.chain(streamId);
    return commits
      .flatMap(withGlobalPositions)
      .filter((e) => e.streamPosition >= fromPosition)
      .map((e) => this.registry.upcast(e));
  }

  async streamVersion(streamId: string): Promise<number> {
    assertStreamId(streamId);
    return (await this.head(streamId)).to;
  }

  async readAll(after: number, limit = 1000): Promise<ReadAllResult> {
    assertPosition(after, 'checkpoint');
    const want = Math.max(1, limit);
    const events: RecordedEvent[] = [];
    let page = pageOf(after + 1);
    read: while (events.length < want) {
      // Pages ahead are fetched side by side: as many as the rest of the limit can fill.
      const count = Math.min(PARALLEL, Math.ceil((want - events.length) / PAGE) + 1);
      const pages = await Promise.all(Array.from({ length: count }, (_, i) => this.log.findOne({ _id: String(page + i) })));
      for (const [i, doc] of pages.entries()) {
        if (!doc) break read;
        for (const event of (doc.chunks ?? []).flatMap((chunk) => JSON.parse(chunk) as RecordedEvent[])) {
          if (event.globalPosition! > after && events.length < want) events.push(event);
        }
        if (doc.last < pageEnd(page + i) || events.length >= want) break read;
      }
      page += count;
    }
    return {
      events: events.map((e) => this.registry.upcast(e)),
      checkpoint: events.length ? events[events.length - 1].globalPosition! : after,
    };
  }

  async sequencePending(): Promise<number> {
    if (!(await this.holdLease('sequencer'))) {
      // The holder finds what this process appended by its query; its positions are not ours to give.
      this.pending = [];
      this.recent = undefined;
      this.holding = false;
      return 0;
    }
    if (!this.holding) {
      this.holding = true;
      this.repairDue = true;
      this.nextDiscovery = 0;
    }
    try {
      if (this.repairDue) {
        await this.repairLog();
        this.repairDue = false;
      }
      let total = 0;
      if (Date.now() >= this.nextDiscovery) {
        this.nextDiscovery = Date.now() + this.discoverEveryMs;
        total += await this.discover();
      }
      while (this.pending.length) {
        total += await this.assign(await this.inStreamOrder(this.pending.splice(0, BATCH)));
        if (this.pending.length && !(await this.holdLease('sequencer'))) break;
      }
      return total;
    } catch (error) {
      // Whatever was half done is found again: commits by the query, log pages by the repair.
      this.repairDue = true;
      this.nextDiscovery = 0;
      this.recent = undefined;
      throw error;
    }
  }

  async undispatched(limit: number): Promise<readonly RecordedEvent[]> {
    const after = (await this.counters.findOne({ _id: 'dispatched' }))?.value ?? 0;
    const { recent } = this;
    if (recent && recent.after <= after && after <= recent.end) {
      return recent.events
        .filter((e) => e.globalPosition! > after)
        .slice(0, Math.max(1, limit))
        .map((e) => this.registry.upcast(e));
    }
    return (await this.readAll(after, limit)).events;
  }

  async markDispatched(events: readonly RecordedEvent[]): Promise<void> {
    const last = Math.max(0, ...events.map((e) => e.globalPosition ?? 0));
    if (last === 0) return;
    await this.counters.updateOne({ _id: 'dispatched' }, { $max: { value: last } }, { upsert: true });
  }

  async verify(streamId: string): Promise<VerifyReport> {
    assertStreamId(streamId);
    // Every stored commit of the stream, also behind a gap an intruder made.
    const docs = await this.commits.find({ streamId }).sort({ from: 1 }).toArray();
    return verifyChain(streamId, docs.flatMap(withGlobalPositions));
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

  /** The stream's last commit: from the remembered head (or none), probing forward by `_id`. */
  private async head(streamId: string): Promise<Head> {
    let head = this.heads.get(streamId) ?? NO_HEAD;
    for (;;) {
      const next = await this.commits.findOne({ _id: `${streamId}|${head.to + 1}` }, { projection: { from: 1, to: 1, lastHash: 1 } });
      if (!next) break;
      head = { from: next.from, to: next.to, lastHash: next.lastHash };
    }
    if (head.to > 0) this.heads.set(streamId, head);
    return head;
  }

  /**
   * A stream's commits in order, each found by `_id` at the position after its predecessor.
   * Positions ahead are probed side by side (a window that doubles while commits keep coming);
   * a probe that lands inside a longer commit just finds nothing.
   */
  private async chain(streamId: string): Promise<CommitDocument[]> {
    const commits: CommitDocument[] = [];
    let next = 1;
    for (let window = 1; ; window = Math.min(PARALLEL, window * 2)) {
      const start = next;
      const found = await Promise.all(Array.from({ length: window }, (_, i) => this.commits.findOne({ _id: `${streamId}|${start + i}` })));
      const byFrom = new Map(found.filter((c): c is CommitDocument => c !== null).map((c) => [c.from, c]));
      for (let commit = byFrom.get(next); commit; commit = byFrom.get(next)) {
        commits.push(commit);
        next = commit.to + 1;
      }
      if (next < start + window) break;
    }
    const last = commits[commits.length - 1];
    if (last) this.heads.set(streamId, { from: last.from, to: last.to, lastHash: last.lastHash });
    return commits;
  }

  /** Sequences every commit the query finds without a global position, oldest first. */
  private async discover(): Promise<number> {
    let total = 0;
    for (;;) {
      const found = await this.commits.find({ global: null }).sort({ recordedAt: 1, _id: 1 }).limit(BATCH).toArray();
      if (found.length === 0) return total;
      const ids = new Set(found.map((c) => c._id));
      this.pending = this.pending.filter((c) => !ids.has(c._id));
      total += await this.assign(await this.inStreamOrder(found));
      if (!(await this.holdLease('sequencer'))) return total;
    }
  }

  /** Puts every commit after its stream predecessor, fetching an unsequenced predecessor if needed. */
  private async inStreamOrder(pending: Pending[]): Promise<Pending[]> {
    const placed = new Set<string>();
    const ordered: Pending[] = [];
    const place = async (commit: Pending): Promise<void> => {
      if (placed.has(commit._id)) return;
      if (commit.from > 1) {
        const before = pending.find((c) => c.streamId === commit.streamId && c.to === commit.from - 1);
        const predecessor = before ?? (await this.unsequencedPredecessor(commit));
        if (predecessor) await place(predecessor);
      }
      placed.add(commit._id);
      ordered.push(commit);
    };
    for (const commit of pending) await place(commit);
    return ordered;
  }

  private async unsequencedPredecessor(commit: Pending): Promise<CommitDocument | null> {
    if (commit.previous && this.sequenced.get(commit.previous)) return null;
    const predecessor = commit.previous
      ? await this.commits.findOne({ _id: commit.previous })
      : await this.commits.findOne({ streamId: commit.streamId, to: commit.from - 1 });
    return predecessor && predecessor.global === null ? predecessor : null;
  }

  /**
   * Gives the commits (in order) consecutive global positions, then copies their events into the
   * log. A commit someone else sequenced meanwhile keeps its position; its slot becomes a gap.
   */
  private async assign(commits: Pending[]): Promise<number> {
    if (commits.length === 0) return 0;
    const total = commits.reduce((n, c) => n + c.to - c.from + 1, 0);
    const counter = await this.counters.findOneAndUpdate({ _id: 'global' }, { $inc: { value: total } }, { upsert: true, returnDocument: 'after' });
    const end = counter?.value ?? total;
    let next = end - total + 1;
    const placed = commits.map((commit) => {
      const global = next;
      next += commit.to - commit.from + 1;
      return { commit, global };
    });
    const claimed: { commit: Pending; global: number }[] = [];
    for (let i = 0; i < placed.length; i += PARALLEL) {
      const chunk = placed.slice(i, i + PARALLEL);
      const results = await Promise.all(
        chunk.map(({ commit, global }) =>
          this.commits.updateOne({ _id: commit._id, global: null }, { $set: { global, globalEnd: global + commit.to - commit.from } }),
        ),
      );
      chunk.forEach((entry, k) => results[k].matchedCount === 1 && claimed.push(entry));
    }
    for (const { commit } of claimed) this.sequenced.set(commit._id, true);
    const logged = claimed.flatMap(({ commit, global }) => commit.events.map((e, k) => ({ ...e, globalPosition: global + k })));
    const first = end - total + 1;
    const complete = await this.writeLog(first, end, logged);
    this.remember(first, end, complete ? logged : undefined);
    return claimed.reduce((n, { commit }) => n + commit.to - commit.from + 1, 0);
  }

  /**
   * Writes positions `first`…`last` of the global order (events in order; missing positions are
   * gaps) page by page. A page takes a write only if it holds nothing of it yet, so writing the
   * same range again (the repair after a crash) changes nothing.
   */
  private async writeLog(first: number, last: number, events: RecordedEvent[]): Promise<boolean> {
    let complete = true;
    for (let page = pageOf(first); page <= pageOf(last); page++) {
      const from = Math.max(first, page * PAGE + 1);
      const upTo = Math.min(last, pageEnd(page));
      const onPage = events.filter((e) => e.globalPosition! >= from && e.globalPosition! <= upTo);
      try {
        await this.log.updateOne(
          { _id: String(page), last: { $lt: from } },
          onPage.length ? { $push: { chunks: JSON.stringify(onPage) }, $set: { last: upTo } } : { $set: { last: upTo } },
          { upsert: true },
        );
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        complete = false;
      }
    }
    return complete;
  }

  /** Keeps the log's tail in memory if it continues what is kept (the last `RECENT` events). */
  private remember(first: number, last: number, events: RecordedEvent[] | undefined): void {
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

  /** Copies into the log what a sequencer gave positions to but did not log before it stopped. */
  private async repairLog(): Promise<void> {
    this.recent = undefined;
    const assigned = (await this.counters.findOne({ _id: 'global' }))?.value ?? 0;
    let logged = 0;
    for (let page = pageOf(assigned); page >= 0 && assigned > 0; page--) {
      const doc = await this.log.findOne({ _id: String(page) }, { projection: { last: 1 } });
      if (doc) {
        logged = doc.last;
        break;
      }
    }
    if (logged >= assigned) return;
    for (let after = logged; after < assigned; ) {
      const docs = await this.commits.find({ globalEnd: { $gt: after } }).sort({ globalEnd: 1 }).limit(BATCH).toArray();
      const events = docs.flatMap(withGlobalPositions).filter((e) => e.globalPosition! > after && e.globalPosition! <= assigned);
      const upTo = docs.length < BATCH ? assigned : Math.min(assigned, events[events.length - 1]?.globalPosition ?? assigned);
      await this.writeLog(after + 1, upTo, events);
      after = upTo;
    }
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

/** A bounded map that forgets the least recently used entry first. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}

function withGlobalPositions(commit: CommitDocument): RecordedEvent[] {
  const { global } = commit;
  return global === null ? commit.events : commit.events.map((event, index) => ({ ...event, globalPosition: global + index }));
}
