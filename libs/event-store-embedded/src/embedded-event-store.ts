import { ClassicLevel } from 'classic-level';
import {
  type AppendRequest, type AppendResult, type EventRegistry, type EventStore, type ReadAllResult,
  type RecordedEvent, type VerifyReport, GENESIS_HASH, InvalidInput, WrongExpectedVersion, assertPosition, assertStreamId, sealEvents, verifyChain,
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

type Value = Commit | Head | number | string;

export interface EmbeddedEventStoreOptions {
  /** Folder of the LevelDB database; created if missing. */
  readonly location: string;
  readonly instance: string;
  readonly registry: EventRegistry;
  readonly now?: () => Date;
}

const pad = (n: number) => n.toString().padStart(16, '0');
const hex = (streamId: string) => Buffer.from(streamId, 'utf8').toString('hex');
const keys = {
  commit: (streamId: string, from: number) => `s!${hex(streamId)}!${pad(from)}`,
  head: (streamId: string) => `h!${hex(streamId)}`,
  global: (position: number) => `g!${pad(position)}`,
  outbox: (position: number) => `o!${pad(position)}`,
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

  private async commitEvents(commitKey: string): Promise<RecordedEvent[]> {
    return withGlobalPositions((await this.db.get(commitKey)) as Commit);
  }
}

function withGlobalPositions(commit: Commit): RecordedEvent[] {
  return commit.events.map((event, index) => ({ ...event, globalPosition: commit.global + index }));
}
