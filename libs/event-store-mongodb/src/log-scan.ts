import { LRUCache } from 'lru-cache';
import { mongo } from 'mongoose';
import { type EventRegistry, type ReadAllResult, type RecordedEvent, rememberEncoding } from '@dotpha/kernel';

/**
 * Chunk `_id` of the global log: positions `first`…`last` (those without events are gaps, e.g.
 * of a commit another sequencer claimed first); chunks cover consecutive ranges. `events` is their
 * JSON with global positions, as they are published: FerretDB returns one string several times
 * faster than nested documents. `_id` is the chunk number as a string.
 */
export interface LogChunk {
  _id: string;
  first: number;
  last: number;
  events: string;
  /**
   * Where each event's JSON ends in `events` (the index of the `,` or `]` after it), as unsigned
   * 32-bit little-endian integers, so an event is published as the JSON stored (chunks written
   * before this field have none). Bytes, not an array: FerretDB decodes an array of 500 numbers
   * in a tenth of the time the whole chunk takes, a binary field at almost no cost.
   */
  ends?: mongo.Binary;
}

/** The chunk form of events: their JSON array (as `JSON.stringify(events)` writes it), and where each one ends. */
export function encodeLogEvents(events: readonly RecordedEvent[]): { stored: Pick<LogChunk, 'events' | 'ends'>; parts: string[] } {
  const parts = events.map((e) => JSON.stringify(e));
  const ends = Buffer.alloc(parts.length * 4);
  let at = 0;
  parts.forEach((part, i) => ends.writeUInt32LE((at += part.length + 1), i * 4));
  return { stored: { events: `[${parts.join(',')}]`, ends: new mongo.Binary(ends) }, parts };
}

/**
 * The JSON of each of the chunk's `count` events, as stored; undefined if the chunk has no
 * `ends`, or ends that do not cut its JSON into `count` objects.
 */
export function storedJson(chunk: Pick<LogChunk, 'events' | 'ends'>, count: number): ((index: number) => string) | undefined {
  const { events: text } = chunk;
  const bytes = chunk.ends instanceof mongo.Binary ? chunk.ends.value() : undefined;
  if (!bytes || count === 0 || bytes.byteLength !== count * 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends = Array.from({ length: count }, (_, i) => view.getUint32(i * 4, true));
  if (ends[count - 1] !== text.length - 1) return undefined;
  let start = 1;
  for (let i = 0; i < count; i++) {
    const end = ends[i];
    const separator = i === count - 1 ? ']' : ',';
    if (end <= start || text[start] !== '{' || text[end - 1] !== '}' || text[end] !== separator) return undefined;
    start = end + 1;
  }
  return (index) => text.slice(index ? ends[index - 1] + 1 : 1, ends[index]);
}

/** Chunks that came early, held until their turn; beyond this the scan reads by `_id` instead. */
const HOLD = 16;
/**
 * Chunks per round trip of the cursor: one, fetched ahead while the reader works on the one
 * before (the server reads the next chunk while this process parses and applies the last).
 */
const CURSOR_BATCH = 1;

/**
 * One reader's pass over the global log after a checkpoint, handing out chunks in their order.
 *
 * A cursor (`last > checkpoint`, no sort) streams the chunks: on MongoDB through the `last`
 * index, on servers without one (FerretDB 1.x, mongo-java-server) in the order they were
 * inserted, which is the log's order but for a repaired chunk. So reading the log costs one pass,
 * where finding each chunk by `_id` costs a scan per chunk on a server that uses no index. A
 * chunk that comes early is held until its turn; one that never comes by the cursor (written
 * after it passed, or held back too long) is looked up by `_id`. Kept between calls (the store
 * remembers scans by the checkpoint they go on from), so paging through the log is one pass.
 */
export class LogScan {
  private readonly held = new Map<number, LogChunk>();
  private cursor: mongo.FindCursor<LogChunk> | undefined;
  /** The cursor's next chunk, asked for as soon as the one before was handed out. */
  private ahead: Promise<LogChunk | null> | undefined;
  private next: number | undefined;

  constructor(
    private readonly log: mongo.Collection<LogChunk>,
    /** The checkpoint the pass starts after. */
    private readonly after: number,
    /** The number of the first chunk that may hold positions after `after` (a search by `_id`). */
    private readonly locate: (after: number) => Promise<number>,
  ) {
    this.cursor = log.find({ last: { $gt: after } }).batchSize(CURSOR_BATCH);
  }

  /** The next chunk in order, or null when there is none (yet). Call `advance` after using it. */
  async chunk(): Promise<LogChunk | null> {
    if (this.next === undefined) {
      // The first chunk that comes decides where the pass starts if it holds after + 1 (chunks
      // cover consecutive positions); otherwise the start is searched for.
      const first = await this.pull();
      if (first) this.held.set(Number(first._id), first);
      this.next = first && first.first <= this.after + 1 ? Number(first._id) : await this.locate(this.after);
    }
    for (;;) {
      const held = this.held.get(this.next);
      if (held) return held;
      if (!this.cursor || this.held.size >= HOLD) return this.log.findOne({ _id: String(this.next) });
      const doc = await this.pull();
      if (!doc) return this.log.findOne({ _id: String(this.next) });
      const number = Number(doc._id);
      if (number === this.next) {
        this.held.set(number, doc);
        return doc;
      }
      if (number > this.next) this.held.set(number, doc);
    }
  }

  /** Past the chunk `chunk` returned: the next call returns the one after it. */
  advance(): void {
    this.held.delete(this.next!);
    this.next! += 1;
  }

  async close(): Promise<void> {
    this.held.clear();
    await this.endCursor();
  }

  /** The cursor's next chunk; null once it ended or failed (a server forgets idle cursors): by `_id` then. */
  private async pull(): Promise<LogChunk | null> {
    if (!this.cursor) return null;
    const doc = await (this.ahead ?? this.fetch());
    this.ahead = undefined;
    if (!doc) await this.endCursor();
    else this.ahead = this.fetch();
    return doc;
  }

  private fetch(): Promise<LogChunk | null> {
    return this.cursor ? this.cursor.next().catch(() => null) : Promise.resolve(null);
  }

  private async endCursor(): Promise<void> {
    const cursor = this.cursor;
    this.cursor = undefined;
    await this.ahead;
    this.ahead = undefined;
    await cursor?.close().catch(() => undefined);
  }
}

/** Scans kept between pages, by the checkpoint they go on from. */
const SCANS = 64;

/** Pages of the global log, each going on with the scan the page before left at its checkpoint. */
export class LogReader {
  /** Where a page goes on from a checkpoint: a pass over the log (an open cursor). */
  private readonly scans = new LRUCache<string, LogScan>({
    max: SCANS,
    dispose: (scan, _key, reason) => {
      // Not on `delete`: `take` hands the scan on to the next page.
      if (reason !== 'delete') void scan.close();
    },
  });

  constructor(
    private readonly log: mongo.Collection<LogChunk>,
    private readonly registry: EventRegistry,
    /** The number of the last chunk given out. */
    private readonly chunks: () => Promise<number>,
  ) {}

  /** A page of the log after `after`; with `wire`, each event not upcast carries its stored JSON along. */
  async page(after: number, limit: number, wire: boolean): Promise<ReadAllResult> {
    const want = Math.max(1, limit);
    const events: RecordedEvent[] = [];
    const scan = this.take(String(after)) ?? new LogScan(this.log, after, (from) => this.chunkAfter(from));
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

  /** Closes every scan kept. */
  close(): void {
    for (const scan of this.scans.values()) void scan.close();
    this.scans.clear();
  }

  private take(key: string): LogScan | undefined {
    const scan = this.scans.peek(key);
    this.scans.delete(key);
    return scan;
  }

  /** The first chunk that may hold positions after `after` (binary search over the chunks' ends). */
  private async chunkAfter(after: number): Promise<number> {
    if (after === 0) return 1;
    let low = 1;
    let high = (await this.chunks()) + 1;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      const doc = await this.log.findOne({ _id: String(middle) }, { projection: { last: 1 } });
      if (doc && doc.last <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
