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
