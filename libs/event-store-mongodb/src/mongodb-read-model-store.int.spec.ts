import { describeReadModelStoreContract, testMongo } from '@dotpha/testkit';
import { MongoReadModelStore } from './mongodb-read-model-store';

const mongo = testMongo();

describeReadModelStoreContract(`MongoDB (${process.env.DOTPHA_MONGO_KIND ?? 'unknown server'})`, async () => {
  const db = mongo.database('readmodels');
  return {
    store: new MongoReadModelStore(db, 'svc'),
    reopen: async () => new MongoReadModelStore(db, 'svc'),
    sibling: async () => new MongoReadModelStore(db, 'svc'),
    dispose: () => db.dropDatabase().then(() => undefined),
  };
});

describe('MongoReadModelStore on a large read model', () => {
  it('drops a read model of 40,000 documents (a rebuild starts so; FerretDB refuses deleteMany({}) of that many)', async () => {
    const db = mongo.database('bigmodel');
    try {
      const store = new MongoReadModelStore(db, 'svc');
      const rows = db.collection('svc.rm.big');
      for (let from = 0; from < 40_000; from += 10_000) {
        await rows.insertMany(Array.from({ length: 10_000 }, (_, i) => ({ _id: `d${from + i}` as never, revision: 1, data: { n: from + i }, applied: [] })));
      }
      expect(await store.get('big', 'd39999')).toMatchObject({ revision: 1, data: { n: 39_999 } });
      await store.drop('big');
      expect(await store.get('big', 'd39999')).toBeUndefined();
      await store.put('big', { id: 'd1', data: { n: 1 }, applied: {} }, 0);
      expect((await store.find('big')).map((d) => d.id)).toEqual(['d1']);
      await store.drop('never-written'); // nothing to drop is no error
    } finally {
      await db.dropDatabase();
    }
  });
});
