import { randomUUID } from 'crypto';
import { mongo } from 'mongoose';
import { type EventRegistry, type PendingEvent, GENESIS_HASH, sealEvents } from '@dotpha/kernel';
import { type CommitDocument, type LogChunk, MongoEventStore, encodeLogEvents } from '@dotpha/event-store-mongodb';
import { NoteAdded, sampleRegistry } from '@dotpha/testkit';

/** The event every figure writes: the contract suites' NoteAdded with a Vietnamese text payload. */
export const STREAM_TYPE = 'note';
export const EVENT_TYPE = NoteAdded.type;

export function benchRegistry(): EventRegistry {
  return sampleRegistry();
}

const SENTENCE = 'Đề xuất thí điểm liên thông một cửa giữa các sở, rút ngắn thời hạn giải quyết hồ sơ. ';

export function payloadText(chars: number): string {
  return SENTENCE.repeat(Math.ceil(chars / SENTENCE.length)).slice(0, chars);
}

export function pendingEvent(text: string, n: number): PendingEvent {
  return {
    eventId: randomUUID(),
    type: EVENT_TYPE,
    data: { text, n },
    occurredAt: new Date().toISOString(),
    actor: { userId: 'u-bench', role: 'proposer' },
    correlationId: randomUUID(),
    causationId: null,
  };
}

/**
 * The stored form of a 1-event commit as MongoEventStore writes it: the big data sets (readAll,
 * rebuild, publish) are inserted this way, already sequenced (commits, their claims, the chunks
 * of the global log, the counters), because appending and sequencing a million events one by one
 * would take the better part of an hour here. `checkCommitShape` compares it with what the real
 * store wrote, so a format change fails loudly.
 */
export type { CommitDocument };

/** A chunk of the store's global log (see MongoEventStore). */
export type LogChunkDocument = LogChunk;

/** Events per chunk of a seeded log: what the sequencer writes when it works through a backlog. */
export const SEEDED_CHUNK = 500;

export interface SeededCommit extends CommitDocument {
  /** Its global position (kept apart: the store keeps it in its claims, not in the commit). */
  readonly global: number;
}

export function sequencedCommits(options: {
  readonly instance: string;
  readonly registry: EventRegistry;
  readonly text: string;
  readonly events: number;
  readonly streamLength: number;
  readonly streamPrefix: string;
}): SeededCommit[] {
  return [...commitChunks(options, options.events)].flat();
}

type DataSet = Parameters<typeof sequencedCommits>[0];

/** The same commits as sequencedCommits, `size` at a time (a million do not fit in memory at once). */
export function* commitChunks(options: DataSet, size: number): Generator<SeededCommit[]> {
  const { instance, registry, text, events, streamLength, streamPrefix } = options;
  const definition = registry.definition(EVENT_TYPE);
  let docs: SeededCommit[] = [];
  const heads = new Map<string, string>();
  const streams = Math.ceil(events / streamLength);
  for (let global = 1; global <= events; global++) {
    // Streams interleave in the global order, as concurrent writers leave them.
    const streamIndex = (global - 1) % streams;
    const position = Math.floor((global - 1) / streams) + 1;
    const streamId = `${streamPrefix}-${streamIndex}`;
    const recordedAt = new Date();
    const pending = pendingEvent(text, global);
    const [event] = sealEvents(
      [{
        eventId: pending.eventId, type: pending.type, version: definition.version, streamId, streamType: STREAM_TYPE,
        occurredAt: pending.occurredAt, recordedAt: recordedAt.toISOString(), instance, actor: pending.actor,
        correlationId: pending.correlationId, causationId: pending.causationId, classification: definition.classification, data: pending.data,
      }],
      position,
      heads.get(streamId) ?? GENESIS_HASH,
    );
    heads.set(streamId, event.hash);
    docs.push({
      _id: `${streamId}|${position}`, streamId, streamType: STREAM_TYPE, from: position, to: position, events: [event],
      lastHash: event.hash, recordedAt, global,
    });
    if (docs.length === size) {
      yield docs;
      docs = [];
    }
  }
  if (docs.length) yield docs;
}

/** The log chunks holding these commits' events, `SEEDED_CHUNK` positions each (`docs` start at a chunk boundary). */
export function logChunks(docs: readonly SeededCommit[]): LogChunkDocument[] {
  const chunks: LogChunkDocument[] = [];
  for (let i = 0; i < docs.length; i += SEEDED_CHUNK) {
    const slice = docs.slice(i, i + SEEDED_CHUNK);
    const events = slice.flatMap((d) => d.events.map((e, k) => ({ ...e, globalPosition: d.global + k })));
    const first = slice[0].global;
    chunks.push({ _id: String(Math.floor((first - 1) / SEEDED_CHUNK) + 1), first, last: events[events.length - 1].globalPosition!, ...encodeLogEvents(events).stored });
  }
  return chunks;
}

/**
 * Fills the store `prefix` with a sequenced data set, as if appended and sequenced: commits and
 * their claims (unless `logOnly`), the chunks of the global log, the counters, and the outbox
 * checkpoint when `dispatched`.
 */
export async function seedStore(
  db: mongo.Db,
  prefix: string,
  options: DataSet & { readonly dispatched: boolean; readonly logOnly?: boolean; readonly docs?: SeededCommit[] },
): Promise<void> {
  const chunks = options.docs ? [options.docs] : commitChunks(options, SEEDED_CHUNK * 20);
  for (const docs of chunks) {
    if (!options.logOnly) {
      for (let i = 0; i < docs.length; i += 1000) {
        const slice = docs.slice(i, i + 1000);
        await db.collection(`${prefix}.commits`).insertMany(slice.map(({ global, ...commit }) => commit) as never[]);
        await db.collection(`${prefix}.claims`).insertMany(slice.map((d) => ({ _id: d._id, global: d.global })) as never[]);
      }
    }
    const log = logChunks(docs);
    for (let i = 0; i < log.length; i += 10) await db.collection(`${prefix}.log`).insertMany(log.slice(i, i + 10) as never[]);
  }
  const counters = db.collection<{ _id: string; value: number; chunks?: number }>(`${prefix}.counters`);
  await counters.insertOne({ _id: 'global', value: options.events, chunks: Math.ceil(options.events / SEEDED_CHUNK) });
  await counters.insertOne({ _id: 'discovered', value: Date.now() });
  if (options.dispatched) await counters.insertOne({ _id: 'dispatched', value: options.events });
}

/** The collections of a MongoEventStore with this prefix. */
export const STORE_COLLECTIONS = ['commits', 'claims', 'log', 'counters', 'leases'];

/** Appends one event through the real store and checks the documents it wrote have the shapes built above. */
export async function checkCommitShape(db: mongo.Db, registry: EventRegistry, instance: string, text: string): Promise<CommitDocument> {
  const prefix = `shape_${randomUUID().slice(0, 8)}`;
  const store = await MongoEventStore.create({ db, instance, registry, prefix });
  await store.append({ streamId: 'shape-1', streamType: STREAM_TYPE, expectedVersion: 0, events: [pendingEvent(text, 1)] });
  await store.sequencePending();
  await store.close();
  const written = await db.collection<CommitDocument>(`${prefix}.commits`).findOne({});
  const chunk = await db.collection<LogChunkDocument>(`${prefix}.log`).findOne({ _id: '1' });
  const claim = await db.collection(`${prefix}.claims`).findOne({});
  for (const c of STORE_COLLECTIONS) await db.collection(`${prefix}.${c}`).drop().catch(() => undefined);
  if (!written || !chunk || !claim) throw new Error('the store wrote no commit, claim or log chunk');
  const built = sequencedCommits({ instance, registry, text, events: 1, streamLength: 1, streamPrefix: 'shape' });
  const { global, ...builtCommit } = built[0];
  const [builtChunk] = logChunks(built);
  const keys = (o: object) => Object.keys(o).sort().join(',');
  const firstEvent = (c: LogChunkDocument) => JSON.parse(c.events)[0] as object;
  if (keys(chunk) !== keys(builtChunk) || keys(firstEvent(chunk)) !== keys(firstEvent(builtChunk)) || keys(claim) !== '_id,global' || global !== 1) {
    throw new Error(`MongoEventStore's log or claim format changed; update bench/lib/data.ts. store: {${keys(chunk)}}, claim {${keys(claim)}}; bench: {${keys(builtChunk)}}`);
  }
  if (keys(written) !== keys(builtCommit) || keys(written.events[0]) !== keys(builtCommit.events[0])) {
    throw new Error(
      `MongoEventStore's commit format changed; update bench/lib/data.ts. store: {${keys(written)}} / event {${keys(written.events[0])}}; ` +
        `bench: {${keys(builtCommit)}} / event {${keys(builtCommit.events[0])}}`,
    );
  }
  return written;
}

/** BSON size of a document, as the server stores it. */
export function bsonBytes(doc: object): number {
  return mongo.BSON.calculateObjectSize(doc as Record<string, unknown>);
}
