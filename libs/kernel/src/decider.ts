import type { CommandMetadata, DomainEvent } from './envelope';

/**
 * A rule set as pure functions (Emmett's decider): no I/O, time and ids arrive in the command.
 * `decide` throws a DomainError to refuse.
 */
export interface Decider<State, Command, Event extends DomainEvent> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
}

/** Folds events into state. */
export function fold<State, Event extends DomainEvent>(
  decider: Pick<Decider<State, unknown, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/** Commands carry their metadata so deciders stay pure. */
export type Command<T extends string, D> = { readonly type: T; readonly data: D; readonly metadata: CommandMetadata };
