import type { ReadModelQuery } from '@dotpha/kernel';
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

describe('MongoReadModelStore indexes for a list', () => {
  it('makes, for a visibility rule of three alternatives sorted by a field, one index per alternative (the equalities of `where` then its own, the sort and _id, its ranges) and the sort alone, as listIndexes shows them', async () => {
    const db = mongo.database('listindexes');
    try {
      const store = new MongoReadModelStore(db, 'svc');
      const data = { status: 'submitted', proposerId: 'u2', proposerUnitId: 'a', coProposerIds: ['u1'], revision: 1, lastChangedAt: '2026-01-02' };
      await store.put('props', { id: 'p1', data, applied: {} }, 0);
      await store.put('props', { id: 'p2', data: { ...data, lastChangedAt: '2026-01-03' }, applied: {} }, 0);
      const query: ReadModelQuery = {
        where: { status: { in: ['draft', 'submitted'] } },
        anyOf: [{ proposerId: 'u1' }, { coProposerIds: 'u1', revision: { gt: 0 } }, { proposerUnitId: { in: ['a', 'b'] }, revision: { gt: 0 } }],
        sort: { field: 'lastChangedAt', direction: 'desc' },
        limit: 1,
      };
      const first = await store.page('props', query);
      expect([first.items.map((d) => d.id), (await store.page('props', { ...query, after: first.next! })).items.map((d) => d.id)]).toEqual([['p2'], ['p1']]);
      // Key order is the index (toEqual would not see it): compared as lists of [field, direction].
      const sort = [['data.lastChangedAt', -1], ['_id', -1]];
      const keys = (await db.collection('svc.rm.props').indexes()).map((index) => Object.entries(index.key));
      expect(keys).toEqual(
        expect.arrayContaining([
          [['data.status', 1], ['data.proposerId', 1], ...sort],
          [['data.status', 1], ['data.coProposerIds', 1], ...sort, ['data.revision', 1]],
          [['data.status', 1], ['data.proposerUnitId', 1], ...sort, ['data.revision', 1]],
          sort,
        ]),
      );
      expect(keys).toHaveLength(5); // and _id's own
    } finally {
      await db.dropDatabase();
    }
  });
});
