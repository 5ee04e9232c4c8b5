import { randomUUID } from 'crypto';
import { LRUCache } from 'lru-cache';
import type { mongo } from 'mongoose';
import { type RecordedEvent, rememberEncoding } from '@dotpha/kernel';
import { type CommitDocument, type CommitStore, isDuplicateKey } from './commit-store';
import { ensureIndexes } from './indexes';
import { type LogChunk, encodeLogEvents } from './log-scan';

/** A commit's global position, inserted once: the claim that it is sequenced. */
interface Claim {
  _id: string;
  global: number;
}

export interface Counter {
  _id: string;
  value: number;
  /** On `global`: the number of the last chunk given out. */
  chunks?: number;
}

/** A commit waiting for its global position; `previous` is its predecessor's `_id` where known. */
type Pending = Pick<CommitDocument, '_id' | 'streamId' | 'from' | 'to' | 'events' | 'recordedAt'> & { previous?: string };

/** What the sequencer tells about the end of the log it writes (the outbox tail keeps it). */
export interface LogEnd {
  /** Positions `first`…`last` written as one chunk: their events, or undefined if the chunk was there already. */
  wrote(first: number, last: number, events: RecordedEvent[] | undefined): void;
  /** The log is complete up to `end` (after a repair). */
  reached(end: number): void;
  /** After anything that may leave the log other than this process wrote it. */
  forget(): void;
}

export interface SequencerOptions {
  readonly db: mongo.Db;
  readonly prefix: string;
  readonly commits: CommitStore;
  readonly end: LogEnd;
  readonly now: () => Date;
  readonly leaseMs: number;
  readonly discoverEveryMs: number;
  readonly appendMarginMs: number;
}

const BATCH = 500;
const LEASE = 'sequencer';

/**
 * The global order, kept by one lease holder: it takes the commits this process appended from
 * memory, takes a range of global positions and a chunk number from the counter, claims each
 * commit (an insert into `claims` keyed by the commit's `_id`: a commit is sequenced once), and
 * writes the events as chunk `n` of the global log, which `readAll` and the outbox read by `_id`.
 * Commits other processes appended, and whatever a crash left half done, are found by a query
 * every `discoverEveryMs` and when the lease changes hands.
 */
export class Sequencer {
  private readonly commits: CommitStore;
  private readonly end: LogEnd;
  private readonly log: mongo.Collection<LogChunk>;
  private readonly claims: mongo.Collection<Claim>;
  private readonly counters: mongo.Collection<Counter>;
  private readonly leases: mongo.Collection<{ _id: string; holder: string; expiresAt: Date }>;
  private readonly now: () => Date;
  private readonly holder = randomUUID();
  private readonly leaseMs: number;
  private readonly discoverEveryMs: number;
  private readonly appendMarginMs: number;
  /** Commit ids this process sequenced lately: no need to ask whether they are claimed. */
  private readonly sequenced = new LRUCache<string, true>({ max: 50_000 });
  private pending: Pending[] = [];
  private holdingLease = false;
  /** When this process last renewed the lease (ms). */
  private renewedAt = 0;
  private repairDue = true;
  private nextDiscovery = 0;

  constructor(options: SequencerOptions) {
    const { db, prefix } = options;
    this.commits = options.commits;
    this.end = options.end;
    this.now = options.now;
    this.leaseMs = options.leaseMs;
    this.discoverEveryMs = options.discoverEveryMs;
    this.appendMarginMs = options.appendMarginMs;
    this.log = db.collection(`${prefix}log`);
    this.claims = db.collection(`${prefix}claims`);
    this.counters = db.collection(`${prefix}counters`);
    this.leases = db.collection(`${prefix}leases`);
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.claims, [{ key: { global: 1 }, name: 'global' }]);
    await ensureIndexes(this.log, [{ key: { last: 1 }, name: 'last' }]);
  }

  /** Whether this process held the lease when it last asked. */
  get holding(): boolean {
    return this.holdingLease;
  }

  /** A commit this process appended, to sequence on the next call. */
  enqueue(commit: CommitDocument, previous: string | undefined): void {
    this.pending.push({ ...commit, previous });
  }

  /** The number of the last chunk given out. */
  async chunks(): Promise<number> {
    return (await this.counters.findOne({ _id: 'global' }))?.chunks ?? 0;
  }

  async sequencePending(): Promise<number> {
    // Idle: nothing appended here, nothing due, the lease fresh. A relay polls often; this costs nothing.
    const idle = this.holdingLease && !this.repairDue && this.pending.length === 0 && Date.now() < this.nextDiscovery;
    if (idle && this.now().getTime() - this.renewedAt < this.leaseMs / 3) return 0;
    if (!(await this.holdLease())) {
      // The holder finds what this process appended by its query; its positions are not ours to give.
      this.pending = [];
      this.end.forget();
      this.holdingLease = false;
      return 0;
    }
    if (!this.holdingLease) {
      this.holdingLease = true;
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
        if (left > 0 && !(await this.holdLease())) break;
      }
      return total;
    } catch (error) {
      // Whatever was half done is found again: commits by the query, chunks by the repair.
      this.repairDue = true;
      this.nextDiscovery = 0;
      this.end.forget();
      throw error;
    }
  }

  /** Gives the lease up if this process holds it. */
  async release(): Promise<void> {
    await this.leases.deleteOne({ _id: LEASE, holder: this.holder }).catch(() => undefined);
  }

  /**
   * Sequences the commits the query finds unclaimed, recorded since the last look (less a
   * margin for appends still in flight then). Never moves its mark past a commit still waiting
   * in memory, which a crash would otherwise leave unsequenced for good.
   */
  private async discover(): Promise<number> {
    const started = this.now().getTime();
    const mark = (await this.counters.findOne({ _id: 'discovered' }))?.value ?? 0;
    const recorded = await this.commits.recordedSince(new Date(Math.max(0, mark - this.appendMarginMs)));
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
      if (open.length) unclaimed.push(...(await this.commits.byIds(open)));
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
    const predecessor = commit.previous ? await this.commits.byId(commit.previous) : await this.commits.endingAt(commit.streamId, commit.from - 1);
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
    this.end.wrote(first, last, written ? events : undefined);
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
        if (list.length === 0 || list.some((f) => !isDuplicateKey(f))) throw error;
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
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Writes the chunks a sequencer took numbers for but did not write before it stopped: the
   * claimed commits of their range, the rest as gaps. Readers wait at a missing chunk till then.
   */
  private async repairLog(): Promise<void> {
    this.end.forget();
    const counter = await this.counters.findOne({ _id: 'global' });
    const chunks = counter?.chunks ?? 0;
    let present = chunks;
    let found: Pick<LogChunk, 'last'> | null = null;
    while (present > 0 && !(found = await this.log.findOne({ _id: String(present) }, { projection: { last: 1 } }))) present--;
    if (present === chunks) {
      this.end.reached(counter?.value ?? 0);
      return;
    }
    const after = found?.last ?? 0;
    const end = counter!.value;
    const claims = await this.claims.find({ global: { $gt: after } }).sort({ global: 1 }).toArray();
    const events: RecordedEvent[] = [];
    for (const claim of claims) {
      const commit = await this.commits.byId(claim._id);
      if (commit) events.push(...commit.events.map((e, k) => ({ ...e, globalPosition: claim.global + k })));
    }
    // Missing chunks before the last stay empty; the last holds the whole range.
    for (let n = present + 1; n < chunks; n++) await this.writeChunk({ _id: String(n), first: after + 1, last: after, events: '[]' });
    await this.writeChunk({ _id: String(chunks), first: after + 1, last: end, ...encodeLogEvents(events.filter((e) => e.globalPosition! <= end)).stored });
  }

  private async holdLease(): Promise<boolean> {
    const now = this.now();
    try {
      await this.leases.findOneAndUpdate(
        { _id: LEASE, $or: [{ holder: this.holder }, { expiresAt: { $lt: now } }] },
        { $set: { holder: this.holder, expiresAt: new Date(now.getTime() + this.leaseMs) } },
        { upsert: true },
      );
      this.renewedAt = now.getTime();
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}

interface WriteFailure {
  readonly index: number;
  readonly code?: number;
}
