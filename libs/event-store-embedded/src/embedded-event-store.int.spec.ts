import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { ClassicLevel } from 'classic-level';
import type { EventStore, RecordedEvent } from '@dotpha/kernel';
import { describeEventStoreContract, sampleRegistry } from '@dotpha/testkit';
import { EmbeddedEventStore } from './embedded-event-store';

describeEventStoreContract('embedded (LevelDB on local disk)', async () => {
  const location = await mkdtemp(join(tmpdir(), 'dotpha-embedded-'));
  let open: EventStore | undefined;
  return {
    async open(registry = sampleRegistry()) {
      await open?.close();
      open = await EmbeddedEventStore.open({ location, instance: 'test-province', registry });
      return open;
    },
    async tamper(streamId: string, position: number, change: (e: RecordedEvent) => RecordedEvent | null) {
      await open?.close();
      open = undefined;
      const db = new ClassicLevel<string, any>(location, { valueEncoding: 'json' });
      await db.open();
      const prefix = `s!${Buffer.from(streamId).toString('hex')}!`;
      for await (const [key, commit] of db.iterator({ gte: prefix, lt: `${prefix}~` })) {
        const index = commit.events.findIndex((e: RecordedEvent) => e.streamPosition === position);
        if (index < 0) continue;
        const changed = change(commit.events[index]);
        commit.events = changed ? commit.events.map((e: RecordedEvent, i: number) => (i === index ? changed : e)) : commit.events.filter((_: unknown, i: number) => i !== index);
        await (commit.events.length ? db.put(key, commit) : db.del(key));
      }
      await db.close();
    },
    async rewrite(streamId: string, change: (stored: RecordedEvent[]) => RecordedEvent[]) {
      await open?.close();
      open = undefined;
      const db = new ClassicLevel<string, any>(location, { valueEncoding: 'json' });
      await db.open();
      const hex = Buffer.from(streamId).toString('hex');
      const prefix = `s!${hex}!`;
      const stored: RecordedEvent[] = [];
      let first: any;
      for await (const [key, commit] of db.iterator({ gte: prefix, lt: `${prefix}~` })) {
        first ??= commit;
        stored.push(...commit.events);
        await db.del(key);
      }
      const events = change(stored);
      if (events.length === 0) await db.del(`h!${hex}`);
      else await db.put(`${prefix}${'1'.padStart(16, '0')}`, { ...first, from: 1, to: events.length, events });
      await db.close();
    },
    async dispose() {
      await open?.close().catch(() => undefined);
      await rm(location, { recursive: true, force: true });
    },
  };
});
