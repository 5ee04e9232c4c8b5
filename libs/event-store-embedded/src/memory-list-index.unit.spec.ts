import fc from 'fast-check';
import type { Conditions, FieldCondition, ReadModelQuery } from '@dotpha/kernel';
import { MemoryReadModelStore } from './memory-read-model-store';

// MemoryReadModelStore.page answers from indexes (ListIndex: groups of the filtered fields, an order
// per sort field, a walk or a gather): here it is held to the plain reading of the query (every
// document tested, the matches sorted), on read models with many ties, lists and missing fields,
// written to between pages, large enough that both ways of reading a page are taken.

interface Data {
  readonly s?: string;
  readonly n: number;
  /** Of many values: a condition on it matches few documents (gathered, not walked). */
  readonly r: number;
  readonly at: string;
  readonly tags: string[];
}

const data = fc.record(
  { s: fc.constantFrom('a', 'b', 'c'), n: fc.integer({ min: 0, max: 9 }), r: fc.integer({ min: 0, max: 40 }), at: fc.constantFrom('2026-01-01', '2026-01-02', '2026-02-01'), tags: fc.subarray(['x', 'y', 'z']) },
  { requiredKeys: ['n', 'r', 'at', 'tags'] },
);
const condition: fc.Arbitrary<[string, FieldCondition]> = fc.oneof(
  fc.tuple(fc.constant('s'), fc.oneof(fc.constantFrom<FieldCondition>('a', 'b', null), fc.record({ in: fc.subarray<string | null>(['a', 'c', null]) }))),
  fc.tuple(fc.constant('n'), fc.oneof(fc.integer({ min: 0, max: 9 }), fc.record({ gt: fc.integer({ min: -1, max: 9 }) }), fc.record({ lt: fc.integer({ min: 0, max: 10 }) }))),
  fc.tuple(fc.constant('r'), fc.oneof(fc.integer({ min: 0, max: 40 }), fc.record({ in: fc.subarray([1, 2, 3]) }))),
  fc.tuple(fc.constant('tags'), fc.oneof(fc.constantFrom<FieldCondition>('x', 'z'), fc.record({ in: fc.subarray<string | null>(['y', 'z']) }))),
);
const conditions = fc.array(condition, { maxLength: 2 }).map((list) => Object.fromEntries(list) as Conditions);
const query = fc.record(
  {
    where: conditions,
    anyOf: fc.array(conditions, { minLength: 1, maxLength: 3 }),
    sort: fc.record({ field: fc.constantFrom('n', 'at'), direction: fc.constantFrom<'asc' | 'desc'>('asc', 'desc') }),
    limit: fc.integer({ min: 1, max: 40 }),
  },
  { requiredKeys: ['limit'] },
);

/** The query read plainly: each document against each condition, the matches sorted in full. */
function expectedIds(docs: Map<string, Data>, q: ReadModelQuery): string[] {
  const test = (value: unknown, c: FieldCondition): boolean => {
    const values = Array.isArray(value) ? value : [value ?? null];
    if (c !== null && typeof c === 'object') {
      if ('in' in c) return values.some((v) => c.in.includes(v as never));
      return values.some((v) => typeof v === typeof ('gt' in c ? c.gt : c.lt) && ('gt' in c ? (v as number) > (c.gt as number) : (v as number) < (c.lt as number)));
    }
    return values.includes(c);
  };
  const all = (d: Data, cs: Conditions) => Object.keys(cs).every((k) => test(d[k as keyof Data], cs[k]));
  const key = (id: string) => (q.sort ? docs.get(id)![q.sort.field as 'n' | 'at'] : 0);
  const ascending = [...docs.keys()]
    .filter((id) => all(docs.get(id)!, q.where ?? {}) && (q.anyOf ?? [{}]).some((cs) => all(docs.get(id)!, cs)))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a < b ? -1 : 1));
  return q.sort?.direction === 'desc' ? ascending.reverse() : ascending;
}

async function filled(rows: Data[]): Promise<{ store: MemoryReadModelStore; docs: Map<string, Data> }> {
  const store = new MemoryReadModelStore();
  const docs = new Map(rows.map((d, i) => [`d${String(i).padStart(4, '0')}`, d]));
  await store.putMany('c', [...docs].map(([id, d]) => ({ doc: { id, data: d, applied: {} }, expectedRevision: 0 })));
  return { store, docs };
}

describe('MemoryReadModelStore.page from its indexes', () => {
  it('gives every page the plain reading of the query gives, with writes between the pages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(data, { minLength: 200, maxLength: 400 }), query, fc.array(fc.tuple(fc.nat(), data), { maxLength: 8 }), async (rows, q, writes) => {
        const { store, docs } = await filled(rows);
        const revisions = new Map([...docs.keys()].map((id) => [id, 1]));
        const full = expectedIds(docs, q);
        expect((await store.page('c', { ...q, count: true })).total).toBe(full.length);
        let after: string | undefined;
        let seen: string[] = [];
        for (let pages = 0; pages < 60; pages++) {
          const page = await store.page<Data>('c', { ...q, ...(after ? { after } : {}) });
          const ids = page.items.map((d) => d.id);
          // What follows the cursor now: the plain reading of the current data, after the last item read (never written since).
          const rest = expectedIds(docs, q);
          const start = after === undefined ? 0 : rest.indexOf(seen[seen.length - 1]) + 1;
          expect(ids).toEqual(rest.slice(start, start + q.limit));
          expect(page.next === null).toBe(rest.length <= start + q.limit);
          if (!page.next) break;
          seen = [...seen, ...ids];
          after = page.next;
          const write = writes[pages];
          if (write) {
            const [which, next] = write;
            const id = [...docs.keys()][which % docs.size];
            // The last item read stays as it was (its position is the cursor's); any other document may move.
            if (id === seen[seen.length - 1]) continue;
            await store.put('c', { id, data: next, applied: {} }, revisions.get(id)!);
            revisions.set(id, revisions.get(id)! + 1);
            docs.set(id, next);
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('a large batch of writes after the indexes are made leaves the pages as the plain reading gives them', async () => {
    const rows = Array.from({ length: 1500 }, (_, i): Data => ({ s: 'abc'[i % 3], n: i % 7, r: i % 41, at: `2026-01-${10 + (i % 13)}`, tags: i % 2 ? ['x'] : [] }));
    const { store, docs } = await filled(rows);
    const q: ReadModelQuery = { where: { tags: 'x' }, anyOf: [{ s: 'a' }, { n: { gt: 4 } }], sort: { field: 'at', direction: 'desc' }, limit: 25, count: true };
    expect((await store.page('c', q)).items.map((d) => d.id)).toEqual(expectedIds(docs, q).slice(0, 25));
    const moved = [...docs].map(([id, d]) => [id, { ...d, n: 6 - d.n, at: `2026-03-${10 + (d.n % 9)}` }] as const);
    await store.putMany('c', moved.map(([id, d]) => ({ doc: { id, data: d, applied: {} }, expectedRevision: 1 })));
    for (const [id, d] of moved) docs.set(id, d);
    const page = await store.page('c', q);
    expect([page.items.map((d) => d.id), page.total]).toEqual([expectedIds(docs, q).slice(0, 25), expectedIds(docs, q).length]);
  });
});
