import { randomUUID } from 'crypto';
import { type ReadModelQuery, type ReadModelStore, InvalidInput } from '@dotpha/kernel';

interface Row {
  readonly unit: string;
  readonly status: string;
  readonly owner: string;
  readonly members: readonly string[];
  readonly n: number;
  readonly at: string;
}

/** Every page of a query in turn, by following `next`. */
async function allPages(store: ReadModelStore, collection: string, query: ReadModelQuery): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | undefined;
  do {
    const page = await store.page<Row>(collection, { ...query, ...(after ? { after } : {}) });
    pages.push(page.items.map((d) => d.id));
    after = page.next ?? undefined;
  } while (after);
  return pages;
}

/** Server-side pages of a read model (issue 14): part of the read-model store contract, run on every adapter. */
export function describeReadModelPaging(adapter: string, makeStore: () => Promise<{ store: ReadModelStore; dispose(): Promise<void> }>): void {
  describe(`ReadModelStore contract, pages: ${adapter}`, () => {
    let made: { store: ReadModelStore; dispose(): Promise<void> };
    const store = () => made.store;
    const c = `p${randomUUID().slice(0, 8)}`;
    // 23 rows: three units, two statuses, ties on `at` so the id decides between them.
    const rows = Array.from({ length: 23 }, (_, i) => ({
      id: `r${String(i).padStart(2, '0')}`,
      data: { unit: `u${i % 3}`, status: i % 2 ? 'open' : 'closed', owner: `p${i % 5}`, members: [`m${i % 4}`, 'all'], n: i, at: `2026-01-${String(10 + (i % 7)).padStart(2, '0')}` } satisfies Row,
    }));
    const expected = (keep: (r: (typeof rows)[number]) => boolean, by: (a: (typeof rows)[number], b: (typeof rows)[number]) => number) => rows.filter(keep).sort(by).map((r) => r.id);
    const chunks = (ids: string[], size: number) => Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ids.slice(i * size, i * size + size));

    afterAll(() => made.dispose());
    beforeAll(async () => {
      made = await makeStore();
      await store().putMany(c, rows.map((doc) => ({ doc: { ...doc, applied: {} }, expectedRevision: 0 })));
    });

    it('pages in id order by default, each page naming the next, the last none', async () => {
      expect(await allPages(store(), c, { limit: 10 })).toEqual(chunks(rows.map((r) => r.id), 10));
      const first = await store().page(c, { limit: 23, count: true });
      expect([first.items.length, first.next, first.total]).toEqual([23, null, 23]);
    });

    it('sorts by a field either way, ties in id order of the same direction, across page boundaries', async () => {
      const asc = expected(() => true, (a, b) => a.data.at.localeCompare(b.data.at) || a.id.localeCompare(b.id));
      expect((await allPages(store(), c, { sort: { field: 'at', direction: 'asc' }, limit: 4 })).flat()).toEqual(asc);
      expect((await allPages(store(), c, { sort: { field: 'at', direction: 'desc' }, limit: 5 })).flat()).toEqual([...asc].reverse());
      const byNumber = await allPages(store(), c, { sort: { field: 'n', direction: 'desc' }, limit: 9 });
      expect(byNumber[0]).toEqual(['r22', 'r21', 'r20', 'r19', 'r18', 'r17', 'r16', 'r15', 'r14']);
    });

    it('filters by all of `where` and any of `anyOf` (a list field matching a value it holds), counting every match', async () => {
      const query: ReadModelQuery = {
        where: { status: 'open' },
        anyOf: [{ owner: 'p0' }, { members: 'm1', n: { gt: 10 } }, { unit: { in: ['u2'] }, n: { lt: 6 } }],
        sort: { field: 'at', direction: 'desc' },
        limit: 2,
        count: true,
      };
      const want = expected(
        (r) => r.data.status === 'open' && (r.data.owner === 'p0' || (r.data.members.includes('m1') && r.data.n > 10) || (r.data.unit === 'u2' && r.data.n < 6)),
        (a, b) => b.data.at.localeCompare(a.data.at) || b.id.localeCompare(a.id),
      );
      expect(want.length).toBeGreaterThan(2);
      expect((await allPages(store(), c, query)).flat()).toEqual(want);
      expect((await store().page(c, query)).total).toBe(want.length);
      expect((await store().page(c, { where: { members: 'all', unit: 'u1' }, limit: 100 })).items.map((d) => d.id)).toEqual(expected((r) => r.data.unit === 'u1', (a, b) => a.id.localeCompare(b.id)));
      expect(await store().page(c, { where: { unit: 'none' }, limit: 5, count: true })).toEqual({ items: [], next: null, total: 0 });
    });

    it('matches a missing field as null, a list by any value it holds (bounds included), and orders ties on the sort value by id either way', async () => {
      const e = `${c}e`;
      const docs: { id: string; data: Record<string, unknown> }[] = [
        { id: 'e1', data: { kind: 'a', tags: [3, 8], at: 'x' } },
        { id: 'e2', data: { kind: 'a', tags: [], at: 'x' } },
        { id: 'e3', data: { kind: 'b', owner: null, tags: [1], at: 'x' } },
        { id: 'e4', data: { kind: 'a', owner: 'o', tags: ['t'], at: 'x' } },
        { id: 'e5', data: { kind: 'a', owner: 'p', tags: [5], at: 'x' } },
      ];
      await store().putMany(e, docs.map((doc) => ({ doc: { ...doc, applied: {} }, expectedRevision: 0 })));
      const ids = async (query: Omit<ReadModelQuery, 'limit'>) => (await allPages(store(), e, { ...query, limit: 2 })).flat();
      expect(await ids({ where: { owner: null } })).toEqual(['e1', 'e2', 'e3']);
      expect(await ids({ where: { owner: { in: [null, 'o'] } } })).toEqual(['e1', 'e2', 'e3', 'e4']);
      expect(await ids({ where: { owner: { gt: '' } } })).toEqual(['e4', 'e5']);
      expect(await ids({ where: { tags: { gt: 4 } } })).toEqual(['e1', 'e5']);
      expect(await ids({ where: { tags: { lt: 2 } } })).toEqual(['e3']);
      expect(await ids({ where: { tags: 't', kind: 'a' } })).toEqual(['e4']);
      // Every document ties on `at`: the id alone orders them, across the page boundaries.
      expect(await ids({ where: { kind: 'a' }, sort: { field: 'at', direction: 'desc' } })).toEqual(['e5', 'e4', 'e2', 'e1']);
      expect(await ids({ sort: { field: 'at', direction: 'asc' } })).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    });

    it('a cursor names a position, not a document: writes between pages are seen after it, not before it, and a cursor past the last match gives an empty last page', async () => {
      const w = `${c}w`;
      const put = (id: string, n: number, revision: number) => store().put(w, { id, data: { n, kind: 'w' }, applied: {} }, revision);
      for (let i = 1; i <= 6; i++) await put(`w${i}`, i, 0);
      const query: ReadModelQuery = { where: { kind: 'w' }, sort: { field: 'n', direction: 'asc' }, limit: 2, count: true };
      const first = await store().page(w, query);
      expect([first.items.map((d) => d.id), first.total]).toEqual([['w1', 'w2'], 6]);
      await put('w1', 10, 1); // moved past the cursor: read again on a later page
      await put('w0', 0, 0); // new, before the cursor: not on a later page
      await put('w5', -1, 1); // moved before the cursor: no longer on a later page
      const second = await store().page(w, { ...query, after: first.next! });
      expect([second.items.map((d) => d.id), second.total]).toEqual([['w3', 'w4'], 7]);
      const third = await store().page(w, { ...query, after: second.next! });
      expect([third.items.map((d) => d.id), third.next]).toEqual([['w6', 'w1'], null]);
      await put('w6', -2, 1);
      await put('w1', -3, 2);
      expect(await store().page(w, { ...query, after: second.next! })).toEqual({ items: [], next: null, total: 7 });
    });

    it('refuses what a request must not reach the store with: operator fields, object values, a forged cursor, an unbounded page', async () => {
      await expect(store().page(c, { where: { $where: 'x' }, limit: 5 })).rejects.toBeInstanceOf(InvalidInput);
      await expect(store().page(c, { where: { unit: { $ne: 'u1' } as never }, limit: 5 })).rejects.toBeInstanceOf(InvalidInput);
      await expect(store().page(c, { sort: { field: 'a.$b', direction: 'asc' }, limit: 5 })).rejects.toBeInstanceOf(InvalidInput);
      await expect(store().page(c, { limit: 5, after: 'bm90IGpzb24' })).rejects.toBeInstanceOf(InvalidInput);
      await expect(store().page(c, { limit: 0 })).rejects.toBeInstanceOf(InvalidInput);
      await expect(store().page(c, { limit: 100_000 })).rejects.toBeInstanceOf(InvalidInput);
    });
  });
}
