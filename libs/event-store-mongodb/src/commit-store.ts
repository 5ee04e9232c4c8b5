import { LRUCache } from 'lru-cache';
import type { mongo } from 'mongoose';
import {
  type AppendRequest, type EventRegistry, type RecordedEvent, type StreamHead, type VerifyReport,
  GENESIS_HASH, WrongExpectedVersion, sealEvents, verifyChain,
} from '@dotpha/kernel';
import { type StoredCommit, scanCommits, streamHeadsOf } from './audit-storage';
import { ensureIndexes } from './indexes';

/** One append: `_id` = `<streamId>|<from>`, so two appends at one version collide. */
export interface CommitDocument {
  _id: string;
  streamId: string;
  streamType: string;
  from: number;
  to: number;
  events: RecordedEvent[];
  lastHash: string;
  recordedAt: Date;
}

/** A stream's last commit as far as this process knows. */
interface Head {
  from: number;
  to: number;
  lastHash: string;
}

const NO_HEAD: Head = { from: 0, to: 0, lastHash: GENESIS_HASH };
const PARALLEL = 16;
const DUPLICATE_KEY = 11000;

export const isDuplicateKey = (error: unknown): boolean => (error as { code?: number }).code === DUPLICATE_KEY;

/**
 * The commits: appends by one insert each, streams read by `_id`. The stream head is remembered
 * per stream and otherwise found by probing `<stream>|<to + 1>` forward; a remembered head is
 * safe even when stale, because heads are commit boundaries: if another writer moved the stream
 * on, its commit holds `<stream>|<to + 1>` and our insert collides on `_id` (WrongExpectedVersion).
 * Audit (`verify`) and `listStreams` query by stream, as they must see every stored commit.
 */
export class CommitStore {
  private readonly heads: LRUCache<string, Head>;

  constructor(
    private readonly commits: mongo.Collection<CommitDocument>,
    private readonly registry: EventRegistry,
    private readonly instance: string,
    private readonly now: () => Date,
    headCacheSize: number,
  ) {
    this.heads = new LRUCache({ max: headCacheSize });
  }

  /** For the queries that stay (audit, listing, discovery, repair): cheap on MongoDB. */
  ensureIndexes(): Promise<void> {
    return ensureIndexes(this.commits, [
      { key: { streamId: 1, to: -1 }, name: 'stream_head' },
      { key: { recordedAt: 1 }, name: 'recorded' },
    ]);
  }

  /**
   * Inserts the request's events as one commit right after the stream's head; returns it with
   * its predecessor's `_id` where there is one. The request is validated by the caller.
   */
  async append(request: AppendRequest): Promise<{ commit: CommitDocument; previous?: string }> {
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
      if (isDuplicateKey(error)) {
        this.heads.delete(streamId);
        throw new WrongExpectedVersion(streamId, expectedVersion, 'unknown');
      }
      throw error;
    }
    this.remember(commit);
    return { commit, previous: head.from ? `${streamId}|${head.from}` : undefined };
  }

  /** The stream's last commit: from the remembered head (or none), probing forward by `_id`. */
  async head(streamId: string): Promise<Head> {
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
  async chain(streamId: string): Promise<CommitDocument[]> {
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
    if (last) this.remember(last);
    return commits;
  }

  byId(id: string): Promise<CommitDocument | null> {
    return this.commits.findOne({ _id: id });
  }

  /** The commit of the stream that ends at `to` (a query, not by `_id`). */
  endingAt(streamId: string, to: number): Promise<CommitDocument | null> {
    return this.commits.findOne({ streamId, to });
  }

  byIds(ids: string[]): Promise<CommitDocument[]> {
    return this.commits.find({ _id: { $in: ids } }).toArray();
  }

  /** Commits recorded since `since`, without their events, in the order they were recorded. */
  recordedSince(since: Date): Promise<Omit<CommitDocument, 'events'>[]> {
    return this.commits.find({ recordedAt: { $gte: since } }, { projection: { events: 0 } }).sort({ recordedAt: 1, _id: 1 }).toArray();
  }

  async verify(streamId: string): Promise<VerifyReport> {
    // Every stored commit of the stream, also behind a gap an intruder made.
    const docs = await this.commits.find({ streamId }).sort({ from: 1 }).toArray();
    return verifyChain(streamId, docs.flatMap((c) => c.events));
  }

  async listStreams(after: string, limit: number): Promise<readonly string[]> {
    const docs = await this.commits
      .find({ from: 1, streamId: { $gt: after } }, { projection: { streamId: 1 } })
      .sort({ streamId: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d.streamId);
  }

  streamHeads(): Promise<readonly StreamHead[]> {
    return streamHeadsOf(this.commits as unknown as mongo.Collection<StoredCommit>);
  }

  scanStreams(visit: (streamId: string, stored: readonly RecordedEvent[]) => void | Promise<void>): Promise<void> {
    return scanCommits(this.commits as unknown as mongo.Collection<StoredCommit>, visit);
  }

  private remember(commit: CommitDocument): void {
    this.heads.set(commit.streamId, { from: commit.from, to: commit.to, lastHash: commit.lastHash });
  }
}
