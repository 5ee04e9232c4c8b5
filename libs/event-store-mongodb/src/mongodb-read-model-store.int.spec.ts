import mongoose from 'mongoose';
import { describeReadModelStoreContract, testServers, uniqueName } from '@dotpha/testkit';
import { MongoReadModelStore } from './mongodb-read-model-store';

let connection: mongoose.Connection;

beforeAll(async () => {
  connection = await mongoose.createConnection(testServers().mongoUrl).asPromise();
});
afterAll(() => connection.close());

describeReadModelStoreContract(`MongoDB (${process.env.DOTPHA_MONGO_KIND ?? 'unknown server'})`, async () => {
  const db = connection.getClient().db(uniqueName('readmodels'));
  return { store: new MongoReadModelStore(db, 'svc'), dispose: () => db.dropDatabase().then(() => undefined) };
});
