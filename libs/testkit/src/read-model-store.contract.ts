import { randomUUID } from 'crypto';
import { type ReadModelStore, InvalidInput, RevisionConflict, deadLetterId } from '@dotpha/kernel';
import { note } from './sample-events';
import { describeReadModelPaging } from './read-model-paging.contract';

/** The read-model store contract (STYLE.md rule 4): written once, run against every adapter. */
export function describeReadModelStoreContract(
  adapter: string,
  makeStore: () => Promise<{
    store: ReadModelStore;
    dispose(): Promise<void>;
    /** The same storage opened again, as after a restart. */
    reopen(): Promise<ReadModelStore>;
    /** Another writer on the same storage at the same time (another replica); the store itself where storage is one process's. */
    sibling(): Promise<ReadModelStore>;
  }>,
): void {
  describeReadModelPaging(adapter, makeStore);
  describe(`ReadModelStore contract: ${adapter}`, () => {
    let store: ReadModelStore;
    let dispose: () => Promise<void>;
    let harness: { reopen(): Promise<ReadModelStore>; sibling(): Promise<ReadModelStore> };
    const collection = () => `c${randomUUID().slice(0, 8)}`;

    beforeEach(async () => {
      const made = await makeStore();
      ({ store, dispose } = made);
      harness = made;
    });
    afterEach(() => dispose());

    it('puts with compare-and-set on the revision: a stale writer gets RevisionConflict and changes nothing', async () => {
      const c = collection();
      await store.put(c, { id: 'a', data: { n: 1 }, applied: { s: 1 } }, 0);
      await expect(store.put(c, { id: 'a', data: { n: 99 }, applied: { s: 1 } }, 0)).rejects.toBeInstanceOf(RevisionConflict);
      await store.put(c, { id: 'a', data: { n: 2 }, applied: { s: 2 } }, 1);
      await expect(store.put(c, { id: 'a', data: { n: 99 }, applied: { s: 2 } }, 1)).rejects.toBeInstanceOf(RevisionConflict);
      expect(await store.get(c, 'a')).toEqual({ id: 'a', revision: 2, data: { n: 2 }, applied: { s: 2 } });
    });

    it('puts many at once, each with its own compare-and-set: what may be written is, then RevisionConflict', async () => {
      const c = collection();
      const many = Array.from({ length: 120 }, (_, i) => ({ doc: { id: `d${i}`, data: { n: i }, applied: { [`s${i}`]: 1 } }, expectedRevision: 0 }));
      await store.putMany(c, many);
      expect((await store.find(c)).length).toBe(120);
      const next = many.map(({ doc }) => ({ doc: { ...doc, data: { n: doc.data.n + 1000 } }, expectedRevision: 1 }));
      await store.putMany(c, next);
      expect(await store.get(c, 'd119')).toEqual({ id: 'd119', revision: 2, data: { n: 1119 }, applied: { s119: 1 } });
      // d3 moved on (revision 2, not 1) and d0 exists already: the others are written, then the conflict is reported.
      await expect(
        store.putMany(c, [
          { doc: { id: 'd3', data: { n: -1 }, applied: {} }, expectedRevision: 1 },
          { doc: { id: 'd4', data: { n: 4 }, applied: { s4: 2 } }, expectedRevision: 2 },
          { doc: { id: 'd0', data: { n: -1 }, applied: {} }, expectedRevision: 0 },
          { doc: { id: 'new', data: { n: 0 }, applied: {} }, expectedRevision: 0 },
        ]),
      ).rejects.toBeInstanceOf(RevisionConflict);
      expect((await store.get<{ n: number }>(c, 'd3'))?.data.n).toBe(1003);
      expect((await store.get<{ n: number }>(c, 'd0'))?.data.n).toBe(1000);
      expect(await store.get(c, 'd4')).toMatchObject({ revision: 3, data: { n: 4 } });
      expect(await store.get(c, 'new')).toMatchObject({ revision: 1 });
    });

    it('arbitrates writers racing on one document: of those deciding on one revision exactly one wins, also across replicas (issue 16)', async () => {
      const c = collection();
      await store.put(c, { id: 'd', data: { n: 0, by: -1 }, applied: {} }, 0);
      const other = await harness.sibling();
      const writers = [store, other, store, other];
      for (let revision = 1; revision <= 25; revision++) {
        const results = await Promise.allSettled(writers.map((writer, by) => writer.put(c, { id: 'd', data: { n: revision, by }, applied: { s: revision } }, revision)));
        const won = results.flatMap((r, by) => (r.status === 'fulfilled' ? [by] : []));
        expect([revision, won.length]).toEqual([revision, 1]);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RevisionConflict);
        for (const reader of [store, other]) {
          expect(await reader.get(c, 'd')).toEqual({ id: 'd', revision: revision + 1, data: { n: revision, by: won[0] }, applied: { s: revision } });
        }
      }
      expect((await other.find(c)).map((d) => [d.id, d.revision])).toEqual([['d', 26]]);
    });

    it('keeps stream ids with any characters in `applied`', async () => {
      const c = collection();
      const applied = { 'proposal-1.x$y': 3, 'a|b': 1 };
      await store.put(c, { id: 'x', data: {}, applied }, 0);
      expect((await store.get(c, 'x'))?.applied).toEqual(applied);
    });

    it('finds documents by data fields, ordered by id, and refuses operator-looking filters', async () => {
      const c = collection();
      await store.put(c, { id: 'b', data: { unit: 'u1', status: 'open', n: 2 }, applied: {} }, 0);
      await store.put(c, { id: 'a', data: { unit: 'u1', status: 'open', n: 1 }, applied: {} }, 0);
      await store.put(c, { id: 'c', data: { unit: 'u2', status: 'open', n: 3 }, applied: {} }, 0);
      expect((await store.find(c, { unit: 'u1' })).map((d) => d.id)).toEqual(['a', 'b']);
      expect((await store.find(c)).map((d) => d.id)).toEqual(['a', 'b', 'c']);
      expect(await store.find(c, { unit: 'none' })).toEqual([]);
      if (adapter.startsWith('MongoDB')) {
        await expect(store.find(c, { $where: 'x' } as never)).rejects.toBeInstanceOf(InvalidInput);
        await expect(store.find(c, { unit: { $gt: '' } } as never)).rejects.toBeInstanceOf(InvalidInput);
      }
    });

    it('drops a collection', async () => {
      const c = collection();
      await store.put(c, { id: 'a', data: {}, applied: {} }, 0);
      await store.drop(c);
      expect(await store.get(c, 'a')).toBeUndefined();
    });

    it('moves checkpoints with compare-and-set', async () => {
      const name = collection();
      expect(await store.getCheckpoint(name)).toBe(0);
      expect(await store.setCheckpoint(name, 5, 0)).toBe(true);
      expect(await store.setCheckpoint(name, 7, 0)).toBe(false);
      expect(await store.setCheckpoint(name, 9, 5)).toBe(true);
      expect(await store.getCheckpoint(name)).toBe(9);
    });

    it('parks dead letters per projection with their error', async () => {
      const projection = collection();
      const event = { ...note('poison'), version: 1, streamId: 's', streamType: 'note', streamPosition: 1, recordedAt: '2026-01-01T00:00:00.000Z', instance: 'x', classification: 'internal' as const, prevHash: '0', hash: '1' };
      await store.park({ projection, event, error: 'boom', attempts: 3, parkedAt: '2026-01-01T00:00:00.000Z' });
      await store.park({ projection, event, error: 'boom again', attempts: 3, parkedAt: '2026-01-01T00:00:01.000Z' });
      const letters = await store.deadLetters(projection);
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ projection, error: 'boom again', attempts: 3, event: { eventId: event.eventId } });
      expect(await store.deadLetters('other')).toEqual([]);
    });

    it('keeps dead letters across a restart; an operator lists them all, reads one by id and removes it (issue 12)', async () => {
      const [first, second] = [collection(), collection()];
      const letter = (text: string, projection: string, parkedAt: string) => ({
        projection, error: `failed on ${text}`, attempts: 5, parkedAt,
        event: { ...note(text), version: 1, streamId: `s-${text}`, streamType: 'note', streamPosition: 1, recordedAt: parkedAt, instance: 'x', classification: 'internal' as const, prevHash: '0', hash: '1' },
      });
      const a = letter('a', first, '2026-01-01T00:00:02.000Z');
      const b = letter('b', second, '2026-01-01T00:00:01.000Z');
      await store.park(a);
      await store.park(b);
      const again = await harness.reopen();
      const all = (await again.deadLetters()).filter((l) => [first, second].includes(l.projection));
      expect(all.map((l) => l.event.eventId)).toEqual([b.event.eventId, a.event.eventId]);
      const id = deadLetterId(a);
      expect(await again.deadLetter(id)).toMatchObject({ projection: first, error: 'failed on a', event: { eventId: a.event.eventId } });
      await again.removeDeadLetter(id);
      expect(await again.deadLetter(id)).toBeUndefined();
      expect((await (await harness.reopen()).deadLetters(first))).toEqual([]);
      expect((await again.deadLetters(second)).map((l) => l.event.eventId)).toEqual([b.event.eventId]);
      expect(await again.deadLetter('no|such')).toBeUndefined();
    });
  });
}
