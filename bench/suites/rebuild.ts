import { type EventStore, type Projection, ProjectionRunner, type ReadModelStore } from '@dotpha/kernel';
import { MongoEventStore, MongoReadModelStore } from '@dotpha/event-store-mongodb';
import { MemoryReadModelStore } from '@dotpha/event-store-embedded';
import { type BenchContext, measuredRuns } from '../lib/context';
import { STORE_COLLECTIONS, seedStore } from '../lib/data';
import { type Figure, type Outcome, errorText, failed, ok, stepFigures, timed, within, withTimers } from '../lib/stats';
import { type HeadLookupRow, headLookup } from './read';

export interface RebuildResult {
  readonly events: number;
  readonly streams: number;
  /** readAll from the middle checkpoint to the end, pages of 1000 (the runner's batch). */
  readonly readAll: Outcome;
  readonly readAllEvents: number;
  /** ProjectionRunner.rebuild into read models on the same server. */
  readonly serverModels: Outcome;
  /** Seconds per rebuild into the server's read models, per call of the event and read-model stores. */
  readonly serverBreakdown: Record<string, Figure>;
  /** The same rebuild into read models in process memory: the reading side alone. */
  readonly memoryModels: Outcome;
  readonly head: HeadLookupRow;
}

/** One read-model document per stream: what a list view of proposals keeps. */
const summary: Projection<{ count: number; chars: number; lastN: number }> = {
  name: 'bench-summary',
  collection: 'bench-summary',
  canHandle: ['NoteAdded'],
  key: (e) => e.streamId,
  apply: (current, e) => {
    const data = e.data as { text: string; n: number };
    return { count: (current?.count ?? 0) + 1, chars: (current?.chars ?? 0) + data.text.length, lastN: data.n };
  },
};

export async function rebuildSuite(ctx: BenchContext): Promise<RebuildResult> {
  const { params, db, registry, instance, text, tag } = ctx;
  const events = params.rebuildEvents;
  const streams = Math.ceil(events / params.rebuildStreamLength);
  const prefix = `rebuild_${tag}`;
  const store = await MongoEventStore.create({ db, instance, registry, prefix });
  ctx.log(`rebuild: storing ${events} sequenced events (${streams} streams, 1 event per commit)`);
  await seedStore(db, prefix, { instance, registry, text, events, streamLength: params.rebuildStreamLength, streamPrefix: 'rb', dispatched: true });

  const from = Math.floor(events / 2);
  const readAllEvents = events - from;
  const readAll = await measure(ctx, 'readAll from a checkpoint', readAllEvents, async () => {
    let after = from;
    let read = 0;
    for (;;) {
      const page = await store.readAll(after, 1000);
      if (page.events.length === 0) break;
      read += page.events.length;
      after = page.checkpoint;
    }
    if (read !== readAllEvents) throw new Error(`readAll returned ${read} events, expected ${readAllEvents}`);
  });

  const rebuildInto = (models: () => ReadModelStore, steps?: Record<string, number[]>) => measure(ctx, 'projection rebuild', events, async () => {
    const spent: Record<string, number> = {};
    const source = withTimers<EventStore>(store, 'events', ['readAll'], spent);
    const target = withTimers<ReadModelStore>(models(), 'models', ['get', 'put', 'putMany', 'drop', 'getCheckpoint', 'setCheckpoint'], spent);
    const read = await new ProjectionRunner([summary], target).rebuild(source, 'bench');
    if (read !== events) throw new Error(`the rebuild read ${read} events, expected ${events}`);
    return spent;
  }, false, steps); // each run reads the whole store: long enough to need no warm-up
  const serverModelStore = new MongoReadModelStore(db, `rm_${tag}`);
  const serverSteps: Record<string, number[]> = {};
  const serverModels = await rebuildInto(() => serverModelStore, serverSteps);
  if (serverModels.ok) {
    const rows = await serverModelStore.find<{ count: number }>('bench-summary');
    const absorbed = rows.reduce((n, d) => n + d.data.count, 0);
    if (rows.length !== streams || absorbed !== events) throw new Error(`the rebuilt read model is wrong: ${rows.length} documents, ${absorbed} events`);
  }
  const memoryModels = await rebuildInto(() => new MemoryReadModelStore());
  const head = { commits: events, ms: await headLookup(ctx, store) };

  for (const c of STORE_COLLECTIONS) await db.collection(`${prefix}.${c}`).drop().catch(() => undefined);
  for (const c of ['rm.bench-summary', 'checkpoints', 'dead-letters']) await db.collection(`rm_${tag}.${c}`).drop().catch(() => undefined);
  return { events, streams, readAll, readAllEvents, serverModels, serverBreakdown: stepFigures(serverSteps), memoryModels, head };
}

/** events/s of `fn` over the measured runs (after a discarded warm-up run unless told otherwise). */
async function measure(
  ctx: BenchContext,
  what: string,
  events: number,
  fn: () => Promise<Record<string, number> | void>,
  warmUp = true,
  steps?: Record<string, number[]>,
): Promise<Outcome> {
  const rates: number[] = [];
  try {
    for (const run of measuredRuns(ctx.params).slice(warmUp ? 0 : 1)) {
      const box: { spent?: Record<string, number> } = {};
      const seconds = await within(timed(async () => (box.spent = (await fn()) ?? undefined)), ctx.params.stepTimeoutMs, what);
      if (run > 0) {
        rates.push(events / seconds);
        if (steps && box.spent) for (const [k, v] of Object.entries(box.spent)) (steps[k] ??= []).push(v);
      }
      ctx.log(`${what} run ${run}${run ? '' : ' (warm-up)'}: ${(events / seconds).toFixed(0)} events/s`);
    }
    return ok(rates);
  } catch (error) {
    ctx.log(`${what} failed: ${errorText(error)}`);
    return failed(errorText(error));
  }
}
