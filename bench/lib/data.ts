import { randomUUID } from 'crypto';
import { BSON, type Db } from 'mongodb';
import { type EventRegistry, type PendingEvent, type RecordedEvent, GENESIS_HASH, sealEvents } from '@dotpha/kernel';
import { MongoEventStore } from '@dotpha/event-store-mongodb';
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
 * The stored form of a 1-event commit as MongoEventStore writes it, already sequenced: the big
 * data sets (readAll, rebuild, publish) are inserted this way, because on FerretDB each append's
 * head lookup scans the whole collection, which makes filling a store append by append quadratic.
 * `checkCommitShape` compares it with a commit the real store wrote, so a format change fails loudly.
 */
export interface CommitDocument {
  _id: string;
  streamId: string;
  streamType: string;
  from: number;
  to: number;
  events: RecordedEvent[];
  lastHash: string;
  recordedAt: Date;
  global: number | null;
  globalEnd: number | null;
  dispatched: boolean;
}

export function sequencedCommits(options: {
  readonly instance: string;
  readonly registry: EventRegistry;
  readonly text: string;
  readonly events: number;
  readonly streamLength: number;
  readonly streamPrefix: string;
  readonly dispatched: boolean;
}): CommitDocument[] {
  const { instance, registry, text, events, streamLength, streamPrefix, dispatched } = options;
  const definition = registry.definition(EVENT_TYPE);
  const docs: CommitDocument[] = [];
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
      lastHash: event.hash, recordedAt, global, globalEnd: global, dispatched,
    });
  }
  return docs;
}

/** Appends one event through the real store and checks the document it wrote has the shape built above. */
export async function checkCommitShape(db: Db, registry: EventRegistry, instance: string, text: string): Promise<CommitDocument> {
  const prefix = `shape_${randomUUID().slice(0, 8)}`;
  const store = await MongoEventStore.create({ db, instance, registry, prefix });
  await store.append({ streamId: 'shape-1', streamType: STREAM_TYPE, expectedVersion: 0, events: [pendingEvent(text, 1)] });
  const written = await db.collection<CommitDocument>(`${prefix}.commits`).findOne({});
  await db.collection(`${prefix}.commits`).drop().catch(() => undefined);
  if (!written) throw new Error('the store wrote no commit document');
  const [built] = sequencedCommits({ instance, registry, text, events: 1, streamLength: 1, streamPrefix: 'shape', dispatched: false });
  const keys = (o: object) => Object.keys(o).sort().join(',');
  if (keys(written) !== keys(built) || keys(written.events[0]) !== keys(built.events[0])) {
    throw new Error(
      `MongoEventStore's commit format changed; update bench/lib/data.ts. store: {${keys(written)}} / event {${keys(written.events[0])}}; ` +
        `bench: {${keys(built)}} / event {${keys(built.events[0])}}`,
    );
  }
  return written;
}

/** BSON size of a document, as the server stores it. */
export function bsonBytes(doc: object): number {
  return BSON.calculateObjectSize(doc as Record<string, unknown>);
}
