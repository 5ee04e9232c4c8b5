import { mongo } from 'mongoose';
import type { PublishedEvent } from '../contract/published-events.generated';
import {
  type FactsOptions, type ProposalFacts, type RegistrationFacts,
  applyProposalEvent, applyRegistrationEvent, emptyProposal, emptyRegistration, factsId, isProposalEvent, isRegistrationEvent,
} from './facts';

export type Outcome = 'applied' | 'duplicate' | 'ignored';

interface Versioned { _id: string; seen: string[]; rev: number }

/**
 * Analytics' own MongoDB database: one document of facts per proposal and per registration of
 * each instance, and a count of what each instance has sent. An event is applied by reading the
 * document, applying it in memory and writing it back if nobody changed it meanwhile (`rev`):
 * idempotent by eventId (the document remembers the events it has seen), safe with several
 * consumers, no transaction needed (FerretDB).
 */
export class AnalyticsReadModels {
  readonly proposals: mongo.Collection<ProposalFacts>;
  readonly registrations: mongo.Collection<RegistrationFacts>;
  readonly sources: mongo.Collection<{ _id: string; events: number; lastRecordedAt: string }>;

  constructor(readonly db: mongo.Db, private readonly options: FactsOptions = {}) {
    this.proposals = db.collection('proposals');
    this.registrations = db.collection('registrations');
    this.sources = db.collection('sources');
  }

  async ensureIndexes(): Promise<void> {
    await this.proposals.createIndex({ instance: 1, field: 1, status: 1 });
    await this.registrations.createIndex({ instance: 1, year: 1, unitId: 1 });
  }

  async ingest(event: PublishedEvent): Promise<Outcome> {
    let outcome: Outcome = 'ignored';
    if (isProposalEvent(event)) {
      outcome = await this.upsert(this.proposals, factsId(event.instance, event.data.proposalId), event.eventId,
        () => emptyProposal(event.instance, event.data.proposalId), (facts) => applyProposalEvent(facts, event, this.options));
    } else if (isRegistrationEvent(event)) {
      const { unitId, year, initiativeId } = event.data;
      outcome = await this.upsert(this.registrations, factsId(event.instance, initiativeId), event.eventId,
        () => emptyRegistration(event.instance, initiativeId, unitId, year), (facts) => applyRegistrationEvent(facts, event));
    }
    if (outcome === 'applied') {
      await this.sources.updateOne({ _id: event.instance }, { $inc: { events: 1 }, $max: { lastRecordedAt: event.recordedAt } }, { upsert: true });
    }
    return outcome;
  }

  private async upsert<T extends Versioned>(collection: mongo.Collection<T>, id: string, eventId: string, empty: () => T, apply: (facts: T) => T): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      if (attempt > 20) throw new Error(`${id}: twenty writers in a row changed it first; ${eventId} goes back to the bus`);
      const current = (await collection.findOne({ _id: id } as mongo.Filter<T>)) as T | null;
      if (current?.seen.includes(eventId)) return 'duplicate';
      const next = apply(current ?? empty());
      try {
        if (!current) {
          await collection.insertOne(next as mongo.OptionalUnlessRequiredId<T>);
          return 'applied';
        }
        const { _id, ...fields } = next;
        const written = await collection.replaceOne({ _id: id, rev: current.rev } as mongo.Filter<T>, fields as mongo.WithoutId<T>);
        if (written.matchedCount === 1) return 'applied';
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
      // Another consumer wrote it first: read again and decide again.
    }
  }

  /** Forgets everything (a replay from offset 0 rebuilds it). */
  async drop(): Promise<void> {
    await Promise.all([this.proposals, this.registrations, this.sources].map((c) => c.deleteMany({})));
  }
}
