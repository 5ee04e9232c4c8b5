import mongoose from 'mongoose';
import { testServers, uniqueName } from './servers';

export type TestDb = ReturnType<mongoose.mongo.MongoClient['db']>;

/**
 * One connection to the shared test MongoDB for the spec (or describe block) that calls it: opened
 * before its tests, closed after them. `database(name)` is a database of its own on it, named
 * uniquely from `name`.
 */
export function testMongo(): { database(name: string): TestDb } {
  let connection: mongoose.Connection | undefined;
  beforeAll(async () => {
    connection = await mongoose.createConnection(testServers().mongoUrl).asPromise();
  });
  afterAll(() => connection?.close());
  return {
    database(name) {
      if (!connection) throw new Error('the test MongoDB connection is not open: call database() inside a test or hook');
      return connection.getClient().db(uniqueName(name));
    },
  };
}
