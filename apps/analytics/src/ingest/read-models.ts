import { randomUUID } from 'crypto';
import { mongo } from 'mongoose';
import type { PublishedEvent } from '../contract/published-events.generated';
import { type Owed, type Sheet, foldWrites, sheetChanges } from './cube';
import { type FactsOf, type FactsOptions, type ProposalFacts, type RegistrationFacts, factsOf, isProposalEvent, isRegistrationEvent } from './facts';

export type Outcome = 'applied' | 'duplicate' | 'ignored';

type Facts = ProposalFacts | RegistrationFacts;
type Stored<T extends Facts> = T & { owes?: Owed };

/** Where a batch stands: the test of a crash between two writes stops it at one of these. */
export type IngestStep = 'facts-written' | 'sheets-folded';

export interface ReadModelsOptions extends FactsOptions {
  /** Called after each step of a batch; a test throws here to play a process dying between two writes. */
  readonly afterStep?: (step: IngestStep) => void;
}

/** One document's share of a batch: its events, in the order they came. */
interface Target<T extends Facts> extends FactsOf {
  readonly collection: mongo.Collection<Stored<T>>;
  readonly events: { readonly index: number; readonly event: PublishedEvent }[];
}

/** Adds `value` to the list `map` holds at `key`. */
function pushAt<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const BATCH_WRITES = 2000;

/**
 * Analytics' own MongoDB database: one document of facts per proposal and per registration of
 * each instance (`proposals`, `registrations`: what the export reads), the national figures kept
 * summed in `sheets` (cube.ts), and the instances that have sent something (`sources`).
 *
 * Events are applied in batches (`ingestBatch`): one read of the batch's documents, one bulk write
 * of those that changed (each replaced only if nobody changed it meanwhile, `rev`, and carrying
 * what it owes the sheets), one bulk write folding the changes into the sheets. Idempotent by
 * eventId (a document remembers the events it has applied; delivery is at least once), the same
 * in any order (facts.ts), safe with several consumers, no transaction needed (FerretDB): a change
 * owed but not folded, because the process died between the two writes, is folded by the next
 * batch that reads the document (the redelivered event's, at the latest).
 */
export class AnalyticsReadModels {
  readonly proposals: mongo.Collection<Stored<ProposalFacts>>;
  readonly registrations: mongo.Collection<Stored<RegistrationFacts>>;
  readonly sheets: mongo.Collection<Sheet>;
  readonly sources: mongo.Collection<{ _id: string; lastRecordedAt: string }>;
  /** Owed changes this process knows are folded (so reading them again costs nothing). */
  private folded = new Set<string>();

  constructor(readonly db: mongo.Db, private readonly options: ReadModelsOptions = {}) {
    this.proposals = db.collection('proposals');
    this.registrations = db.collection('registrations');
    this.sheets = db.collection('sheets');
    this.sources = db.collection('sources');
  }

  async ensureIndexes(): Promise<void> {
    await this.proposals.createIndex({ instance: 1, field: 1, status: 1 });
    await this.registrations.createIndex({ instance: 1, year: 1, unitId: 1 });
  }

  async ingest(event: PublishedEvent): Promise<Outcome> {
    return (await this.ingestBatch([event]))[0];
  }

  /** Applies a batch of events; resolves once every change is written and folded into the sheets. */
  async ingestBatch(events: readonly PublishedEvent[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = events.map(() => 'ignored');
    const targets = new Map<string, Target<Facts>>();
    events.forEach((event, index) => {
      const target = this.targetOf(event, targets);
      target?.events.push({ index, event });
    });
    const applyAll = async () => {
      let pending = [...targets.values()];
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 20) throw new Error(`${pending[0].id}: twenty writers in a row changed it first; the batch goes back to the bus`);
        pending = await this.write(pending, outcomes, randomUUID());
      }
    };
    await Promise.all([this.noteSources(events.filter((e) => isProposalEvent(e) || isRegistrationEvent(e))), applyAll()]);
    return outcomes;
  }

  /**
   * The latest event of each instance, for every event of the batch, applied or not: a maximum,
   * so writing it again changes nothing, and a redelivered event writes it again.
   */
  private async noteSources(events: readonly PublishedEvent[]): Promise<void> {
    const latest = new Map<string, string>();
    for (const { instance, recordedAt } of events) if (!(recordedAt <= (latest.get(instance) ?? ''))) latest.set(instance, recordedAt);
    if (latest.size === 0) return;
    const writes = (upsert: boolean) => [...latest].map(([_id, at]) => ({ updateOne: { filter: { _id }, update: { $max: { lastRecordedAt: at } }, upsert } }));
    await this.sources.bulkWrite(writes(true), { ordered: false }).catch((error) => this.retryOnDuplicate(error, () => this.sources.bulkWrite(writes(false), { ordered: false })));
  }

  private targetOf(event: PublishedEvent, targets: Map<string, Target<Facts>>) {
    const facts = factsOf(event, this.options);
    if (!facts) return undefined;
    let target = targets.get(facts.id);
    if (!target) targets.set(facts.id, (target = { ...facts, collection: this[facts.kind] as mongo.Collection<Stored<Facts>>, events: [] }));
    return target;
  }

  /** One attempt: read, fold what earlier writes left owed, write the changed documents, fold their changes. Returns the targets someone else changed first. */
  private async write(targets: Target<Facts>[], outcomes: Outcome[], by: string): Promise<Target<Facts>[]> {
    const current = await this.read(targets);
    // Changes a writer left owed (it died, or it is another replica still at work): folded first, in rev order per document.
    await this.fold([...current].flatMap(([id, doc]) => (doc.owes && !this.folded.has(`${id}#${doc.owes.by}`) ? [{ id, owed: doc.owes }] : [])));

    const writes = new Map<string, { target: Target<Facts>; write: Record<string, unknown>; owed: Owed }>();
    for (const target of targets) {
      const before = current.get(target.id);
      let facts: Facts = before ? { ...before } : target.empty();
      delete (facts as Stored<Facts>).owes;
      const seen = new Set(facts.seen);
      for (const { index, event } of target.events) {
        if (seen.has(event.eventId)) {
          outcomes[index] = 'duplicate';
          continue;
        }
        seen.add(event.eventId);
        facts = target.apply(facts, event);
        outcomes[index] = 'applied';
      }
      if (facts.seen.length === (before?.seen.length ?? 0)) continue;
      const rev = (before?.rev ?? 0) + 1;
      const owed: Owed = { by, rev, changes: sheetChanges(before, facts) };
      const doc = { ...facts, rev, owes: owed };
      writes.set(target.id, {
        target, owed,
        write: before
          ? { replaceOne: { filter: { _id: target.id, rev: before.rev }, replacement: (({ _id, ...rest }) => rest)(doc) } }
          : { insertOne: { document: doc } },
      });
    }
    if (writes.size === 0) return [];

    const groups = new Map<mongo.Collection<Stored<Facts>>, Record<string, unknown>[]>();
    for (const { target, write } of writes.values()) pushAt(groups, target.collection, write);
    let complete = true;
    for (const [collection, models] of groups) {
      for (let at = 0; at < models.length; at += BATCH_WRITES) {
        const part = models.slice(at, at + BATCH_WRITES);
        try {
          const result = await collection.bulkWrite(part as mongo.AnyBulkWriteOperation<Stored<Facts>>[], { ordered: false });
          if (result.insertedCount + result.matchedCount !== part.length) complete = false;
        } catch (error) {
          if (!isOnlyDuplicates(error)) throw error;
          complete = false;
        }
      }
    }
    // Which writes lost to another writer: their documents do not carry this attempt's stamp.
    const lost = new Set<string>();
    if (!complete) {
      const after = await this.read([...writes.values()].map((w) => w.target));
      for (const id of writes.keys()) if (after.get(id)?.owes?.by !== by) lost.add(id);
    }
    for (const id of lost) {
      for (const { index } of writes.get(id)!.target.events) outcomes[index] = 'ignored';
      writes.delete(id);
    }
    this.options.afterStep?.('facts-written');

    await this.fold([...writes].map(([id, { owed }]) => ({ id, owed })));
    this.options.afterStep?.('sheets-folded');
    return targets.filter((t) => lost.has(t.id));
  }

  private async read(targets: readonly Target<Facts>[]): Promise<Map<string, Stored<Facts>>> {
    const byCollection = new Map<mongo.Collection<Stored<Facts>>, string[]>();
    for (const t of targets) pushAt(byCollection, t.collection, t.id);
    const found = new Map<string, Stored<Facts>>();
    await Promise.all([...byCollection].map(async ([collection, ids]) => {
      for (const doc of await collection.find({ _id: { $in: ids } } as mongo.Filter<Stored<Facts>>).toArray()) found.set(doc._id, doc as Stored<Facts>);
    }));
    return found;
  }

  /** Folds owed changes into the sheets (each write idempotent: cube.ts). */
  private async fold(owed: readonly { id: string; owed: Owed }[]): Promise<void> {
    if (owed.length === 0) return;
    const writes = owed.flatMap(({ id, owed: o }) => foldWrites(id, o).map((write, i) => ({ write, again: () => foldWrites(id, o, false)[i] })));
    for (let at = 0; at < writes.length; at += BATCH_WRITES) {
      const part = writes.slice(at, at + BATCH_WRITES);
      try {
        await this.sheets.bulkWrite(part.map((w) => w.write) as mongo.AnyBulkWriteOperation<Sheet>[], { ordered: false });
      } catch (error) {
        if (!isOnlyDuplicates(error) || writeErrorsOf(error).length === 0) throw error;
        // A sheet that exists refused its upsert (it has the rev, or another writer made it meanwhile): the same writes on it without upsert.
        const failed = writeErrorsOf(error).map((w) => part[w.index ?? -1]).filter(Boolean);
        await this.sheets.bulkWrite(failed.map((w) => w.again()) as mongo.AnyBulkWriteOperation<Sheet>[], { ordered: false });
      }
    }
    if (this.folded.size > 200_000) this.folded = new Set();
    for (const { id, owed: o } of owed) this.folded.add(`${id}#${o.by}`);
  }

  private async retryOnDuplicate<T>(error: unknown, again: () => Promise<T>): Promise<T> {
    if (!isOnlyDuplicates(error)) throw error;
    return again();
  }

  /** Forgets everything (a replay from offset 0 rebuilds it). */
  async drop(): Promise<void> {
    this.folded = new Set();
    await Promise.all([this.proposals, this.registrations, this.sheets, this.sources].map((c) => (c as unknown as mongo.Collection).deleteMany({})));
  }
}

function writeErrorsOf(error: unknown): { code?: number; index?: number }[] {
  const e = error as { writeErrors?: { code?: number; index?: number }[] | { code?: number; index?: number } };
  return Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
}

function isOnlyDuplicates(error: unknown): boolean {
  if ((error as { code?: number })?.code === 11000 && writeErrorsOf(error).length === 0) return true;
  const writeErrors = writeErrorsOf(error);
  return writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000);
}
