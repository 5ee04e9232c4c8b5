import type { Collection, Db } from 'mongodb';
import {
  type DeadLetter, type PutRequest, type ReadModelDocument, type ReadModelStore, InvalidInput, RevisionConflict, deadLetterId,
} from '@dotpha/kernel';

interface StoredDocument {
  _id: string;
  revision: number;
  data: unknown;
  /**
   * A list, not an object: stream ids may hold characters field names may not. Entries are
   * documents, not [id, position] pairs, because FerretDB refuses nested arrays.
   */
  applied: { stream: string; position: number }[];
}

const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
const CHUNK = 50;
const FIELD = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** Read models in MongoDB: one document per read-model row, revisions for compare-and-set. */
export class MongoReadModelStore implements ReadModelStore {
  private readonly checkpoints: Collection<{ _id: string; value: number }>;
  private readonly parked: Collection<DeadLetter & { _id: string }>;

  constructor(private readonly db: Db, private readonly prefix = '') {
    this.checkpoints = db.collection(`${this.name('checkpoints')}`);
    this.parked = db.collection(`${this.name('dead-letters')}`);
  }

  async get<D>(collection: string, id: string): Promise<ReadModelDocument<D> | undefined> {
    const doc = await this.rows(collection).findOne({ _id: String(id) });
    return doc ? toDocument<D>(doc) : undefined;
  }

  async put<D>(collection: string, doc: Omit<ReadModelDocument<D>, 'revision'>, expectedRevision: number): Promise<void> {
    const row = toRow(doc, expectedRevision);
    if (expectedRevision === 0) {
      try {
        await this.rows(collection).insertOne({ _id: doc.id, ...row });
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) throw new RevisionConflict(collection, doc.id);
        throw error;
      }
      return;
    }
    const result = await this.rows(collection).updateOne({ _id: doc.id, revision: expectedRevision }, { $set: row });
    if (result.matchedCount === 0) throw new RevisionConflict(collection, doc.id);
  }

  /**
   * New documents go in `insertMany` commands, changed ones in unordered bulk updates, 50
   * statements a command (FerretDB 1.24 never answers an update command of 100 or more).
   */
  async putMany<D>(collection: string, writes: readonly PutRequest<D>[]): Promise<void> {
    const rows = this.rows(collection);
    const fresh = writes.filter((w) => w.expectedRevision === 0);
    const changed = writes.filter((w) => w.expectedRevision !== 0);
    let conflicts = 0;
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const docs = fresh.slice(i, i + CHUNK).map(({ doc }) => ({ _id: doc.id, ...toRow(doc, 0) }));
      try {
        await rows.insertMany(docs, { ordered: false });
      } catch (error) {
        const failures = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
        const list = Array.isArray(failures) ? failures : failures ? [failures] : [];
        if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw error;
        conflicts += list.length;
      }
    }
    for (let i = 0; i < changed.length; i += CHUNK) {
      const chunk = changed.slice(i, i + CHUNK);
      const result = await rows.bulkWrite(
        chunk.map(({ doc, expectedRevision }) => ({
          updateOne: { filter: { _id: doc.id, revision: expectedRevision }, update: { $set: toRow(doc, expectedRevision) } },
        })),
        { ordered: false },
      );
      conflicts += chunk.length - result.matchedCount;
    }
    if (conflicts) throw new RevisionConflict(collection, `${conflicts} of ${writes.length} documents`);
  }

  async find<D>(collection: string, where: Readonly<Record<string, string | number | boolean | null>> = {}): Promise<ReadModelDocument<D>[]> {
    const filter: Record<string, string | number | boolean | null> = {};
    for (const [field, value] of Object.entries(where)) {
      if (!FIELD.test(field)) throw new InvalidInput(`'${field}' is not a field name`);
      if (value !== null && typeof value === 'object') throw new InvalidInput(`filter on '${field}' must be a plain value`);
      filter[`data.${field}`] = value;
    }
    const rows = await this.rows(collection).find(filter).sort({ _id: 1 }).toArray();
    return rows.map((row) => toDocument<D>(row));
  }

  /** Drops the collection (FerretDB 1.24 refuses `deleteMany({})` of 40,000 documents). */
  async drop(collection: string): Promise<void> {
    await this.rows(collection).drop().catch((error: { code?: number; message?: string }) => {
      // Nothing to drop: MongoDB and FerretDB say so by code, mongo-java-server by message only.
      if (error.code !== NAMESPACE_NOT_FOUND && !/^ns not found$/.test(error.message ?? '')) throw error;
    });
  }

  async getCheckpoint(name: string): Promise<number> {
    return (await this.checkpoints.findOne({ _id: name }))?.value ?? 0;
  }

  async setCheckpoint(name: string, value: number, expected: number): Promise<boolean> {
    try {
      const result = await this.checkpoints.updateOne({ _id: name, value: expected }, { $set: { value } }, { upsert: expected === 0 });
      return result.matchedCount + result.upsertedCount > 0;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async park(letter: DeadLetter): Promise<void> {
    await this.parked.replaceOne({ _id: deadLetterId(letter) }, letter, { upsert: true });
  }

  async deadLetters(projection?: string): Promise<DeadLetter[]> {
    const rows = await this.parked.find(projection === undefined ? {} : { projection: String(projection) }).sort({ parkedAt: 1 }).toArray();
    return rows.map(({ _id, ...letter }) => letter);
  }

  async deadLetter(id: string): Promise<DeadLetter | undefined> {
    const row = await this.parked.findOne({ _id: String(id) });
    if (!row) return undefined;
    const { _id, ...letter } = row;
    return letter;
  }

  async removeDeadLetter(id: string): Promise<void> {
    await this.parked.deleteOne({ _id: String(id) });
  }

  private rows(collection: string): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(this.name(`rm.${collection}`));
  }

  private name(suffix: string): string {
    return this.prefix ? `${this.prefix}.${suffix}` : suffix;
  }
}

function toRow<D>(doc: Omit<ReadModelDocument<D>, 'revision'>, expectedRevision: number): Omit<StoredDocument, '_id'> {
  return { revision: expectedRevision + 1, data: doc.data, applied: Object.entries(doc.applied).map(([stream, position]) => ({ stream, position })) };
}

function toDocument<D>(row: StoredDocument): ReadModelDocument<D> {
  return { id: row._id, revision: row.revision, data: row.data as D, applied: Object.fromEntries(row.applied.map((a) => [a.stream, a.position])) };
}
