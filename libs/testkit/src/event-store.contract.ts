import { generateKeyPairSync } from 'crypto';
import {
  type EventStore, type RecordedEvent, EventRegistry, EventTooLarge, InvalidEventPayload, InvalidInput,
  UnknownEventType, UnknownEventVersion, WrongExpectedVersion, GENESIS_HASH, auditStore, hashEvent, inclusionPath, issueCheckpoint, verifyInclusion,
} from '@dotpha/kernel';
import { TallyRaisedV1, TallyRaisedV3NoUpcaster, NoteAdded, note } from './sample-events';

/** What an adapter's test gives the contract: storage that survives `open` calls within a test. */
export interface EventStoreHarness {
  /** Opens (or re-opens) the store on the same storage with this registry. */
  open(registry?: EventRegistry): Promise<EventStore>;
  /** Rewrites a stored event behind the store's back (store closed), as an intruder with database access would. */
  tamper(streamId: string, position: number, change: (event: RecordedEvent) => RecordedEvent | null): Promise<void>;
  /**
   * Replaces a whole stream as stored (store closed) by what `change` returns, in that stored
   * order; an empty list removes the stream, its head included, as an intruder deleting it would.
   */
  rewrite(streamId: string, change: (stored: RecordedEvent[]) => RecordedEvent[]): Promise<void>;
  /** Closes what is open and frees the storage. */
  dispose(): Promise<void>;
}

let streamCounter = 0;
const newStream = () => `contract-${process.pid}-${Date.now()}-${++streamCounter}`;

async function appendNotes(store: EventStore, streamId: string, expectedVersion: number, ...texts: string[]) {
  return store.append({ streamId, streamType: 'note', expectedVersion, events: texts.map((t) => note(t)) });
}

/**
 * The event store contract (STYLE.md rule 4): written once, run against every adapter.
 */
export function describeEventStoreContract(adapter: string, makeHarness: () => Promise<EventStoreHarness>): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterEach(() => harness.dispose());

    async function tamper(streamId: string, position: number, change: (event: RecordedEvent) => RecordedEvent | null) {
      await store.close();
      await harness.tamper(streamId, position, change);
      store = await harness.open();
    }

    async function rewrite(streamId: string, change: (stored: RecordedEvent[]) => RecordedEvent[]) {
      await store.close();
      await harness.rewrite(streamId, change);
      store = await harness.open();
    }

    async function nothingWrittenTo(streamId: string) {
      expect(await store.streamVersion(streamId)).toBe(0);
      expect(await store.readStream(streamId)).toEqual([]);
    }

    it('appends to a new stream and reads it back with the full envelope', async () => {
      const streamId = newStream();
      const result = await appendNotes(store, streamId, 0, 'a', 'b');
      expect(result.position).toBe(2);
      const events = await store.readStream(streamId);
      expect(events.map((e) => [e.streamPosition, e.data])).toEqual([[1, { text: 'a' }], [2, { text: 'b' }]]);
      const [first, second] = events;
      expect(first).toMatchObject({
        type: 'NoteAdded', version: 1, streamId, streamType: 'note', instance: store.instance,
        classification: 'internal', actor: { userId: 'u-test', role: 'proposer' }, correlationId: 'corr-test',
        causationId: null, prevHash: GENESIS_HASH,
      });
      expect(Date.parse(first.recordedAt)).not.toBeNaN();
      expect(first.hash).toBe(hashEvent(first));
      expect(second.prevHash).toBe(first.hash);
      expect(await store.streamVersion(streamId)).toBe(2);
    });

    it('continues the stream and its hash chain on the next append', async () => {
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a');
      await appendNotes(store, streamId, 1, 'b', 'c');
      const events = await store.readStream(streamId);
      expect(events.map((e) => e.streamPosition)).toEqual([1, 2, 3]);
      expect(events[1].prevHash).toBe(events[0].hash);
      expect(events[2].prevHash).toBe(events[1].hash);
      expect((await store.readStream(streamId, 2)).map((e) => e.data)).toEqual([{ text: 'b' }, { text: 'c' }]);
      expect((await store.verify(streamId)).ok).toBe(true);
    });

    it('refuses a wrong expected version and writes nothing', async () => {
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a');
      await expect(appendNotes(store, streamId, 0, 'x')).rejects.toBeInstanceOf(WrongExpectedVersion);
      await expect(appendNotes(store, streamId, 2, 'x')).rejects.toBeInstanceOf(WrongExpectedVersion);
      expect((await store.readStream(streamId)).map((e) => e.data)).toEqual([{ text: 'a' }]);
    });

    it('lets exactly one of 20 concurrent appends at one version win', async () => {
      const streamId = newStream();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => appendNotes(store, streamId, 0, `writer ${i}`, `writer ${i} again`)),
      );
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WrongExpectedVersion);
      const events = await store.readStream(streamId);
      expect(events).toHaveLength(2);
      expect(new Set(events.map((e) => (e.data as { text: string }).text.replace(' again', '')))).toEqual(
        new Set([(events[0].data as { text: string }).text]),
      );
    });

    it('keeps one winner per version, no gap and no duplicate, with 20 writers racing to 100 events', async () => {
      const streamId = newStream();
      const wins = new Map<number, string[]>();
      await Promise.all(
        Array.from({ length: 20 }, async (_, writer) => {
          for (let done = 0; done < 5; ) {
            const version = await store.streamVersion(streamId);
            try {
              await appendNotes(store, streamId, version, `w${writer}-${done}`);
              wins.set(version + 1, [...(wins.get(version + 1) ?? []), `w${writer}-${done}`]);
              done++;
            } catch (error) {
              if (!(error instanceof WrongExpectedVersion)) throw error;
            }
          }
        }),
      );
      const events = await store.readStream(streamId);
      expect(events.map((e) => e.streamPosition)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(new Set(events.map((e) => e.eventId)).size).toBe(100);
      expect(new Set(events.map((e) => (e.data as { text: string }).text)).size).toBe(100);
      expect([...wins.values()].every((w) => w.length === 1)).toBe(true);
      for (const [version, [text]] of wins) expect(events[version - 1].data).toEqual({ text });
      expect((await store.verify(streamId)).ok).toBe(true);
    });

    it('writes all events of an append or none: an invalid last event refuses the whole append', async () => {
      const streamId = newStream();
      const bad = { ...note('c'), data: { text: 3 } };
      await expect(
        store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [note('a'), note('b'), bad] }),
      ).rejects.toBeInstanceOf(InvalidEventPayload);
      await nothingWrittenTo(streamId);
    });

    it('refuses bad input with a typed error and writes nothing', async () => {
      const streamId = newStream();
      const cases: [string, () => Promise<unknown>, new (...a: any[]) => Error][] = [
        ['unknown type', () => store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [{ ...note('a'), type: 'NoSuchThing' }] }), UnknownEventType],
        ['payload off schema', () => store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [{ ...note('a'), data: { text: 'a', extra: true } }] }), InvalidEventPayload],
        ['missing field', () => store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [{ ...note('a'), data: {} }] }), InvalidEventPayload],
        ['oversized payload', () => store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [note('x'.repeat(20_000))] }), EventTooLarge],
        ['oversized append', () => store.append({ streamId, streamType: 'note', expectedVersion: 0, events: Array.from({ length: 5 }, () => note('x'.repeat(15_000))) }), EventTooLarge],
        ['wrong expected version', () => appendNotes(store, streamId, 3, 'a'), WrongExpectedVersion],
        ['negative expected version', () => appendNotes(store, streamId, -1, 'a'), InvalidInput],
        ['no events', () => store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [] }), InvalidInput],
        ['operator as stream id', () => store.append({ streamId: { $gt: '' } as unknown as string, streamType: 'note', expectedVersion: 0, events: [note('a')] }), InvalidInput],
            ['former name written', () => store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [{ ...note('a'), type: 'NoteWritten' }] }), UnknownEventType],
      ];
      for (const [what, attempt, type] of cases) {
        await expect(attempt()).rejects.toBeInstanceOf(type);
        expect(what).toBeTruthy();
      }
      await nothingWrittenTo(streamId);
      expect(await store.listStreams()).not.toContain(streamId);
    });

    it('reads all events in one global order from a checkpoint, each stream in its own order', async () => {
      const start = (await store.readAll(0, 1_000_000)).checkpoint;
      const a = newStream();
      const b = newStream();
      await appendNotes(store, a, 0, 'a1');
      await appendNotes(store, b, 0, 'b1', 'b2');
      await appendNotes(store, a, 1, 'a2', 'a3');
      await store.sequencePending();
      const all = await store.readAll(start);
      const mine = all.events.filter((e) => e.streamId === a || e.streamId === b);
      expect(mine.map((e) => (e.data as { text: string }).text)).toEqual(['a1', 'b1', 'b2', 'a2', 'a3']);
      const positions = all.events.map((e) => e.globalPosition!);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      expect(all.checkpoint).toBe(positions[positions.length - 1]);

      const firstPage = await store.readAll(start, 2);
      expect(firstPage.events.map((e) => (e.data as { text: string }).text)).toEqual(['a1', 'b1']);
      const rest = await store.readAll(firstPage.checkpoint);
      expect(rest.events.map((e) => (e.data as { text: string }).text)).toEqual(['b2', 'a2', 'a3']);
      expect((await store.readAll(all.checkpoint)).events).toEqual([]);
    });

    it('keeps undispatched events in an outbox until they are marked dispatched', async () => {
      await store.sequencePending();
      await store.markDispatched(await store.undispatched(1_000_000));
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a', 'b');
      await store.sequencePending();
      const pending = await store.undispatched(100);
      expect(pending.map((e) => e.streamId)).toEqual([streamId, streamId]);
      await store.markDispatched(pending);
      expect(await store.undispatched(100)).toEqual([]);
      await appendNotes(store, streamId, 2, 'c');
      await store.sequencePending();
      expect((await store.undispatched(100)).map((e) => e.data)).toEqual([{ text: 'c' }]);
    });

    it('counts the outbox by append, without reading it, down to 0 as appends are marked dispatched', async () => {
      await store.sequencePending();
      await store.markDispatched(await store.undispatched(1_000_000));
      expect(await store.countUndispatched()).toBe(0);
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a', 'b');
      await appendNotes(store, streamId, 2, 'c');
      await appendNotes(store, newStream(), 0, 'd');
      await store.sequencePending();
      expect(await store.countUndispatched()).toBe(3);
      const pending = await store.undispatched(100);
      expect(pending.map((e) => e.data)).toEqual([{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }]);
      await store.markDispatched(pending.slice(0, 2));
      expect(await store.countUndispatched()).toBe(2);
      // Counted from storage: a store opened again knows nothing but what is stored.
      await store.close();
      store = await harness.open();
      expect(await store.countUndispatched()).toBe(2);
      await store.markDispatched(pending.slice(2));
      expect(await store.countUndispatched()).toBe(0);
    });

    it('reads the outbox ahead of its mark from a given position, leaving the mark where it is', async () => {
      await store.sequencePending();
      await store.markDispatched(await store.undispatched(1_000_000));
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a');
      await appendNotes(store, streamId, 1, 'b');
      await appendNotes(store, streamId, 2, 'c');
      await store.sequencePending();
      const [a] = await store.undispatched(1);
      expect(a.data).toEqual({ text: 'a' });
      expect((await store.undispatched(100, a.globalPosition!)).map((e) => e.data)).toEqual([{ text: 'b' }, { text: 'c' }]);
      const last = (await store.undispatched(100)).at(-1)!;
      expect(await store.undispatched(100, last.globalPosition!)).toEqual([]);
      // Reading ahead marks nothing: the whole outbox is still there.
      expect((await store.undispatched(100)).map((e) => e.data)).toEqual([{ text: 'a' }, { text: 'b' }, { text: 'c' }]);
      await expect(store.undispatched(100, -1)).rejects.toThrow();
    });

    it('sequences more than a hundred pending commits in one go, in order', async () => {
      await store.sequencePending();
      const start = (await store.readAll(0, 1_000_000)).checkpoint;
      const streamId = newStream();
      for (let v = 0; v < 130; v++) await appendNotes(store, streamId, v, `n${v}`);
      await store.sequencePending();
      const all = await store.readAll(start, 1_000);
      expect(all.events.filter((e) => e.streamId === streamId).map((e) => e.streamPosition)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
    });

    it('lists streams', async () => {
      const a = newStream();
      await appendNotes(store, a, 0, 'a');
      await appendNotes(store, a, 1, 'b');
      const streams = await store.listStreams('', 1_000_000);
      expect(streams.filter((s) => s === a)).toEqual([a]);
    });

    it('keeps everything across a restart', async () => {
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a');
      const before = await store.readStream(streamId);
      await store.close();
      store = await harness.open();
      expect(await store.readStream(streamId)).toEqual(before);
      await appendNotes(store, streamId, 1, 'b');
      expect((await store.verify(streamId)).ok).toBe(true);
    });

    it('verify reports an event edited in storage at its position', async () => {
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a', 'b', 'c');
      expect(await store.verify(streamId)).toMatchObject({ ok: true, checked: 3, breaks: [] });
      await tamper(streamId, 2, (e) => ({ ...e, data: { text: 'B' } }));
      const report = await store.verify(streamId);
      expect(report.ok).toBe(false);
      expect(report.breaks).toEqual([{ position: 2, eventId: expect.any(String), reason: 'hash-mismatch' }]);
    });

    it('verify reports an event re-hashed by the intruder as a broken chain', async () => {
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a', 'b', 'c');
      await tamper(streamId, 2, (e) => {
        const changed = { ...e, data: { text: 'B' }, prevHash: GENESIS_HASH };
        return { ...changed, hash: hashEvent(changed) };
      });
      const report = await store.verify(streamId);
      expect(report.breaks.map((b) => [b.position, b.reason])).toEqual([[2, 'chain-broken'], [3, 'chain-broken']]);
    });

    it('verify reports a missing event', async () => {
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a');
      await appendNotes(store, streamId, 1, 'b');
      await appendNotes(store, streamId, 2, 'c');
      await tamper(streamId, 2, () => null);
      const report = await store.verify(streamId);
      expect(report.breaks.map((b) => [b.position, b.reason])).toEqual([[2, 'missing'], [3, 'chain-broken']]);
    });

    it('audits the whole store in one pass against its signed checkpoint, naming each stream altered, cut in the middle, shortened, deleted or reordered', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const [edited, cut, shortened, deleted, reordered, untouched] = Array.from({ length: 6 }, () => newStream());
      for (const streamId of [edited, cut, shortened, deleted, reordered, untouched]) await appendNotes(store, streamId, 0, 'a', 'b', 'c');
      const { checkpoint } = await issueCheckpoint(store, { service: 'contract', privateKey, now: new Date() });
      expect(checkpoint).toMatchObject({ sequence: 1, streams: 6, instance: store.instance });
      expect(await auditStore(store, { publicKey })).toMatchObject({ ok: true, streams: 6, broken: [], findings: [], checkpoint: { sequence: 1, headsMatchRoot: true, signatureValid: true } });

      // Growing after the checkpoint is no finding: a new stream, and more events on one it signed.
      await appendNotes(store, untouched, 3, 'd');
      await appendNotes(store, newStream(), 0, 'x');
      await tamper(edited, 2, (e) => ({ ...e, data: { text: 'B' } }));
      await tamper(cut, 2, () => null);
      // The last event removed leaves a chain that still recomputes: only the checkpoint shows it.
      await tamper(shortened, 3, () => null);
      expect((await store.verify(shortened)).ok).toBe(true);
      await rewrite(deleted, () => []);
      await rewrite(reordered, (stored) => [stored[0], stored[2], stored[1]]);

      const audit = await auditStore(store, { publicKey });
      expect(audit.ok).toBe(false);
      expect(audit.streams).toBe(6);
      expect(audit.findings).toEqual(
        [
          { streamId: edited, finding: 'altered', signedPosition: 3, storedPosition: 3 },
          { streamId: cut, finding: 'altered', signedPosition: 3, storedPosition: 3 },
          { streamId: shortened, finding: 'shortened', signedPosition: 3, storedPosition: 2 },
          { streamId: deleted, finding: 'missing', signedPosition: 3, storedPosition: 0 },
          { streamId: reordered, finding: 'reordered', signedPosition: 3, storedPosition: 3 },
        ].sort((a, b) => (a.streamId < b.streamId ? -1 : 1)),
      );
      expect(audit.broken.map((b) => b.streamId).sort()).toEqual([edited, cut, reordered].sort());
      expect(audit.checkpoint).toMatchObject({ headsMatchRoot: true, signatureValid: true });
    });

    it('keeps its checkpoints across a restart, the latest first, and proves a stream is in one with the public key alone', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const streamId = newStream();
      await appendNotes(store, streamId, 0, 'a');
      await issueCheckpoint(store, { service: 'contract', privateKey, now: new Date() });
      await appendNotes(store, streamId, 1, 'b');
      await appendNotes(store, newStream(), 0, 'c');
      await issueCheckpoint(store, { service: 'contract', privateKey, now: new Date() });
      await store.close();
      store = await harness.open();
      const latest = await store.latestCheckpoint();
      expect(latest?.checkpoint).toMatchObject({ sequence: 2, streams: 2 });
      expect(latest?.heads.find((h) => h.streamId === streamId)).toMatchObject({ position: 2 });
      const proof = inclusionPath(latest!.heads, streamId)!;
      expect(verifyInclusion({ checkpoint: latest!.checkpoint, ...proof }, publicKey)).toEqual({ ok: true });
      expect(verifyInclusion({ checkpoint: latest!.checkpoint, ...proof, head: { ...proof.head, position: 1 } }, publicKey).ok).toBe(false);
      const heads = await store.streamHeads();
      expect(heads.map((h) => h.position).sort()).toEqual([1, 2]);
    });

    it('upcasts an old event version on read and refuses one with no upcaster', async () => {
      await store.close();
      store = await harness.open(new EventRegistry([NoteAdded, TallyRaisedV1]));
      const streamId = newStream();
      await store.append({ streamId, streamType: 'tally', expectedVersion: 0, events: [{ ...note(''), type: 'TallyRaised', data: { by: 4 } }] });
      await store.close();

      store = await harness.open();
      const [upcast] = await store.readStream(streamId);
      expect(upcast).toMatchObject({ type: 'TallyRaised', version: 2, data: { amount: 4, unit: 'item' } });
      expect((await store.verify(streamId)).ok).toBe(true);
      await store.append({ streamId, streamType: 'tally', expectedVersion: 1, events: [{ ...note(''), type: 'TallyRaised', data: { amount: 1, unit: 'kg' } }] });
      await store.close();

      store = await harness.open(new EventRegistry([NoteAdded, TallyRaisedV3NoUpcaster]));
      await expect(store.readStream(streamId)).rejects.toBeInstanceOf(UnknownEventVersion);
    });
  });
}
