import { type Conditions, type FieldCondition, type ReadModelDocument, type ReadModelQuery, readCursor } from '@dotpha/kernel';

type Doc = ReadModelDocument;

/** A document's place in one order: its sort value, then its id. */
interface Entry {
  readonly value: unknown;
  readonly id: string;
  readonly doc: Doc;
}

/** Reads a dotted path (split once, not at every read); undefined where the path ends. */
function reader(path: string): (data: unknown) => unknown {
  const keys = path.split('.');
  return (data) => {
    let value = data;
    for (const key of keys) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  };
}

/**
 * MongoDB's matching, made once per query: every condition holds (a list field matches a value it
 * holds; a missing field equals null; bounds compare values of one type).
 */
function holds(conditions: Conditions): (data: unknown) => boolean {
  const tests = Object.entries(conditions).map(([path, condition]) => ({ read: reader(path), condition }));
  return (data) => tests.every(({ read, condition }) => satisfies(read(data) ?? null, condition));
}

function satisfies(value: unknown, condition: FieldCondition): boolean {
  if (Array.isArray(value)) return value.some((v) => satisfies(v, condition));
  if (condition === null || typeof condition !== 'object') return value === condition;
  if ('in' in condition) return condition.in.some((c) => value === c);
  const bound = 'gt' in condition ? condition.gt : condition.lt;
  if (typeof value !== typeof bound) return false;
  return 'gt' in condition ? compare(value, bound) > 0 : compare(value, bound) < 0;
}

/** Whether a query takes a document's data: all of `where`, and one of `anyOf` when given. */
function matcher(query: ReadModelQuery): (data: unknown) => boolean {
  const all = holds(query.where ?? {});
  const any = query.anyOf?.map(holds);
  return (data) => all(data) && (!any || any.some((alternative) => alternative(data)));
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

const byPosition = (a: Pick<Entry, 'value' | 'id'>, b: Pick<Entry, 'value' | 'id'>) => compare(a.value, b.value) || compare(a.id, b.id);

/**
 * The documents in ascending order of one field, then id (what MongoDB's index { field, _id } keeps);
 * read backwards for a descending list. Without a field: in id order.
 */
class Ordered {
  readonly entries: Entry[];
  private readonly read: (data: unknown) => unknown;

  constructor(field: string | undefined, docs: Iterable<Doc>) {
    this.read = field === undefined ? () => null : reader(field);
    this.entries = Array.from(docs, (doc) => this.entryOf(doc)).sort(byPosition);
  }

  entryOf(doc: Doc): Entry {
    return { value: this.read(doc.data), id: doc.id, doc };
  }

  /** The first position whose entry is after `at` (`strict`) or not before it. */
  bound(at: Pick<Entry, 'value' | 'id'>, strict: boolean): number {
    let [low, high] = [0, this.entries.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      const c = byPosition(this.entries[middle], at);
      if (c < 0 || (strict && c === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  add(doc: Doc): void {
    const entry = this.entryOf(doc);
    this.entries.splice(this.bound(entry, false), 0, entry);
  }

  remove(doc: Doc): void {
    const at = this.bound(this.entryOf(doc), false);
    if (this.entries[at]?.doc === doc) this.entries.splice(at, 1);
  }
}

/** The documents that read the same on some fields, as far as a query can tell them apart. */
interface Group {
  readonly key: string;
  /** The data of one of them: a query matches all of them or none. */
  readonly sample: unknown;
  readonly members: Set<Doc>;
}

/**
 * What a value is to a condition: strings, numbers, booleans and null by value, lists by what
 * they hold, anything else (an object, a date) matches no condition at all.
 */
function classOf(value: unknown): string {
  if (value === null || value === undefined) return 'n';
  if (Array.isArray(value)) return `[${value.map(classOf).join(',')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return `d${value}`;
  if (typeof value === 'boolean') return `b${value}`;
  return 'o';
}

/**
 * The documents grouped by the values of the fields a kind of query filters on (a list's
 * visibility and filters: few distinct combinations against many documents), so a query is
 * decided once per group, and counted by adding the sizes of the groups it matches.
 */
class Grouped {
  readonly groups = new Map<string, Group>();
  readonly groupOf = new Map<string, Group>();
  private readonly reads: ((data: unknown) => unknown)[];

  constructor(fields: readonly string[], docs: Iterable<Doc>) {
    this.reads = fields.map(reader);
    for (const doc of docs) this.add(doc);
  }

  add(doc: Doc): void {
    const key = this.reads.map((read) => classOf(read(doc.data))).join('\u0001');
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { key, sample: doc.data, members: new Set() }));
    group.members.add(doc);
    this.groupOf.set(doc.id, group);
  }

  remove(doc: Doc): void {
    const group = this.groupOf.get(doc.id);
    if (!group) return;
    group.members.delete(doc);
    this.groupOf.delete(doc.id);
    if (group.members.size === 0) this.groups.delete(group.key);
  }
}

/**
 * How much cheaper a walk's step (two lookups) is than a gathered document's (its entry made, then
 * sorted): the matches are gathered when they are fewer than a tenth of what a walk is expected
 * to pass (a walk passes the collection in the ratio of it the matches are, until the page is full).
 */
const GATHER = 0.1;

/**
 * The indexes of one in-memory collection, made on first use of a query's sort field and of its
 * filtered fields, then kept up to date by every write (a large batch of writes drops them instead:
 * the next query makes them again, once).
 */
export class ListIndex {
  private readonly orders = new Map<string, Ordered>();
  private readonly groupings = new Map<string, Grouped>();

  constructor(private readonly rows: ReadonlyMap<string, Doc>) {}

  /** A document written (`before`: the version it replaces). */
  replaced(before: Doc | undefined, doc: Doc): void {
    for (const index of [...this.orders.values(), ...this.groupings.values()]) {
      if (before) index.remove(before);
      index.add(doc);
    }
  }

  /**
   * The documents of one page, in order, and the number of all the query matches. The query is
   * decided per group of its filtered fields; the page is then either walked along the sort
   * field's order from the cursor (the first `limit` + 1 documents of a matching group end it) or,
   * when the matching documents are few against the collection, gathered from their groups and
   * sorted: whichever is expected to read fewer documents.
   */
  page(query: ReadModelQuery): { readonly docs: Doc[]; readonly more: boolean; readonly total: number } {
    const fields = [...new Set([query.where ?? {}, ...(query.anyOf ?? [])].flatMap((conditions) => Object.keys(conditions)))].sort();
    const grouped = this.index(this.groupings, fields.join(' '), () => new Grouped(fields, this.rows.values()));
    const matches = matcher(query);
    const matching = new Set<Group>();
    let total = 0;
    for (const group of grouped.groups.values()) {
      if (!matches(group.sample)) continue;
      matching.add(group);
      total += group.members.size;
    }
    const field = query.sort?.field;
    const order = this.index(this.orders, field ?? '', () => new Ordered(field, this.rows.values()));
    const sign = query.sort?.direction === 'desc' ? -1 : 1;
    const cursor = query.after === undefined ? undefined : readCursor(query.after);
    const want = query.limit + 1;
    const found: Doc[] = [];
    if (total * total <= GATHER * want * this.rows.size) {
      const candidates: Entry[] = [];
      for (const group of matching) {
        for (const doc of group.members) {
          const entry = order.entryOf(doc);
          if (!cursor || sign * byPosition(entry, cursor) > 0) candidates.push(entry);
        }
      }
      found.push(...candidates.sort((a, b) => sign * byPosition(a, b)).slice(0, want).map((entry) => entry.doc));
    } else {
      const { entries } = order;
      const start = sign > 0 ? (cursor ? order.bound(cursor, true) : 0) : (cursor ? order.bound(cursor, false) : entries.length) - 1;
      for (let i = start; i >= 0 && i < entries.length && found.length < want; i += sign) {
        const group = grouped.groupOf.get(entries[i].id);
        if (group && matching.has(group)) found.push(entries[i].doc);
      }
    }
    return { docs: found.slice(0, query.limit), more: found.length > query.limit, total };
  }

  private index<I>(indexes: Map<string, I>, key: string, make: () => I): I {
    let index = indexes.get(key);
    if (!index) indexes.set(key, (index = make()));
    return index;
  }
}
