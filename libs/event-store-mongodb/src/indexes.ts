import type { mongo } from 'mongoose';

/**
 * Creates only the indexes a collection lacks. Asking for an existing index again is a no-op
 * on MongoDB but crashes the connection on FerretDB 1.24 (see docs/ferretdb.md).
 */
export async function ensureIndexes<T extends mongo.Document>(collection: mongo.Collection<T>, indexes: mongo.IndexDescription[]): Promise<void> {
  const existing = new Set(
    await collection.listIndexes().toArray().then(
      (list) => list.map((i) => i.name as string),
      () => [] as string[],
    ),
  );
  const missing = indexes.filter((i) => !existing.has(i.name!));
  if (missing.length) await collection.createIndexes(missing);
}
