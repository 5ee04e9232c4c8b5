import {
  type Conditions, type DeadLetter, type FieldCondition, type PutRequest, type ReadModelDocument, type ReadModelPage, type ReadModelQuery, type ReadModelStore,
  RevisionConflict, checkQuery, deadLetterId, pagedResult, readCursor, valueAt,
} from '@dotpha/kernel';

/** Where dead letters outlive the process (the read models themselves are rebuilt at start-up). */
export interface DeadLetterLog {
  loadAll(): Promise<DeadLetter[]>;
  save(id: string, letter: DeadLetter): Promise<void>;
  remove(id: string): Promise<void>;
}

/**
 * Read models in process memory, for the one-process mode: they are rebuilt from the embedded
 * event store at start-up, so losing them on exit loses nothing. Dead letters are another matter:
 * an operator must still find them after a restart, so with a `DeadLetterLog` they are kept on disk.
 */
export class MemoryReadModelStore implements ReadModelStore {
  private readonly collections = new Map<string, Map<string, ReadModelDocument>>();
  private readonly checkpoints = new Map<string, number>();
  private readonly parked = new Map<string, DeadLetter>();

  constructor(private readonly log?: DeadLetterLog) {}

  /** A store whose dead letters are those the log kept. */
  static async withDeadLetterLog(log: DeadLetterLog): Promise<MemoryReadModelStore> {
    const store = new MemoryReadModelStore(log);
    for (const letter of await log.loadAll()) store.parked.set(deadLetterId(letter), letter);
    return store;
  }

  async get<D>(collection: string, id: string): Promise<ReadModelDocument<D> | undefined> {
    return structuredClone(this.rows(collection).get(id)) as ReadModelDocument<D> | undefined;
  }

  async put<D>(collection: string, doc: Omit<ReadModelDocument<D>, 'revision'>, expectedRevision: number): Promise<void> {
    const rows = this.rows(collection);
    if ((rows.get(doc.id)?.revision ?? 0) !== expectedRevision) throw new RevisionConflict(collection, doc.id);
    rows.set(doc.id, structuredClone({ ...doc, revision: expectedRevision + 1 }));
  }

  async putMany<D>(collection: string, writes: readonly PutRequest<D>[]): Promise<void> {
    let conflict: RevisionConflict | undefined;
    for (const { doc, expectedRevision } of writes) {
      await this.put(collection, doc, expectedRevision).catch((error: unknown) => {
        if (!(error instanceof RevisionConflict)) throw error;
        conflict ??= error;
      });
    }
    if (conflict) throw conflict;
  }

  async find<D>(collection: string, where: Readonly<Record<string, string | number | boolean | null>> = {}): Promise<ReadModelDocument<D>[]> {
    const matches = [...this.rows(collection).values()].filter((doc) =>
      Object.entries(where).every(([path, value]) => valueAt(doc.data, path) === value),
    );
    return structuredClone(matches.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) as ReadModelDocument<D>[];
  }

  /** The same page MongoDB's query gives (see MongoReadModelStore.page), by a scan of the collection. */
  async page<D>(collection: string, query: ReadModelQuery): Promise<ReadModelPage<ReadModelDocument<D>>> {
    checkQuery(query);
    const matching = [...this.rows(collection).values()].filter(
      (doc) => holds(doc.data, query.where ?? {}) && (!query.anyOf || query.anyOf.some((alternative) => holds(doc.data, alternative))),
    );
    const sign = query.sort?.direction === 'desc' ? -1 : 1;
    // Each document's sort value read once, not at every comparison.
    const keyed = matching.map((doc) => ({ doc, value: query.sort ? valueAt(doc.data, query.sort.field) : null, id: doc.id }));
    const order = (a: { value: unknown; id: string }, b: { value: unknown; id: string }) => sign * (compare(a.value, b.value) || compare(a.id, b.id));
    const cursor = query.after === undefined ? undefined : readCursor(query.after);
    const ordered = (cursor ? keyed.filter((k) => order(k, cursor) > 0) : keyed).sort(order).map((k) => k.doc);
    const items = structuredClone(ordered.slice(0, query.limit)) as ReadModelDocument<D>[];
    return pagedResult(query, items, ordered.length > query.limit, query.count ? matching.length : undefined);
  }

  async drop(collection: string): Promise<void> {
    this.collections.delete(collection);
  }

  async getCheckpoint(name: string): Promise<number> {
    return this.checkpoints.get(name) ?? 0;
  }

  async setCheckpoint(name: string, value: number, expected: number): Promise<boolean> {
    if ((this.checkpoints.get(name) ?? 0) !== expected) return false;
    this.checkpoints.set(name, value);
    return true;
  }

  async park(letter: DeadLetter): Promise<void> {
    const id = deadLetterId(letter);
    await this.log?.save(id, letter);
    this.parked.set(id, structuredClone(letter));
  }

  async deadLetters(projection?: string): Promise<DeadLetter[]> {
    return structuredClone(
      [...this.parked.values()].filter((l) => projection === undefined || l.projection === projection).sort((a, b) => a.parkedAt.localeCompare(b.parkedAt)),
    );
  }

  async deadLetter(id: string): Promise<DeadLetter | undefined> {
    return structuredClone(this.parked.get(id));
  }

  async removeDeadLetter(id: string): Promise<void> {
    await this.log?.remove(id);
    this.parked.delete(id);
  }

  private rows(collection: string): Map<string, ReadModelDocument> {
    let rows = this.collections.get(collection);
    if (!rows) this.collections.set(collection, (rows = new Map()));
    return rows;
  }
}

/** MongoDB's matching: a list field matches a value it holds; a missing field equals null; bounds compare values of one type. */
function holds(data: unknown, conditions: Conditions): boolean {
  return Object.entries(conditions).every(([path, condition]) => satisfies(valueAt(data, path) ?? null, condition));
}

function satisfies(value: unknown, condition: FieldCondition): boolean {
  if (Array.isArray(value)) return value.some((v) => satisfies(v, condition));
  if (condition === null || typeof condition !== 'object') return value === condition;
  if ('in' in condition) return condition.in.some((c) => value === c);
  const bound = 'gt' in condition ? condition.gt : condition.lt;
  if (typeof value !== typeof bound) return false;
  return 'gt' in condition ? compare(value, bound) > 0 : compare(value, bound) < 0;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}
