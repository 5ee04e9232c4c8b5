import { randomUUID } from 'crypto';
import type { Decider } from './decider';
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
 * A command, or what makes it from the state it is decided on (Emmett's `handle(state)`): the
 * caller's checks on that state (who may act on this object; throw to refuse) and data that
 * depends on it. Run on the same read as `decide`, and again on the fresh state when a
 * concurrent write makes the command be decided again.
 */
export type CommandOf<S, C> = C | ((state: S) => C);

/**
 * Folds a stream with the decider that owns it. The one place where the store's events meet a
 * decider's types: a stream holds only what its decider decided (appends go through `execute`),
 * upcast on read to the shapes of today (Emmett's `aggregateStream` reads the same way).
 */
export function foldStream<S, E extends DomainEvent>(decider: Pick<Decider<S, never, E>, 'initialState' | 'evolve'>, history: readonly RecordedEvent[]): S {
  const events = history as readonly DomainEvent[] as readonly E[];
  return events.reduce(decider.evolve, decider.initialState());
}

/**
 * Runs a decider against a stream: read, fold, make the command (checks), decide, append with the
 * version it decided on, in one read. On a concurrent write it does it again on the fresh state
 * (a few times) instead of failing, unless the caller names the version it decided on
 * (`ifVersion`, an HTTP If-Match): then a stream at any other version, now or at the append, is
 * PreconditionFailed and nothing is written.
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
    commandOf: CommandOf<S, C>,
    ifVersion?: number,
  ): Promise<CommandResult> {
    for (let attempt = 0; ; attempt++) {
      const history = await this.store.readStream(stream.streamId);
      const expectedVersion = history.length ? history[history.length - 1].streamPosition : 0;
      const state = foldStream(decider, history);
      const command = typeof commandOf === 'function' ? commandOf(state) : commandOf;
      if (ifVersion !== undefined && ifVersion !== expectedVersion) throw new PreconditionFailed(stream.streamId, ifVersion, expectedVersion);
      const decided = decider.decide(command, state);
      if (decided.length === 0) return { streamId: stream.streamId, position: expectedVersion, events: [] };
      const { metadata } = command;
      try {
        return await this.store.append({
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
      } catch (error) {
        if (error instanceof WrongExpectedVersion && ifVersion !== undefined) throw new PreconditionFailed(stream.streamId, ifVersion, Number(error.actual) || ifVersion + 1);
        if (!(error instanceof WrongExpectedVersion) || attempt >= this.retries) throw error;
      }
    }
  }
}
