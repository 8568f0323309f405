// The production engine: the official driver. Every repository keeps documents keyed by
// the API's 24-hex id as a string `_id`, so ids round-trip without conversion; races are
// settled by conditional findOneAndUpdate and unique indexes, never by read-then-write.
import { MongoClient, type Collection, type Db, type Document, type MongoClientOptions } from 'mongodb';

export async function connectMongo(uri: string, dbName?: string, options: MongoClientOptions = {}): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(uri, { maxPoolSize: 50, ...options });
  await client.connect();
  return { client, db: client.db(dbName) };
}

/** Drops `_id` and renames it to the domain's id field. */
export function unwrap<T>(doc: Document | null, idField: string): T | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { [idField]: _id, ...rest } as T;
}

export const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

/** Inserts a document unless a unique index already holds its key; true when this call inserted it. */
export async function insertOnce(col: Collection<any>, doc: Document): Promise<boolean> {
  try {
    await col.insertOne(doc);
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
