import type { PendingEvent } from '@dotpha/kernel';
import { MongoEventStore } from '@dotpha/event-store-mongodb';
import { type BenchContext, measuredRuns, range } from '../lib/context';
import { type CommitDocument, STORE_COLLECTIONS, STREAM_TYPE, bsonBytes, pendingEvent } from '../lib/data';
import type { Peer } from '../lib/peer';
import { type Outcome, errorText, failed, ok, timed, within } from '../lib/stats';

export interface AppendRow {
  readonly streams: number;
  readonly raw: Outcome;
  readonly ours: Outcome;
  readonly peer: Outcome;
}

export interface AppendResult {
  readonly rows: AppendRow[];
  readonly eventsPerRun: number;
  readonly commitBytes: number;
  readonly peerLabel: string;
}

type Impl = 'raw' | 'ours' | 'peer';

/**
 * Events/s appended with 1 event per append from N concurrent streams (one writer per stream,
 * each append expecting the version its previous append returned). Every run of every
 * implementation writes the same number of events into collections of its own, created empty
 * before the clock starts, so the three see the same server state.
 */
export async function appendSuite(ctx: BenchContext, template: CommitDocument, peer: Peer | { error: string }): Promise<AppendResult> {
  const { params, db, registry, instance, text, tag } = ctx;
  const peerClient = 'error' in peer ? undefined : await new peer.MongoClient(ctx.servers.mongoUrl).connect();
  const rows: AppendRow[] = [];
  try {
    for (const streams of params.appendStreams) {
      const perStream = Math.max(1, Math.round(params.appendEvents / streams));
      const total = perStream * streams;
      const samples: Record<Impl, number[]> = { raw: [], ours: [], peer: [] };
      const broken: Partial<Record<Impl, string>> = 'error' in peer ? { peer: peer.error } : {};
      for (const run of measuredRuns(params)) {
        const label = `${tag}_s${streams}_r${run}`;
        const order: Impl[] = (['raw', 'ours', 'peer'] as Impl[]).map((_, i, all) => all[(i + run) % all.length]);
        for (const impl of order) {
          if (broken[impl]) continue;
          // Every writer's events are built before the clock starts, for all three alike.
          const batches = range(streams).map(() => range(perStream).map((n) => pendingEvent(text, n)));
          try {
            const seconds = await within(runOnce(impl, label, batches), params.stepTimeoutMs, `${impl} append, ${streams} streams`);
            if (run > 0) samples[impl].push(total / seconds);
            ctx.log(`append ${impl.padEnd(4)} ${String(streams).padStart(2)} streams run ${run}${run ? '' : ' (warm-up)'}: ${(total / seconds).toFixed(0)} events/s`);
          } catch (error) {
            broken[impl] = errorText(error);
            ctx.log(`append ${impl} ${streams} streams failed: ${broken[impl]}`);
          }
        }
      }
      const outcome = (impl: Impl): Outcome => (broken[impl] ? failed(broken[impl]!) : ok(samples[impl]));
      rows.push({ streams, raw: outcome('raw'), ours: outcome('ours'), peer: outcome('peer') });
    }
  } finally {
    await peerClient?.close().catch(() => undefined);
  }
  return {
    rows,
    eventsPerRun: params.appendEvents,
    commitBytes: bsonBytes(template),
    peerLabel: 'error' in peer ? 'peer (not available)' : `${peer.name} ${peer.version}`,
  };

  async function runOnce(impl: Impl, label: string, batches: PendingEvent[][]): Promise<number> {
    if (impl === 'raw') {
      // The limit: insertOne of documents the size of a 1-event commit, with no read before and
      // no secondary index, into an empty collection.
      const name = `raw_${label}`;
      const collection = await db.createCollection<CommitDocument>(name);
      const docs = batches.map((list, w) => list.map((_, i) => ({ ...structuredClone(template), _id: `${label}-${w}|${i + 1}` })));
      try {
        return await timed(() => Promise.all(docs.map(async (list) => {
          for (const doc of list) await collection.insertOne(doc);
        })));
      } finally {
        await collection.drop().catch(() => undefined);
      }
    }
    if (impl === 'ours') {
      const prefix = `append_${label}`;
      const store = await MongoEventStore.create({ db, instance, registry, prefix });
      try {
        return await timed(() => Promise.all(batches.map(async (list, w) => {
          let version = 0;
          for (const event of list) {
            version = (await store.append({ streamId: `s-${w}`, streamType: STREAM_TYPE, expectedVersion: version, events: [event] })).position;
          }
        })));
      } finally {
        await store.close();
        for (const c of STORE_COLLECTIONS) await db.collection(`${prefix}.${c}`).drop().catch(() => undefined);
      }
    }
    // The peer, on its own driver, appending the same events with the same optimistic check.
    const p = peer as Peer;
    const streamType = `note_${label}`;
    const store = p.api.getMongoDBEventStore({ client: peerClient, storage: { type: 'COLLECTION_PER_STREAM_TYPE', databaseName: db.databaseName } });
    const collection = await store.collectionFor(streamType); // creates its collection and index before the clock
    try {
      return await timed(() => Promise.all(batches.map(async (list, w) => {
        let version = 0n;
        for (const e of list) {
          const result = await store.appendToStream(
            `${streamType}:s-${w}`,
            [{ type: e.type, data: e.data, metadata: { eventId: e.eventId, occurredAt: e.occurredAt, actor: e.actor, correlationId: e.correlationId, causationId: e.causationId } }],
            { expectedStreamVersion: version },
          );
          version = result.nextExpectedStreamVersion;
        }
      })));
    } finally {
      await collection.drop().catch(() => undefined);
    }
  }
}
