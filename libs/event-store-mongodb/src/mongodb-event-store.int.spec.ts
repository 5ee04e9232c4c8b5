import mongoose from 'mongoose';
import type { EventStore, RecordedEvent } from '@dotpha/kernel';
import { EventRegistry, WrongExpectedVersion, auditStore, encodeEvent, rememberedEncoding } from '@dotpha/kernel';
import { NoteAdded, TallyRaisedV1, type TestDb, describeEventStoreContract, note, sampleRegistry, testMongo } from '@dotpha/testkit';
import { MongoEventStore } from './mongodb-event-store';

const mongo = testMongo();

describeEventStoreContract(`MongoDB (${process.env.DOTPHA_MONGO_KIND ?? 'unknown server'})`, async () => {
  const db = mongo.database('contract');
  let open: EventStore | undefined;
  return {
    async open(registry = sampleRegistry()) {
      open = await MongoEventStore.create({ db, instance: 'test-province', registry });
      return open;
    },
    async tamper(streamId: string, position: number, change: (e: RecordedEvent) => RecordedEvent | null) {
      const commits = db.collection<{ _id: string; events: RecordedEvent[] }>('commits');
      const commit = await commits.findOne({ streamId, from: { $lte: position }, to: { $gte: position } });
      if (!commit) throw new Error(`no commit holds ${streamId}@${position}`);
      const index = commit.events.findIndex((e) => e.streamPosition === position);
      const changed = change(commit.events[index]);
      const events = changed ? commit.events.map((e, i) => (i === index ? changed : e)) : commit.events.filter((_, i) => i !== index);
      await (events.length ? commits.updateOne({ _id: commit._id }, { $set: { events } }) : commits.deleteOne({ _id: commit._id }));
    },
    async rewrite(streamId: string, change: (stored: RecordedEvent[]) => RecordedEvent[]) {
      const commits = db.collection<{ _id: string; streamId: string; from: number; events: RecordedEvent[] }>('commits');
      const stored = (await commits.find({ streamId }).toArray()).sort((a, b) => a.from - b.from);
      const events = change(stored.flatMap((c) => c.events));
      await commits.deleteMany({ streamId });
      if (events.length) {
        const last = events[events.length - 1];
        await commits.insertOne({ ...stored[0], _id: `${streamId}|1`, from: 1, to: events.length, events, lastHash: last.hash } as never);
      }
    },
    async dispose() {
      await open?.close();
      await db.dropDatabase();
    },
  };
});

/**
 * What the `_id`-only layout adds to the contract: several processes on one store, heads they
 * remember going stale, and a sequencer that stopped half way.
 */
describe('MongoEventStore across processes and crashes', () => {
  let db: TestDb;
  const open: MongoEventStore[] = [];
  const openStore = async (options: Partial<Parameters<typeof MongoEventStore.create>[0]> = {}) => {
    const store = await MongoEventStore.create({ db, instance: 'test-province', registry: sampleRegistry(), discoverEveryMs: 0, leaseMs: 60_000, ...options });
    open.push(store);
    return store;
  };
  const append = (store: EventStore, streamId: string, expectedVersion: number, ...texts: string[]) =>
    store.append({ streamId, streamType: 'note', expectedVersion, events: texts.map((t) => note(t)) });
  const texts = (events: readonly RecordedEvent[]) => events.map((e) => (e.data as { text: string }).text);

  beforeEach(() => {
    db = mongo.database('processes');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await db.dropDatabase();
  });

  it('refuses an append on a head another process moved on, then continues from the stored head', async () => {
    const [a, b] = [await openStore(), await openStore()];
    await append(a, 'shared', 0, 'a1');
    await append(b, 'shared', 1, 'b2');
    // `a` still remembers version 1: the insert collides, nothing is written.
    await expect(append(a, 'shared', 1, 'a2')).rejects.toBeInstanceOf(WrongExpectedVersion);
    expect(await a.streamVersion('shared')).toBe(2);
    await append(a, 'shared', 2, 'a3');
    expect(texts(await b.readStream('shared'))).toEqual(['a1', 'b2', 'a3']);
    expect((await b.verify('shared')).ok).toBe(true);
  });

  it('sequences what another process appended, keeping each stream in order', async () => {
    const [holder, other] = [await openStore(), await openStore()];
    await holder.sequencePending();
    await append(other, 's', 0, 'o1', 'o2');
    await append(holder, 's', 2, 'h3');
    await append(holder, 't', 0, 't1');
    expect(await other.sequencePending()).toBe(0);
    expect(await holder.sequencePending()).toBe(4);
    const all = await holder.readAll(0);
    expect(texts(all.events.filter((e) => e.streamId === 's'))).toEqual(['o1', 'o2', 'h3']);
    expect(texts(all.events)).toHaveLength(4);
    expect(await holder.sequencePending()).toBe(0);
    expect((await holder.readAll(0)).events).toHaveLength(4);
    // The holder's outbox comes from what it just logged, in memory; another store reads the pages: the same events.
    const fromMemory = await holder.undispatched(3);
    expect(fromMemory).toEqual((await other.undispatched(3)));
    expect(fromMemory.map((e) => e.globalPosition)).toEqual([1, 2, 3]);
    await holder.markDispatched(fromMemory);
    expect(texts(await holder.undispatched(10))).toEqual(['t1']);
    expect(texts(await other.undispatched(10))).toEqual(['t1']);
  });

  it('returns from sequencing what was pending when called, while appends keep coming (the relay publishes between calls)', async () => {
    const store = await openStore({ discoverEveryMs: 60_000 });
    await store.sequencePending();
    let writing = true;
    const writers = Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let v = 0; v < 40; v++) await append(store, `busy-${w}`, v, `w${w}-${v}`);
      }),
    ).finally(() => (writing = false));
    let returnedWhileWriting = 0;
    let sequenced = 0;
    while (writing) {
      sequenced += await store.sequencePending();
      if (writing) returnedWhileWriting++;
      // As the relay does between drains: an idle call answers without I/O and must not starve the writers.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writers;
    sequenced += await store.sequencePending();
    expect(returnedWhileWriting).toBeGreaterThanOrEqual(2);
    expect(sequenced).toBe(320);
    expect((await store.readAll(0, 1_000)).events).toHaveLength(320);
  });

  it('logs what a stopped sequencer gave positions to, once, and reads over positions it left empty', async () => {
    const first = await openStore();
    for (let v = 0; v < 150; v++) await append(first, 'long', v, `n${v + 1}`);
    await first.sequencePending();
    await first.close();
    // A crash after the positions were given and before the log was written: the log lost its
    // chunk, and another 230 positions and a chunk number were taken that nothing was written for.
    await db.collection('log').deleteMany({});
    await db.collection<{ _id: string; value: number }>('counters').updateOne({ _id: 'global' }, { $inc: { value: 230, chunks: 1 } });

    const next = await openStore();
    await next.sequencePending();
    await append(next, 'long', 150, 'n151');
    await next.sequencePending();
    const again = await openStore();
    await next.close();
    await again.sequencePending();

    const all = await again.readAll(0, 10_000);
    expect(texts(all.events)).toEqual(Array.from({ length: 151 }, (_, i) => `n${i + 1}`));
    expect(all.events[149].globalPosition).toBe(150);
    expect(all.events[150].globalPosition).toBe(381);
    expect(all.checkpoint).toBe(381);
    const paged: RecordedEvent[] = [];
    for (let checkpoint = 0; ; ) {
      const page = await again.readAll(checkpoint, 7);
      if (page.events.length === 0) break;
      paged.push(...page.events);
      checkpoint = page.checkpoint;
    }
    expect(paged.map((e) => e.eventId)).toEqual(all.events.map((e) => e.eventId));
    // A reader that starts cold from any checkpoint finds its place (by the chunks' ends).
    const cold = await openStore();
    expect(texts((await cold.readAll(149, 3)).events)).toEqual(['n150', 'n151']);
    expect(texts((await cold.readAll(10, 2)).events)).toEqual(['n11', 'n12']);
    expect((await cold.readAll(381)).events).toEqual([]);
    expect((await again.undispatched(1_000)).map((e) => e.eventId)).toEqual(all.events.map((e) => e.eventId));
    // Each commit was sequenced once: no event twice in the global order.
    expect(new Set(all.events.map((e) => e.eventId)).size).toBe(151);
  });

  it('reads the global log in order whatever order its chunks were inserted in, paging and from cold checkpoints', async () => {
    const writer = await openStore();
    for (let v = 0; v < 40; v++) {
      await append(writer, 'chunked', 2 * v, `c${v + 1}`, `d${v + 1}`);
      await writer.sequencePending(); // a chunk per call: 40 chunks of 2 events
    }
    const expected = (await writer.readAll(0, 10_000)).events.map((e) => e.eventId);
    expect(expected).toHaveLength(80);
    // The same chunks inserted out of order: a late (repaired) chunk, and a long run backwards
    // (more than a reader holds while it waits for the next in order).
    const log = db.collection<{ _id: string }>('log');
    const chunks = await log.find({}).toArray();
    const byNumber = new Map(chunks.map((c) => [Number(c._id), c]));
    const order = [1, 2, ...Array.from({ length: 30 }, (_, i) => 34 - i), 35, 36, 37, 38, 39, 40, 4, 3];
    expect([...order].sort((a, b) => a - b)).toEqual([...byNumber.keys()].sort((a, b) => a - b));
    await log.deleteMany({});
    for (const n of order) await log.insertOne(byNumber.get(n)!);

    const reader = await openStore();
    const paged: string[] = [];
    for (let checkpoint = 0; ; ) {
      const page = await reader.readAll(checkpoint, 3);
      if (page.events.length === 0) break;
      paged.push(...page.events.map((e) => e.eventId));
      checkpoint = page.checkpoint;
    }
    expect(paged).toEqual(expected);
    for (const from of [5, 6, 41, 79]) {
      const cold = await openStore();
      expect((await cold.readAll(from, 10_000)).events.map((e) => e.eventId)).toEqual(expected.slice(from));
    }
  });

  it('never updates a stored commit: sequencing and publishing leave the commits as appended', async () => {
    const store = await openStore();
    await append(store, 'still', 0, 'a', 'b');
    const before = await db.collection('commits').find({}).toArray();
    await store.sequencePending();
    await store.markDispatched(await store.undispatched(10));
    expect(await db.collection('commits').find({}).toArray()).toEqual(before);
  });

  it('hands the outbox each event with the JSON it stored, so it is published byte for byte without serializing again', async () => {
    const writer = await openStore({ registry: new EventRegistry([NoteAdded, TallyRaisedV1]) });
    await append(writer, 'wire-a', 0, 'Đột phá "một cửa"', 'b\nc');
    await writer.append({ streamId: 'wire-t', streamType: 'tally', expectedVersion: 0, events: [{ ...note(''), type: 'TallyRaised', data: { by: 4 } }] });
    await append(writer, 'wire-b', 0, 'd');
    await writer.sequencePending();
    const storedJson = (events: readonly RecordedEvent[]) => events.map((e) => rememberedEncoding(e));

    // From the tail this process sequenced (memory), and from the log by another process.
    const fromMemory = await writer.undispatched(100);
    expect(storedJson(fromMemory)).toEqual(fromMemory.map((e) => JSON.stringify(e)));
    const reader = await openStore({ registry: new EventRegistry([NoteAdded, TallyRaisedV1]) });
    const fromLog = await reader.undispatched(100);
    expect(storedJson(fromLog)).toEqual(storedJson(fromMemory));
    expect(fromLog.map(encodeEvent)).toEqual(fromMemory.map(encodeEvent));

    // An event upcast on read is another event: serialized in its current form, not as stored.
    const current = await openStore({ registry: sampleRegistry() });
    const upcast = await current.undispatched(100);
    const tally = upcast.find((e) => e.type === 'TallyRaised')!;
    expect(tally).toMatchObject({ version: 2, data: { amount: 4, unit: 'item' } });
    expect(rememberedEncoding(tally)).toBeUndefined();
    expect(encodeEvent(tally)).toBe(JSON.stringify(tally));
    expect(upcast.filter((e) => e !== tally).map(encodeEvent)).toEqual(fromLog.filter((e) => e.type !== 'TallyRaised').map(encodeEvent));

    // A chunk without the field (written before it), or whose ends do not cut its JSON: serialized again, same events.
    const log = db.collection<{ _id: string; events: string; ends?: mongoose.mongo.Binary }>('log');
    const [chunk] = await log.find({}).toArray();
    const stored = Buffer.from(chunk.ends!.value());
    const written = Array.from({ length: stored.length / 4 }, (_, i) => stored.readUInt32LE(i * 4));
    expect(written[written.length - 1]).toBe(chunk.events.length - 1);
    const bytes = (ends: number[]) => {
      const buffer = Buffer.alloc(ends.length * 4);
      ends.forEach((end, i) => buffer.writeUInt32LE(end, i * 4));
      return new mongoose.mongo.Binary(buffer);
    };
    const unfit = [written.map((end) => end - 1), [...written.slice(0, -1), chunk.events.length], written.slice(1), [...written.slice(0, 2).reverse(), ...written.slice(2)]];
    for (const ends of [undefined, ...unfit.map(bytes), 'not bytes']) {
      await log.updateOne({ _id: chunk._id }, ends ? { $set: { ends: ends as mongoose.mongo.Binary } } : { $unset: { ends: '' } });
      const again = await (await openStore({ registry: new EventRegistry([NoteAdded, TallyRaisedV1]) })).undispatched(100);
      expect(again).toEqual(fromLog);
      expect(storedJson(again)).toEqual(again.map(() => undefined));
      expect(again.map(encodeEvent)).toEqual(fromLog.map(encodeEvent));
    }
  });

  it('audits every stream in one pass: POST /audit/verify sends one query to the commits, not one per stream (issue 16, finding 6)', async () => {
    const store = await openStore();
    for (let i = 0; i < 25; i++) await append(store, `audited-${i}`, 0, 'a', 'b');
    await store.sequencePending();
    // A second client on the same database, whose commands are counted.
    const client = await new mongoose.mongo.MongoClient(process.env.DOTPHA_MONGO_URL!, { monitorCommands: true }).connect();
    try {
      const reads: string[] = [];
      client.on('commandStarted', (e) => {
        if ((e.commandName === 'find' || e.commandName === 'aggregate') && e.command[e.commandName] === 'commits') reads.push(e.commandName);
      });
      const audited = await MongoEventStore.create({ db: client.db(db.databaseName), instance: 'test-province', registry: sampleRegistry(), discoverEveryMs: 0, leaseMs: 60_000 });
      open.push(audited);
      reads.length = 0;
      const audit = await auditStore(audited);
      expect(audit.streams).toBe(25);
      expect(audit.ok).toBe(true);
      expect(reads).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('reads a stream of commits of every size, also from a position inside a commit', async () => {
    const store = await openStore();
    let version = 0;
    for (const size of [1, 3, 1, 1, 5, 2, 1, 1, 1, 4]) {
      version = (await append(store, 'sizes', version, ...Array.from({ length: size }, (_, i) => `v${version + i + 1}`))).position;
    }
    const fresh = await openStore();
    expect(texts(await fresh.readStream('sizes'))).toEqual(Array.from({ length: 20 }, (_, i) => `v${i + 1}`));
    expect(texts(await fresh.readStream('sizes', 7))).toEqual(Array.from({ length: 14 }, (_, i) => `v${i + 7}`));
    expect(await fresh.streamVersion('sizes')).toBe(20);
  });
});
