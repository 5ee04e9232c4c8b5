import { randomUUID } from 'crypto';
import type { Decider } from './decider';
import { fold } from './decider';
import type { CommandMetadata, DomainEvent, RecordedEvent } from './envelope';
import { PreconditionFailed, WrongExpectedVersion } from './errors';
import type { EventStore } from './event-store';

export interface CommandResult {
  readonly streamId: string;
  /** The stream's version after the command. */
  readonly position: number;
  readonly events: readonly RecordedEvent[];
}

/**
 * Runs a decider against a stream: read, fold, decide, append with the version it decided on.
 * On a concurrent write it decides again on the fresh state (a few times) instead of failing,
 * unless the caller names the version it decided on (`ifVersion`, an HTTP If-Match): then a stream
 * at any other version, now or at the append, is PreconditionFailed and nothing is written.
 */
export class CommandHandler {
  constructor(
    private readonly store: EventStore,
    private readonly newId: () => string = randomUUID,
    private readonly retries = 3,
  ) {}

  async execute<S, C extends { readonly metadata: CommandMetadata }, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    stream: { readonly streamType: string; readonly streamId: string },
    command: C,
    afterAppend?: (result: CommandResult) => void,
    ifVersion?: number,
  ): Promise<CommandResult> {
    for (let attempt = 0; ; attempt++) {
      const history = await this.store.readStream(stream.streamId);
      const expectedVersion = history.length ? history[history.length - 1].streamPosition : 0;
      if (ifVersion !== undefined && ifVersion !== expectedVersion) throw new PreconditionFailed(stream.streamId, ifVersion, expectedVersion);
      const state = fold(decider, history as unknown as E[]);
      const decided = decider.decide(command, state);
      if (decided.length === 0) return { streamId: stream.streamId, position: expectedVersion, events: [] };
      const { metadata } = command;
      try {
        const result = await this.store.append({
          ...stream,
          expectedVersion,
          events: decided.map((event) => ({
            eventId: this.newId(),
            type: event.type,
            data: event.data,
            occurredAt: metadata.now.toISOString(),
            actor: metadata.actor,
            correlationId: metadata.correlationId,
            causationId: metadata.causationId ?? null,
          })),
        });
        afterAppend?.(result);
        return result;
      } catch (error) {
        if (error instanceof WrongExpectedVersion && ifVersion !== undefined) throw new PreconditionFailed(stream.streamId, ifVersion, Number(error.actual) || ifVersion + 1);
        if (!(error instanceof WrongExpectedVersion) || attempt >= this.retries) throw error;
      }
    }
  }
}
