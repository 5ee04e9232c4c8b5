import { type DeadLetter, type PutRequest, type ReadModelDocument, type ReadModelStore, RevisionConflict } from '@dotpha/kernel';

/**
 * Read models in process memory, for the one-process mode: they are rebuilt from the embedded
 * event store at start-up, so losing them on exit loses nothing.
 */
export class MemoryReadModelStore implements ReadModelStore {
  private readonly collections = new Map<string, Map<string, ReadModelDocument>>();
  private readonly checkpoints = new Map<string, number>();
  private readonly parked = new Map<string, DeadLetter>();

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
    this.parked.set(`${letter.projection}|${letter.event.eventId}`, structuredClone(letter));
  }

  async deadLetters(projection: string): Promise<DeadLetter[]> {
    return [...this.parked.values()].filter((l) => l.projection === projection);
  }

  private rows(collection: string): Map<string, ReadModelDocument> {
    let rows = this.collections.get(collection);
    if (!rows) this.collections.set(collection, (rows = new Map()));
    return rows;
  }
}

function valueAt(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), data);
}
