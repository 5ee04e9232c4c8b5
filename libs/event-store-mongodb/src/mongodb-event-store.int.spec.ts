import mongoose from 'mongoose';
import type { EventStore, RecordedEvent } from '@dotpha/kernel';
import { describeEventStoreContract, sampleRegistry, testServers, uniqueName } from '@dotpha/testkit';
import { MongoEventStore } from './mongodb-event-store';

let connection: mongoose.Connection;

beforeAll(async () => {
  connection = await mongoose.createConnection(testServers().mongoUrl).asPromise();
});
afterAll(() => connection.close());

describeEventStoreContract(`MongoDB (${process.env.DOTPHA_MONGO_KIND ?? 'unknown server'})`, async () => {
  const db = connection.getClient().db(uniqueName('contract'));
  let open: EventStore | undefined;
  return {
    async open(registry = sampleRegistry()) {
      open = await MongoEventStore.create({ db, instance: 'test-province', registry });
      return open;
    },
    async tamper(streamId: string, position: number, change: (e: RecordedEvent) => RecordedEvent | null) {
      const commits = db.collection<{ _id: string; events: RecordedEvent[] }>('commits');
      const commit = await commits.findOne({ streamId, from: { $lte: position }, to: { $gte: position } });
      if (!commit) throw new Error(`no commit holds ${streamId}@${position}`);
      const index = commit.events.findIndex((e) => e.streamPosition === position);
      const changed = change(commit.events[index]);
      const events = changed ? commit.events.map((e, i) => (i === index ? changed : e)) : commit.events.filter((_, i) => i !== index);
      await (events.length ? commits.updateOne({ _id: commit._id }, { $set: { events } }) : commits.deleteOne({ _id: commit._id }));
    },
    async dispose() {
      await open?.close();
      await db.dropDatabase();
    },
  };
});
