import type { RecordedEvent } from '@dotpha/kernel';
import { MongoEventStore } from '@dotpha/event-store-mongodb';
import { type BenchContext, measuredRuns } from '../lib/context';
import { STORE_COLLECTIONS, seedStore } from '../lib/data';
import { type Outcome, errorText, failed, ok, timed, within } from '../lib/stats';

export interface AggregateRow {
  readonly events: number;
  /** Milliseconds per rebuild (readStream + fold). */
  readonly ms: Outcome;
  readonly eventsPerSecond: Outcome;
}

export interface HeadLookupRow {
  readonly commits: number;
  readonly ms: Outcome;
}

/** The state a fold builds: what a decider would need of a note stream. */
interface NoteState {
  count: number;
  chars: number;
  last: number;
}

export function fold(events: readonly RecordedEvent[]): NoteState {
  return events.reduce<NoteState>((s, e) => {
    const data = e.data as { text: string; n?: number };
    return { count: s.count + 1, chars: s.chars + data.text.length, last: e.streamPosition };
  }, { count: 0, chars: 0, last: 0 });
}

/**
 * Rebuilding one aggregate of N events (readStream + fold), each aggregate in a store of its own
 * holding only its N commits (1 event each), so the figure does not depend on what else is stored.
 */
export async function aggregateSuite(ctx: BenchContext): Promise<{ rows: AggregateRow[]; heads: HeadLookupRow[] }> {
  const { params, db, registry, instance, text, tag } = ctx;
  const rows: AggregateRow[] = [];
  const heads: HeadLookupRow[] = [];
  for (const size of params.aggregateSizes) {
    const prefix = `agg_${tag}_${size}`;
    try {
      const store = await MongoEventStore.create({ db, instance, registry, prefix });
      await seedStore(db, prefix, { instance, registry, text, events: size, streamLength: size, streamPrefix: 'agg', dispatched: true });
      const streamId = 'agg-0';
      // Repeat small rebuilds so one run lasts long enough to time.
      const repeat = Math.max(1, Math.ceil(200 / size));
      const ms: number[] = [];
      for (const run of measuredRuns(params)) {
        const seconds = await within(timed(async () => {
          for (let i = 0; i < repeat; i++) {
            const state = fold(await store.readStream(streamId));
            if (state.count !== size) throw new Error(`read ${state.count} events of ${size}`);
          }
        }), params.stepTimeoutMs, `rebuild of a ${size}-event aggregate`);
        if (run > 0) ms.push((seconds * 1000) / repeat);
      }
      rows.push({ events: size, ms: ok(ms), eventsPerSecond: ok(ms.map((m) => (size * 1000) / m)) });
      ctx.log(`aggregate of ${size}: ${rows[rows.length - 1].ms.ok ? (rows[rows.length - 1].ms as { figure: { median: number } }).figure.median.toFixed(2) : '?'} ms per rebuild`);
      heads.push({ commits: size, ms: await headLookup(ctx, store) });
    } catch (error) {
      rows.push({ events: size, ms: failed(errorText(error)), eventsPerSecond: failed(errorText(error)) });
    } finally {
      for (const c of STORE_COLLECTIONS) await db.collection(`${prefix}.${c}`).drop().catch(() => undefined);
    }
  }
  return { rows, heads };
}

/**
 * The stream-head lookup (`streamVersion`: probing `<stream>|1` by `_id` for a stream that does
 * not exist), which an append needs when it does not remember the head, timed against how much
 * the collection holds.
 */
export async function headLookup(ctx: BenchContext, store: MongoEventStore): Promise<Outcome> {
  const ms: number[] = [];
  try {
    for (const run of measuredRuns(ctx.params)) {
      const seconds = await within(timed(() => store.streamVersion(`absent-${run}`)), ctx.params.stepTimeoutMs, 'head lookup');
      if (run > 0) ms.push(seconds * 1000);
    }
    return ok(ms);
  } catch (error) {
    return failed(errorText(error));
  }
}
