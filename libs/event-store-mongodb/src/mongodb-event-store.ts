import { randomUUID } from 'crypto';
import type { Collection, Db } from 'mongodb';
import {
  type AppendRequest, type AppendResult, type CheckpointRecord, type EventRegistry, type EventStore, type ReadAllResult,
  type RecordedEvent, type StreamHead, type VerifyReport, GENESIS_HASH, InvalidInput, WrongExpectedVersion, assertPosition, assertStreamId, rememberEncoding, sealEvents, verifyChain,
} from '@dotpha/kernel';
import { CheckpointStorage, type StoredCommit, scanCommits, streamHeadsOf } from './audit-storage';
import { ensureIndexes } from './indexes';
import { type LogChunk, LogScan, encodeLogEvents, storedJson } from './log-scan';

/**
 * One document per append ("commit"), `_id` = `<streamId>|<first position>`. An append is
 * accepted only if the caller's expected version is the stream's last position and the commit
 * starts right after it: two racing appends at one version collide on `_id`, so exactly one
 * wins, and a single-document insert is all-or-nothing without transactions.
 *
 * Nothing stored is ever updated but the small counters, the hot paths insert and read only by
 * `_id`, and what this process wrote it remembers instead of reading back: on MongoDB a lookup
 * by `_id` is an index lookup; on FerretDB 1.x (the test server) only an insert costs the same
 * at any size, every read scans the collection (docs/ferretdb.md).
 * - The stream head is remembered per stream (LRU) and otherwise found by probing
 *   `<stream>|<to + 1>` forward; a remembered head is safe even when stale, because heads are
 *   commit boundaries: if another writer moved the stream on, its commit holds `<stream>|<to + 1>`
 *   and our insert collides on `_id` (WrongExpectedVersion).
 * - A stream is read by following its commits from `<stream>|1`.
 * - The sequencer (one lease holder) takes the commits this process appended from memory, takes
 *   a range of global positions and a chunk number from the counter, claims each commit (an
 *   insert into `claims` keyed by the commit's `_id`: a commit is sequenced once), and writes the
 *   events as chunk `n` of the global log, which `readAll` and the outbox read by `_id`. Commits
 *   other processes appended, and whatever a crash left half done, are found by a query every
 *   `discoverEveryMs` and when the lease changes hands.
 * - The outbox is a checkpoint: the global position the relay has published up to.
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
}

/** A commit's global position, inserted once: the claim that it is sequenced. */
interface Claim {
  _id: string;
  global: number;
}

/** A stream's last commit as far as this process knows. */
interface Head {
  from: number;
  to: number;
  lastHash: string;
}

/** A commit waiting for its global position; `previous` is its predecessor's `_id` where known. */
type Pending = Pick<CommitDocument, '_id' | 'streamId' | 'from' | 'to' | 'events' | 'recordedAt'> & { previous?: string };

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
  /** How long an append may take between its recordedAt and its insert, for that query. */
  readonly appendMarginMs?: number;
  /** How many stream heads to remember. */
  readonly headCacheSize?: number;
}

const DUPLICATE_KEY = 11000;
const BATCH = 500;
const PARALLEL = 16;
const RECENT = 5_000;
const NO_HEAD: Head = { from: 0, to: 0, lastHash: GENESIS_HASH };

interface Counter {
  _id: string;
  value: number;
  /** On `global`: the number of the last chunk given out. */
  chunks?: number;
}

export class MongoEventStore implements EventStore {
  readonly instance: string;
  private readonly commits: Collection<CommitDocument>;
  private readonly log: Collection<LogChunk>;
  private readonly claims: Collection<Claim>;
  private readonly counters: Collection<Counter>;
  private readonly leases: Collection<{ _id: string; holder: string; expiresAt: Date }>;
  private readonly checkpoints: CheckpointStorage;
  private readonly registry: EventRegistry;
  private readonly now: () => Date;
  private readonly holder = randomUUID();
  private readonly leaseMs: number;
  private readonly discoverEveryMs: number;
  private readonly appendMarginMs: number;
  private readonly heads: Lru<Head>;
  /** Commit ids this process sequenced lately: no need to ask whether they are claimed. */
  private readonly sequenced = new Lru<true>(50_000);
  /** Where `readAll` goes on from a checkpoint: a pass over the log (an open cursor). */
  private readonly scans = new Lru<LogScan>(64, (scan) => void scan.close());
  private pending: Pending[] = [];
  /**
   * The tail of the global log as this process, holding the lease, wrote it: every position in
   * (after, end], so the outbox reads it from memory while the relay keeps up.
   */
  private recent: { after: number; end: number; events: RecordedEvent[] } | undefined;
  private holding = false;
  /** When this process last renewed the sequencer lease (ms), and the outbox mark it last saw or set. */
  private renewedAt = 0;
  private dispatchedMark: number | undefined;
  /** While holding the lease: how far this process knows the log goes. */
  private logEnd: number | undefined;
  private repairDue = true;
  private nextDiscovery = 0;

  private constructor(options: MongoEventStoreOptions) {
    const prefix = options.prefix ? `${options.prefix}.` : '';
    this.instance = options.instance;
    this.registry = options.registry;
    this.now = options.now ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 10_000;
    this.discoverEveryMs = options.discoverEveryMs ?? 5_000;
    this.appendMarginMs = options.appendMarginMs ?? 30_000;
    this.heads = new Lru(options.headCacheSize ?? 10_000);
    this.commits = options.db.collection(`${prefix}commits`);
    this.log = options.db.collection(`${prefix}log`);
    this.claims = options.db.collection(`${prefix}claims`);
    this.counters = options.db.collection(`${prefix}counters`);
    this.leases = options.db.collection(`${prefix}leases`);
    this.checkpoints = new CheckpointStorage(options.db, prefix);
  }

  static async create(options: MongoEventStoreOptions): Promise<MongoEventStore> {
    const store = new MongoEventStore(options);
    // For the queries that stay (audit, listing, discovery, repair): cheap on MongoDB.
    await ensureIndexes(store.commits, [
      { key: { streamId: 1, to: -1 }, name: 'stream_head' },
      { key: { recordedAt: 1 }, name: 'recorded' },
    ]);
    await ensureIndexes(store.claims, [{ key: { global: 1 }, name: 'global' }]);
    await ensureIndexes(store.log, [{ key: { last: 1 }, name: 'last' }]);
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
      .flatMap((c) => c.events)
      .filter((e) => e.streamPosition >= fromPosition)
      .map((e) => this.registry.upcast(e));
  }

  async streamVersion(streamId: string): Promise<number> {
    assertStreamId(streamId);
    return (await this.head(streamId)).to;
  }

  async readAll(after: number, limit = 1000): Promise<ReadAllResult> {
    assertPosition(after, 'checkpoint');
    return this.page(after, limit, false);
  }

  /** A page of the log after `after`; with `wire`, each event not upcast carries its stored JSON along. */
  private async page(after: number, limit: number, wire: boolean): Promise<ReadAllResult> {
    const want = Math.max(1, limit);
    const events: RecordedEvent[] = [];
    const scan = this.scans.take(String(after)) ?? new LogScan(this.log, after, (from) => this.chunkAfter(from));
    try {
      while (events.length < want) {
        const doc = await scan.chunk();
        if (!doc) break;
        const all = JSON.parse(doc.events) as RecordedEvent[];
        const json = wire ? storedJson(doc, all.length) : undefined;
        if (json) all.forEach((e, i) => e.globalPosition! > after && rememberEncoding(e, json(i)));
        const fresh = all.filter((e) => e.globalPosition! > after);
        const room = want - events.length;
        events.push(...fresh.slice(0, room));
        if (fresh.length > room) break; // the rest of this chunk comes with the next page
        scan.advance();
      }
    } catch (error) {
      await scan.close();
      throw error;
    }
    const checkpoint = events.length ? events[events.length - 1].globalPosition! : after;
    this.scans.set(String(checkpoint), scan);
    return { events: events.map((e) => this.registry.upcast(e)), checkpoint };
  }

  async sequencePending(): Promise<number> {
    // Idle: nothing appended here, nothing due, the lease fresh. A relay polls often; this costs nothing.
    const idle = this.holding && !this.repairDue && this.pending.length === 0 && Date.now() < this.nextDiscovery;
    if (idle && this.now().getTime() - this.renewedAt < this.leaseMs / 3) return 0;
    if (!(await this.holdLease('sequencer'))) {
      // The holder finds what this process appended by its query; its positions are not ours to give.
      this.pending = [];
      this.forgetLogTail();
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
        total += await this.discover();
        // Counted from the end of the look: on a server that scans, a look can take seconds.
        this.nextDiscovery = Date.now() + this.discoverEveryMs;
      }
      // What was pending when called: appends that keep coming wait for the next call, so the
      // relay gets to publish between calls.
      for (let left = this.pending.length; left > 0 && this.pending.length; ) {
        const batch = this.pending.splice(0, Math.min(BATCH, left));
        left -= batch.length;
        total += await this.assign(await this.inStreamOrder(batch));
        if (left > 0 && !(await this.holdLease('sequencer'))) break;
      }
      return total;
    } catch (error) {
      // Whatever was half done is found again: commits by the query, chunks by the repair.
      this.repairDue = true;
      this.nextDiscovery = 0;
      this.forgetLogTail();
      throw error;
    }
  }

  async undispatched(limit: number, ahead?: number): Promise<readonly RecordedEvent[]> {
    if (ahead !== undefined) assertPosition(ahead, 'after');
    const { recent } = this;
    // Nothing logged here since the mark this process saw (or the position asked for): nothing to
    // read (another relay's mark further on only makes this one publish again, which consumers absorb).
    const known = recent?.end ?? this.logEnd;
    const from = ahead ?? this.dispatchedMark;
    if (this.holding && known !== undefined && from !== undefined && from >= known) return [];
    const after = ahead ?? (this.dispatchedMark = (await this.counters.findOne({ _id: 'dispatched' }))?.value ?? 0);
    if (recent && recent.after <= after && after <= recent.end) {
      return recent.events
        .filter((e) => e.globalPosition! > after)
        .slice(0, Math.max(1, limit))
        .map((e) => this.registry.upcast(e));
    }
    return (await this.page(after, limit, true)).events;
  }

  async markDispatched(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.reduce((max, e) => Math.max(max, e.globalPosition ?? 0), 0);
    if (last === 0) return;
    await this.counters.updateOne({ _id: 'dispatched' }, { $max: { value: last } }, { upsert: true });
    this.dispatchedMark = Math.max(this.dispatchedMark ?? 0, last);
  }

  async verify(streamId: string): Promise<VerifyReport> {
    assertStreamId(streamId);
    // Every stored commit of the stream, also behind a gap an intruder made.
    const docs = await this.commits.find({ streamId }).sort({ from: 1 }).toArray();
    return verifyChain(streamId, docs.flatMap((c) => c.events));
  }

  async listStreams(after = '', limit = 1000): Promise<readonly string[]> {
    const docs = await this.commits
      .find({ from: 1, streamId: { $gt: String(after) } }, { projection: { streamId: 1 } })
      .sort({ streamId: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d.streamId);
  }

  streamHeads(): Promise<readonly StreamHead[]> {
    return streamHeadsOf(this.commits as unknown as Collection<StoredCommit>);
  }

  scanStreams(visit: (streamId: string, stored: readonly RecordedEvent[]) => void | Promise<void>): Promise<void> {
    return scanCommits(this.commits as unknown as Collection<StoredCommit>, visit);
  }

  saveCheckpoint(record: CheckpointRecord): Promise<void> {
    return this.checkpoints.save(record);
  }

  latestCheckpoint(): Promise<CheckpointRecord | null> {
    return this.checkpoints.latest();
  }

  async close(): Promise<void> {
    this.scans.clear();
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

  /** The first chunk that may hold positions after `after` (binary search over the chunks' ends). */
  private async chunkAfter(after: number): Promise<number> {
    if (after === 0) return 1;
    const chunks = (await this.counters.findOne({ _id: 'global' }))?.chunks ?? 0;
    let low = 1;
    let high = chunks + 1;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      const doc = await this.log.findOne({ _id: String(middle) }, { projection: { last: 1 } });
      if (doc && doc.last <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Sequences the commits the query finds unclaimed, recorded since the last look (less a
   * margin for appends still in flight then). Never moves its mark past a commit still waiting
   * in memory, which a crash would otherwise leave unsequenced for good.
   */
  private async discover(): Promise<number> {
    const started = this.now().getTime();
    const mark = (await this.counters.findOne({ _id: 'discovered' }))?.value ?? 0;
    const since = new Date(Math.max(0, mark - this.appendMarginMs));
    const recorded = await this.commits.find({ recordedAt: { $gte: since } }, { projection: { events: 0 } }).sort({ recordedAt: 1, _id: 1 }).toArray();
    const waiting = new Set(this.pending.map((c) => c._id));
    const unknown = recorded.filter((c) => !this.sequenced.get(c._id) && !waiting.has(c._id));
    const unclaimed: CommitDocument[] = [];
    // A query per batch, not a lookup per commit (a scan each on a server without indexes); what
    // is claimed is remembered, so the next look (whose window overlaps this one) skips it.
    for (let i = 0; i < unknown.length; i += BATCH) {
      const ids = unknown.slice(i, i + BATCH).map((c) => c._id);
      const claimed = new Set((await this.claims.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray()).map((c) => c._id));
      for (const id of claimed) this.sequenced.set(id, true);
      const open = ids.filter((id) => !claimed.has(id));
      if (open.length) unclaimed.push(...(await this.commits.find({ _id: { $in: open } }).toArray()));
    }
    unclaimed.sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    let total = 0;
    for (let i = 0; i < unclaimed.length; i += BATCH) total += await this.assign(await this.inStreamOrder(unclaimed.slice(i, i + BATCH)));
    const oldestWaiting = Math.min(started, ...this.pending.map((c) => c.recordedAt.getTime()));
    await this.counters.updateOne({ _id: 'discovered' }, { $set: { value: oldestWaiting } }, { upsert: true });
    return total;
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
    if (!predecessor || this.sequenced.get(predecessor._id)) return null;
    return (await this.claims.findOne({ _id: predecessor._id })) ? null : predecessor;
  }

  /**
   * Gives the commits (in order) consecutive global positions and a chunk number, claims them,
   * and writes the chunk. A commit another sequencer claimed first keeps its position; its slot
   * here becomes a gap.
   */
  private async assign(commits: Pending[]): Promise<number> {
    if (commits.length === 0) return 0;
    const total = commits.reduce((n, c) => n + c.to - c.from + 1, 0);
    const counter = await this.counters.findOneAndUpdate(
      { _id: 'global' },
      { $inc: { value: total, chunks: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    const last = counter?.value ?? total;
    const chunk = counter?.chunks ?? 1;
    const first = last - total + 1;
    let next = first;
    const placed = commits.map((commit) => {
      const global = next;
      next += commit.to - commit.from + 1;
      return { commit, global };
    });
    const refused = await this.claim(placed.map(({ commit, global }) => ({ _id: commit._id, global })));
    const claimed = placed.filter(({ commit }) => !refused.has(commit._id));
    for (const { commit } of claimed) this.sequenced.set(commit._id, true);
    const events = claimed.flatMap(({ commit, global }) => commit.events.map((e, k) => ({ ...e, globalPosition: global + k })));
    const { stored, parts } = encodeLogEvents(events);
    const written = await this.writeChunk({ _id: String(chunk), first, last, ...stored });
    if (written) events.forEach((e, i) => rememberEncoding(e, parts[i]));
    this.remember(first, last, written ? events : undefined);
    this.logEnd = written ? last : undefined;
    return claimed.reduce((n, { commit }) => n + commit.to - commit.from + 1, 0);
  }

  /** Inserts the claims; returns the ids another sequencer had claimed already. */
  private async claim(claims: Claim[]): Promise<Set<string>> {
    const refused = new Set<string>();
    for (let i = 0; i < claims.length; i += BATCH) {
      const slice = claims.slice(i, i + BATCH);
      try {
        await this.claims.insertMany(slice, { ordered: false });
      } catch (error) {
        const failures = (error as { writeErrors?: WriteFailure[] | WriteFailure }).writeErrors;
        const list = Array.isArray(failures) ? failures : failures ? [failures] : [];
        if (list.length === 0 || list.some((f) => f.code !== DUPLICATE_KEY)) throw error;
        for (const f of list) refused.add(slice[f.index]._id);
      }
    }
    return refused;
  }

  /** Inserts a chunk; false if it was there already (written by a repair or another sequencer). */
  private async writeChunk(chunk: LogChunk): Promise<boolean> {
    try {
      await this.log.insertOne(chunk);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** After anything that may leave the log other than this process wrote it. */
  private forgetLogTail(): void {
    this.recent = undefined;
    this.logEnd = undefined;
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

  /**
   * Writes the chunks a sequencer took numbers for but did not write before it stopped: the
   * claimed commits of their range, the rest as gaps. Readers wait at a missing chunk till then.
   */
  private async repairLog(): Promise<void> {
    this.forgetLogTail();
    const counter = await this.counters.findOne({ _id: 'global' });
    const chunks = counter?.chunks ?? 0;
    let present = chunks;
    let found: Pick<LogChunk, 'last'> | null = null;
    while (present > 0 && !(found = await this.log.findOne({ _id: String(present) }, { projection: { last: 1 } }))) present--;
    if (present === chunks) {
      this.logEnd = counter?.value ?? 0;
      return;
    }
    const after = found?.last ?? 0;
    const end = counter!.value;
    const claims = await this.claims.find({ global: { $gt: after } }).sort({ global: 1 }).toArray();
    const events: RecordedEvent[] = [];
    for (const claim of claims) {
      const commit = await this.commits.findOne({ _id: claim._id });
      if (commit) events.push(...commit.events.map((e, k) => ({ ...e, globalPosition: claim.global + k })));
    }
    // Missing chunks before the last stay empty; the last holds the whole range.
    for (let n = present + 1; n < chunks; n++) await this.writeChunk({ _id: String(n), first: after + 1, last: after, events: '[]' });
    await this.writeChunk({ _id: String(chunks), first: after + 1, last: end, ...encodeLogEvents(events.filter((e) => e.globalPosition! <= end)).stored });
  }

  private async holdLease(name: string): Promise<boolean> {
    const now = this.now();
    try {
      await this.leases.findOneAndUpdate(
        { _id: name, $or: [{ holder: this.holder }, { expiresAt: { $lt: now } }] },
        { $set: { holder: this.holder, expiresAt: new Date(now.getTime() + this.leaseMs) } },
        { upsert: true },
      );
      this.renewedAt = now.getTime();
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
  constructor(private readonly size: number, private readonly evicted?: (value: V) => void) {}

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
    if (this.map.size > this.size) {
      const [oldest, value] = this.map.entries().next().value!;
      this.map.delete(oldest);
      this.evicted?.(value);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** Removes and returns the value (not evicted: the caller has it). */
  take(key: string): V | undefined {
    const value = this.map.get(key);
    this.map.delete(key);
    return value;
  }

  clear(): void {
    for (const value of this.map.values()) this.evicted?.(value);
    this.map.clear();
  }
}

interface WriteFailure {
  readonly index: number;
  readonly code?: number;
}
