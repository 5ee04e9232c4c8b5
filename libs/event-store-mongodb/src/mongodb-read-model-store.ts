import type { mongo } from 'mongoose';
import {
  type DeadLetter, type PutRequest, type ReadModelDocument, type ReadModelPage, type ReadModelQuery, type ReadModelStore, InvalidInput, RevisionConflict,
  checkQuery, deadLetterId, pagedResult,
} from '@dotpha/kernel';
import { indexesFor, pageFilter, pageSort } from './read-model-page';

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

/** A revision of a document, claimed by the writer that decided on the one before. */
interface Claim extends StoredDocument {
  /** The document's id (the claim's own `_id` is `<id>|<revision>`). */
  doc: string;
}

const claimId = (id: string, revision: number) => `${id}|${revision}`;

/**
 * Read models in MongoDB: one document per read-model row, revisions for compare-and-set.
 *
 * The compare-and-set is decided by an insert, not by a conditional update: FerretDB on SQLite
 * lets two `updateOne({_id, revision})` both match (150–185 times in 200 tries, issue 16), and two
 * replicas, or two topics feeding one document, do race. A writer that decided on revision r
 * first inserts its whole new document as the claim `<id>|r+1` in a side collection: a unique
 * `_id`, so exactly one writer gets each revision. Only then does it write the document itself,
 * and drop the claim before it. A reader takes the document and looks for a claim of the next
 * revision (a writer between its two steps, or one that died there) and, finding one, reads it and
 * writes the document forward: so a claimed revision is never lost, and never overwritten by an
 * older one. Lists (`find`) read the documents themselves, at most that one step behind.
 */
export class MongoReadModelStore implements ReadModelStore {
  private readonly checkpoints: mongo.Collection<{ _id: string; value: number }>;
  private readonly parked: mongo.Collection<DeadLetter & { _id: string }>;
  /** Indexes already asked for, per collection and key (created on first use of a query shape). */
  private readonly indexed = new Map<string, Promise<void>>();

  constructor(private readonly db: mongo.Db, private readonly prefix = '') {
    this.checkpoints = db.collection(`${this.name('checkpoints')}`);
    this.parked = db.collection(`${this.name('dead-letters')}`);
  }

  async get<D>(collection: string, id: string): Promise<ReadModelDocument<D> | undefined> {
    const row = await this.latest(collection, String(id));
    return row ? toDocument<D>(row) : undefined;
  }

  async put<D>(collection: string, doc: Omit<ReadModelDocument<D>, 'revision'>, expectedRevision: number): Promise<void> {
    const row = { _id: doc.id, ...toRow(doc, expectedRevision) };
    try {
      await this.claims(collection).insertOne({ ...row, _id: claimId(doc.id, row.revision), doc: doc.id });
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) throw new RevisionConflict(collection, doc.id);
      throw error;
    }
    await this.writeForward(collection, row);
  }

  /** The document and any revision claimed after it, written forward (see the class comment). */
  private async latest(collection: string, id: string): Promise<StoredDocument | undefined> {
    let row = (await this.rows(collection).findOne({ _id: id })) ?? undefined;
    let forward = false;
    for (;;) {
      const next = await this.claims(collection).findOne({ _id: claimId(id, (row?.revision ?? 0) + 1) });
      if (!next) break;
      const { doc: _doc, ...claimed } = next;
      row = { ...claimed, _id: id };
      forward = true;
    }
    if (forward && row) await this.writeForward(collection, row);
    return row;
  }

  private async writeForward(collection: string, row: StoredDocument): Promise<void> {
    await this.rows(collection).replaceOne({ _id: row._id, revision: { $lt: row.revision } }, row, { upsert: true }).catch((error: { code?: number }) => {
      // The document is already at this revision or beyond (the upsert's insert collided): nothing to write.
      if (error.code !== DUPLICATE_KEY) throw error;
    });
    if (row.revision > 1) await this.claims(collection).deleteOne({ _id: claimId(row._id, row.revision - 1) });
  }

  /**
   * Claims go in unordered `insertMany` commands, the documents then in unordered bulk replaces,
   * 50 statements a command (FerretDB 1.24 never answers an update command of 100 or more).
   */
  async putMany<D>(collection: string, writes: readonly PutRequest<D>[]): Promise<void> {
    const claims = this.claims(collection);
    const rows = this.rows(collection);
    let conflicts = 0;
    for (let i = 0; i < writes.length; i += CHUNK) {
      const chunk = writes.slice(i, i + CHUNK).map(({ doc, expectedRevision }) => ({ _id: doc.id, ...toRow(doc, expectedRevision) }));
      const lost = new Set<number>();
      try {
        await claims.insertMany(chunk.map((row) => ({ ...row, _id: claimId(row._id, row.revision), doc: row._id })), { ordered: false });
      } catch (error) {
        const failures = (error as { writeErrors?: { code?: number; index?: number }[] | { code?: number; index?: number } }).writeErrors;
        const list = Array.isArray(failures) ? failures : failures ? [failures] : [];
        if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY || typeof e.index !== 'number')) throw error;
        list.forEach((e) => lost.add(e.index!));
      }
      conflicts += lost.size;
      const won = chunk.filter((_, index) => !lost.has(index));
      if (won.length === 0) continue;
      await rows
        .bulkWrite(won.map((row) => ({ replaceOne: { filter: { _id: row._id, revision: { $lt: row.revision } }, replacement: row, upsert: true } })), { ordered: false })
        .catch((error: { writeErrors?: { code?: number }[] | { code?: number } }) => {
          // A document already ahead of its claim (a racing writer) is left as it is.
          const failures = error.writeErrors;
          const list = Array.isArray(failures) ? failures : failures ? [failures] : [];
          if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw error;
        });
      const superseded = won.filter((row) => row.revision > 1).map((row) => claimId(row._id, row.revision - 1));
      if (superseded.length) await claims.deleteMany({ _id: { $in: superseded } });
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

  /**
   * The page as one query (filter, sort by field then `_id`, keyset after the cursor, limit + 1 to
   * know whether a next page exists) on indexes made for the query's shape on first use.
   */
  async page<D>(collection: string, query: ReadModelQuery): Promise<ReadModelPage<ReadModelDocument<D>>> {
    checkQuery(query);
    const rows = this.rows(collection);
    await Promise.all(indexesFor(query).map((keys) => this.ensureIndex(collection, keys)));
    const filter = pageFilter(query, true);
    const [found, total] = await Promise.all([
      rows.find(filter as mongo.Filter<StoredDocument>).sort(pageSort(query)).limit(query.limit + 1).toArray(),
      query.count ? rows.countDocuments(pageFilter(query, false) as mongo.Filter<StoredDocument>) : Promise.resolve(undefined),
    ]);
    const items = found.slice(0, query.limit).map((row) => toDocument<D>(row));
    return pagedResult(query, items, found.length > query.limit, total);
  }

  private ensureIndex(collection: string, keys: Record<string, 1 | -1>): Promise<void> {
    const key = `${collection} ${JSON.stringify(keys)}`;
    let made = this.indexed.get(key);
    if (!made) {
      // A server that cannot build it (or builds none, as FerretDB's SQLite handler uses none) still answers the query by scanning.
      made = this.rows(collection).createIndex(keys).then(() => undefined, () => undefined);
      this.indexed.set(key, made);
    }
    return made;
  }

  /** Drops the collection and its claims (FerretDB 1.24 refuses `deleteMany({})` of 40,000 documents). */
  async drop(collection: string): Promise<void> {
    for (const key of this.indexed.keys()) if (key.startsWith(`${collection} `)) this.indexed.delete(key);
    for (const rows of [this.rows(collection), this.claims(collection)]) {
      await rows.drop().catch((error: { code?: number; message?: string }) => {
        // Nothing to drop: MongoDB and FerretDB say so by code, mongo-java-server by message only.
        if (error.code !== NAMESPACE_NOT_FOUND && !/^ns not found$/.test(error.message ?? '')) throw error;
      });
    }
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

  private rows(collection: string): mongo.Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(this.name(`rm.${collection}`));
  }

  private claims(collection: string): mongo.Collection<Claim> {
    return this.db.collection<Claim>(this.name(`rmclaims.${collection}`));
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
