import {
  type DeadLetter, type PutRequest, type ReadModelDocument, type ReadModelPage, type ReadModelQuery, type ReadModelStore,
  RevisionConflict, checkQuery, deadLetterId, pagedResult, valueAt,
} from '@dotpha/kernel';
import { ListIndex } from './memory-list-index';

/** Writes in one batch beyond which the collection's list indexes are dropped, not kept write by write. */
const REINDEX_AFTER = 1000;

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
  /** Each collection's list indexes, made by its first page and kept by every write. */
  private readonly indexes = new Map<string, ListIndex>();

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
    const stored = structuredClone({ ...doc, revision: expectedRevision + 1 });
    this.indexes.get(collection)?.replaced(rows.get(doc.id), stored);
    rows.set(doc.id, stored);
  }

  async putMany<D>(collection: string, writes: readonly PutRequest<D>[]): Promise<void> {
    // Kept one write at a time, an index costs a large batch (a rebuild) more than the next page's making it again.
    if (writes.length > REINDEX_AFTER) this.indexes.delete(collection);
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

  /** The same page MongoDB's query gives (see MongoReadModelStore.page), from the collection's list indexes (see ListIndex). */
  async page<D>(collection: string, query: ReadModelQuery): Promise<ReadModelPage<ReadModelDocument<D>>> {
    checkQuery(query);
    let index = this.indexes.get(collection);
    if (!index) this.indexes.set(collection, (index = new ListIndex(this.rows(collection))));
    const { docs, more, total } = index.page(query);
    return pagedResult(query, structuredClone(docs) as ReadModelDocument<D>[], more, query.count ? total : undefined);
  }

  async drop(collection: string): Promise<void> {
    this.collections.delete(collection);
    this.indexes.delete(collection);
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
