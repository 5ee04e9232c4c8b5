import { randomUUID } from 'crypto';
import { MongoEventStore, MongoReadModelStore } from '@dotpha/event-store-mongodb';
import { type Projection, ProjectionRunner } from '@dotpha/kernel';
import { type TestDb, note, sampleRegistry, testMongo } from '@dotpha/testkit';

/** Texts per stream, failing on any note that says "poison" (a projection bug met in production). */
const fragile: Projection<{ texts: string[] }> = {
  name: 'fragile',
  collection: 'texts',
  canHandle: ['NoteAdded'],
  key: (e) => e.streamId,
  apply: (current, e) => {
    const { text } = e.data as { text: string };
    if (text.includes('poison')) throw new Error(`cannot project '${text}'`);
    return { texts: [...(current?.texts ?? []), text] };
  },
};

describe(`Projections over ${process.env.DOTPHA_MONGO_KIND}`, () => {
  const mongo = testMongo();
  let db: TestDb;
  let store: MongoEventStore;

  beforeEach(async () => {
    db = mongo.database('projections');
    store = await MongoEventStore.create({ db, instance: 'hn', registry: sampleRegistry() });
  });
  afterEach(() => db.dropDatabase());

  it('parks an event that keeps failing with its error, and the other events go on', async () => {
    const streamId = `p-${randomUUID()}`;
    await store.append({ streamId, streamType: 'note', expectedVersion: 0, events: ['a', 'poison pill', 'c'].map((t) => note(t)) });
    await store.sequencePending();
    const models = new MongoReadModelStore(db, 'live');
    const runner = new ProjectionRunner([fragile], models, { maxAttempts: 3, now: () => new Date('2026-05-01T00:00:00Z') });
    expect(await runner.catchUp(store)).toBe(3);
    expect((await models.get('texts', streamId))?.data).toEqual({ texts: ['a', 'c'] });
    const [letter, ...others] = await models.deadLetters('fragile');
    expect(others).toEqual([]);
    expect(letter).toMatchObject({ projection: 'fragile', error: "cannot project 'poison pill'", attempts: 3, parkedAt: '2026-05-01T00:00:00.000Z', event: { streamId, streamPosition: 2 } });
  });

  it('throws, never parks, a failure of the store (the bus tries the event again until the store answers) (issue 16)', async () => {
    const streamId = `p-${randomUUID()}`;
    await store.append({ streamId, streamType: 'note', expectedVersion: 0, events: [note('away for a moment')] });
    await store.sequencePending();
    const models = new MongoReadModelStore(db, 'live');
    const away = Object.assign(new Error('server selection timed out'), { name: 'MongoServerSelectionError' });
    let outage = true;
    const flaky = Object.assign(Object.create(models) as MongoReadModelStore, {
      put: (...args: Parameters<MongoReadModelStore['put']>) => (outage ? Promise.reject(away) : models.put(...args)),
    });
    const runner = new ProjectionRunner([fragile], flaky, { maxAttempts: 3 });
    const [event] = await store.readStream(streamId);
    await expect(runner.handle(event)).rejects.toBe(away);
    expect(await models.deadLetters('fragile')).toEqual([]);
    outage = false;
    await runner.handle(event);
    expect((await models.get('texts', streamId))?.data).toEqual({ texts: ['away for a moment'] });
  });

  it('rebuilds from zero to the same read model the live run built, and resumes from its checkpoint', async () => {
    const streams = [`r-${randomUUID()}`, `r-${randomUUID()}`];
    const liveModels = new MongoReadModelStore(db, 'live');
    const live = new ProjectionRunner([fragile], liveModels);
    for (let i = 0; i < 6; i++) {
      const streamId = streams[i % 2];
      await store.append({ streamId, streamType: 'note', expectedVersion: await store.streamVersion(streamId), events: [note(`n${i}`)] });
      await store.sequencePending();
      await live.catchUp(store);
    }
    expect(await live.catchUp(store)).toBe(0);
    const rebuiltModels = new MongoReadModelStore(db, 'rebuilt');
    await new ProjectionRunner([fragile], rebuiltModels).rebuild(store);
    for (const streamId of streams) {
      expect((await rebuiltModels.get('texts', streamId))?.data).toEqual((await liveModels.get('texts', streamId))?.data);
    }
    expect((await liveModels.get('texts', streams[0]))?.data).toEqual({ texts: ['n0', 'n2', 'n4'] });
    // A second rebuild over the first one changes nothing either.
    await new ProjectionRunner([fragile], rebuiltModels).rebuild(store);
    expect((await rebuiltModels.get('texts', streams[1]))?.data).toEqual({ texts: ['n1', 'n3', 'n5'] });
  });

  it('rebuilds in batches with a bounded memory to the same read model, parking what apply refuses', async () => {
    const streams = Array.from({ length: 5 }, () => `b-${randomUUID()}`);
    const liveModels = new MongoReadModelStore(db, 'live');
    const live = new ProjectionRunner([fragile], liveModels);
    for (let i = 0; i < 40; i++) {
      const streamId = streams[i % 5];
      const text = i === 17 ? 'poison 17' : `n${i}`;
      await store.append({ streamId, streamType: 'note', expectedVersion: Math.floor(i / 5), events: [note(text)] });
    }
    await store.sequencePending();
    await live.catchUp(store);
    const rebuiltModels = new MongoReadModelStore(db, 'rebuilt');
    // Batches of 3 events and at most 2 documents in memory: most documents are read back between batches.
    expect(await new ProjectionRunner([fragile], rebuiltModels).rebuild(store, 'catch-up', 3, 2)).toBe(40);
    for (const streamId of streams) {
      const rebuilt = await rebuiltModels.get<{ texts: string[] }>('texts', streamId);
      expect(rebuilt?.data).toEqual((await liveModels.get('texts', streamId))?.data);
      expect(rebuilt?.applied).toEqual({ [streamId]: 8 });
    }
    expect((await rebuiltModels.get<{ texts: string[] }>('texts', streams[2]))?.data.texts).toEqual(['n2', 'n7', 'n12', 'n22', 'n27', 'n32', 'n37']);
    expect((await rebuiltModels.deadLetters('fragile')).map((l) => l.event.data)).toEqual([{ text: 'poison 17' }]);
    expect(await rebuiltModels.getCheckpoint('catch-up')).toBe((await store.readAll(0, 1_000)).checkpoint);
  });
});
