import type { PublishedEvent } from '../contract/published-events.generated';
import { isProposalEvent, isRegistrationEvent } from './facts';
import type { AnalyticsReadModels, Outcome } from './read-models';

interface Waiting {
  readonly event: PublishedEvent;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

/**
 * Micro-batches the events the Kafka transport hands over one by one (one partition each, many
 * partitions at once): every event delivered while a batch is being written waits for the next,
 * and each handler's promise settles only once its own batch is written and folded (a flush
 * barrier), so the transport commits an offset only for events durably applied. A failed batch
 * fails each of its handlers: their offsets stay, Kafka delivers them again.
 */
export class IngestBatcher {
  private waiting: Waiting[] = [];
  private running = false;

  constructor(private readonly models: AnalyticsReadModels, private readonly maxBatch = 5_000) {}

  submit(event: PublishedEvent): Promise<Outcome> {
    // What the figures do not read (votes, assignments, audit checkpoints…) writes nothing: it waits for no batch.
    if (!isProposalEvent(event) && !isRegistrationEvent(event)) return Promise.resolve('ignored');
    return new Promise<Outcome>((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // One turn of the event loop gathers the events of the partitions delivering at the same time.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          const outcomes = await this.models.ingestBatch(batch.map((w) => w.event));
          batch.forEach((w, i) => w.resolve(outcomes[i]));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
