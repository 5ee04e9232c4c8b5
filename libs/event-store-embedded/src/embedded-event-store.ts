import { ClassicLevel } from 'classic-level';
import {
  type AppendRequest, type AppendResult, type CheckpointRecord, type EventRegistry, type EventStore, type ReadAllResult,
  type RecordedEvent, type StreamHead, type VerifyReport, GENESIS_HASH, InvalidInput, WrongExpectedVersion, assertPosition, assertStreamId,
  sealEvents, verifyChain,
} from '@dotpha/kernel';

interface Commit {
  streamId: string;
  from: number;
  to: number;
  global: number;
  events: RecordedEvent[];
}

interface Head {
  to: number;
  lastHash: string;
}

type Value = Commit | Head | CheckpointRecord | number | string;

export interface EmbeddedEventStoreOptions {
  /** Folder of the LevelDB database; created if missing. */
  readonly location: string;
  readonly instance: string;
  readonly registry: EventRegistry;
  readonly now?: () => Date;
  /** Told once per damaged entry found while reading (a global index entry whose commit is gone). */
  readonly onDamage?: (message: string) => void;
}

const pad = (n: number) => n.toString().padStart(16, '0');
const hex = (streamId: string) => Buffer.from(streamId, 'utf8').toString('hex');
const keys = {
  commit: (streamId: string, from: number) => `s!${hex(streamId)}!${pad(from)}`,
  head: (streamId: string) => `h!${hex(streamId)}`,
  global: (position: number) => `g!${pad(position)}`,
  outbox: (position: number) => `o!${pad(position)}`,
  checkpoint: (sequence: number) => `k!${pad(sequence)}`,
  lastGlobal: 'm!global',
};

/**
 * The store of the one-process mode: LevelDB on local disk, no server. Each append is one
 * synced atomic batch (commit, stream head, global index, outbox entry), so a crash leaves the
 * append whole or absent. Appends are serialized in-process; LevelDB's lock keeps other
 * processes out. Events are sequenced when appended.
 */
export class EmbeddedEventStore implements EventStore {
  readonly instance: string;
  private writes: Promise<unknown> = Promise.resolve();
  private lastGlobal = 0;
  /** Index entries found pointing at a commit that is not stored: the log was damaged behind our back. */
  private readonly damaged = new Set<string>();

  private constructor(private readonly db: ClassicLevel<string, Value>, private readonly options: EmbeddedEventStoreOptions) {
    this.instance = options.instance;
  }

  static async open(options: EmbeddedEventStoreOptions): Promise<EmbeddedEventStore> {
    const db = new ClassicLevel<string, Value>(options.location, { valueEncoding: 'json' });
    await db.open();
    const store = new EmbeddedEventStore(db, options);
    store.lastGlobal = ((await db.get(keys.lastGlobal)) as number | undefined) ?? 0;
    return store;
  }

  append(request: AppendRequest): Promise<AppendResult> {
    const run = this.writes.catch(() => undefined).then(() => this.appendNow(request));
    this.writes = run;
    return run;
  }

  private async appendNow(request: AppendRequest): Promise<AppendResult> {
    const { streamId, streamType, expectedVersion, events: pending } = request;
    assertStreamId(streamId);
    assertPosition(expectedVersion, 'expectedVersion');
    if (typeof streamType !== 'string' || !streamType) throw new InvalidInput('streamType is required');
    if (!Array.isArray(pending) || pending.length === 0) throw new InvalidInput('an append needs at least one event');
    const { registry } = this.options;
    registry.validateAppend(pending);

    const head = (await this.db.get(keys.head(streamId))) as Head | undefined;
    const actual = head?.to ?? 0;
    if (actual !== expectedVersion) throw new WrongExpectedVersion(streamId, expectedVersion, actual);

    const recordedAt = (this.options.now?.() ?? new Date()).toISOString();
    const global = this.lastGlobal + 1;
    const events = sealEvents(
      pending.map((e) => ({
        eventId: e.eventId,
        type: e.type,
        version: registry.definition(e.type).version,
        streamId,
        streamType,
        occurredAt: e.occurredAt,
        recordedAt,
        instance: this.instance,
        actor: e.actor,
        correlationId: e.correlationId,
        causationId: e.causationId,
        classification: registry.definition(e.type).classification,
        data: e.data,
      })),
      actual + 1,
      head?.lastHash ?? GENESIS_HASH,
    );
    const to = actual + events.length;
    const commitKey = keys.commit(streamId, actual + 1);
    const commit: Commit = { streamId, from: actual + 1, to, global, events };
    const batch: { type: 'put'; key: string; value: Value }[] = [
        { type: 'put', key: commitKey, value: commit },
        { type: 'put', key: keys.head(streamId), value: { to, lastHash: events[events.length - 1].hash } },
        { type: 'put', key: keys.global(global), value: commitKey },
        { type: 'put', key: keys.outbox(global), value: commitKey },
        { type: 'put', key: keys.lastGlobal, value: global + events.length - 1 },
    ];
    await this.db.batch(batch, { sync: true });
    this.lastGlobal = global + events.length - 1;
    return { streamId, position: to, events: withGlobalPositions(commit) };
  }

  async readStream(streamId: string, fromPosition = 1): Promise<readonly RecordedEvent[]> {
    return (await this.rawStream(streamId, fromPosition)).map((e) => this.options.registry.upcast(e));
  }

  async streamVersion(streamId: string): Promise<number> {
    return ((await this.db.get(keys.head(String(streamId)))) as Head | undefined)?.to ?? 0;
  }

  async readAll(after: number, limit = 1000): Promise<ReadAllResult> {
    assertPosition(after, 'checkpoint');
    const events: RecordedEvent[] = [];
    // A commit starting before `after` may still hold later events: start from its key.
    for await (const commitKey of this.db.values({ lt: keys.global(after + 1), gte: 'g!', reverse: true, limit: 1 })) {
      events.push(...(await this.commitEvents(commitKey as string)).filter((e) => e.globalPosition! > after));
    }
    for await (const commitKey of this.db.values({ gt: keys.global(after), lt: 'g"' })) {
      if (events.length >= limit) break;
      events.push(...(await this.commitEvents(commitKey as string)));
    }
    const page = events.slice(0, limit).map((e) => this.options.registry.upcast(e));
    return { events: page, checkpoint: page.length ? page[page.length - 1].globalPosition! : after };
  }

  async sequencePending(): Promise<number> {
    return 0;
  }

  async undispatched(limit: number, after = 0): Promise<readonly RecordedEvent[]> {
    assertPosition(after, 'after');
    const events: RecordedEvent[] = [];
    // The outbox holds only what is not yet marked: skipping the batches in flight is short.
    for await (const commitKey of this.db.values({ gte: 'o!', lt: 'o"' })) {
      if (events.length >= limit) break;
      events.push(...(await this.commitEvents(commitKey as string)).filter((e) => e.globalPosition! > after));
    }
    return events.map((e) => this.options.registry.upcast(e));
  }

  async countUndispatched(): Promise<number> {
    let entries = 0;
    // Keys only: an outbox entry's value (its commit) is not read.
    for await (const _key of this.db.keys({ gte: 'o!', lt: 'o"' })) entries++;
    return entries;
  }

  async markDispatched(events: readonly RecordedEvent[]): Promise<void> {
    const globals = events.map((e) => e.globalPosition).filter((g): g is number => typeof g === 'number');
    await this.db.batch(globals.map((g) => ({ type: 'del' as const, key: keys.outbox(g) })), { sync: true });
  }

  async verify(streamId: string): Promise<VerifyReport> {
    return verifyChain(streamId, await this.rawStream(streamId, 1));
  }

  async listStreams(after = '', limit = 1000): Promise<readonly string[]> {
    const streams: string[] = [];
    for await (const key of this.db.keys({ gt: after ? keys.head(after) : 'h!', lt: 'h"', limit })) {
      streams.push(Buffer.from(key.slice(2), 'hex').toString('utf8'));
    }
    return streams;
  }

  async streamHeads(): Promise<readonly StreamHead[]> {
    const heads: StreamHead[] = [];
    for await (const [key, head] of this.db.iterator({ gt: 'h!', lt: 'h"' })) {
      heads.push({ streamId: Buffer.from(key.slice(2), 'hex').toString('utf8'), position: (head as Head).to, hash: (head as Head).lastHash });
    }
    return heads;
  }

  /** Commits are keyed by stream then first position, so one walk over them reads each stream whole and in order. */
  async scanStreams(visit: (streamId: string, stored: readonly RecordedEvent[]) => void | Promise<void>): Promise<void> {
    let current: string | null = null;
    let events: RecordedEvent[] = [];
    for await (const [key, commit] of this.db.iterator({ gt: 's!', lt: 's"' })) {
      const stream = key.slice(2, key.lastIndexOf('!'));
      if (stream !== current) {
        if (current !== null) await visit(Buffer.from(current, 'hex').toString('utf8'), events);
        current = stream;
        events = [];
      }
      events.push(...withGlobalPositions(commit as Commit));
    }
    if (current !== null) await visit(Buffer.from(current, 'hex').toString('utf8'), events);
  }

  async saveCheckpoint(record: CheckpointRecord): Promise<void> {
    await this.db.put(keys.checkpoint(record.checkpoint.sequence), record, { sync: true });
  }

  async latestCheckpoint(): Promise<CheckpointRecord | null> {
    for await (const record of this.db.values({ gt: 'k!', lt: 'k"', reverse: true, limit: 1 })) return record as CheckpointRecord;
    return null;
  }

  /** Index entries that pointed at a missing commit while reading (see onDamage). */
  damage(): readonly string[] {
    return [...this.damaged];
  }

  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    await this.db.close();
  }

  private async rawStream(streamId: string, fromPosition: number): Promise<RecordedEvent[]> {
    if (typeof streamId !== 'string') throw new InvalidInput('streamId must be a string');
    const prefix = `s!${hex(streamId)}!`;
    const events: RecordedEvent[] = [];
    for await (const commit of this.db.values({ gte: prefix, lt: `${prefix}~` })) {
      events.push(...withGlobalPositions(commit as Commit).filter((e) => e.streamPosition >= fromPosition));
    }
    return events;
  }

  /**
   * A commit the global index points at. One that is gone (deleted behind the store's back) is
   * read as nothing and reported, so the process still starts and the audit names the damage.
   */
  private async commitEvents(commitKey: string): Promise<RecordedEvent[]> {
    const commit = (await this.db.get(commitKey)) as Commit | undefined;
    if (commit && Array.isArray(commit.events)) return withGlobalPositions(commit);
    if (!this.damaged.has(commitKey)) {
      this.damaged.add(commitKey);
      const streamId = Buffer.from(commitKey.split('!')[1] ?? '', 'hex').toString('utf8');
      this.options.onDamage?.(`embedded event store at ${this.options.location}: the log names commit ${commitKey} of stream '${streamId}', which is not stored (the store was altered outside the application); read on without it — POST /api/v1/audit/verify names what is missing`);
    }
    return [];
  }
}

function withGlobalPositions(commit: Commit): RecordedEvent[] {
  return commit.events.map((event, index) => ({ ...event, globalPosition: commit.global + index }));
}
