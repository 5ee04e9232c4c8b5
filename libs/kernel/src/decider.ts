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

/** One function per command type. A type left out fails the build, as a `never` check ending a switch would. */
export type CommandHandlers<State, C extends { readonly type: string }, Event extends DomainEvent> = {
  readonly [T in C['type']]: (command: Extract<C, { readonly type: T }>, state: State) => readonly Event[];
};

/** A decider whose `decide` hands each command to the function of its type. */
export function deciderOf<State, C extends { readonly type: string }, Event extends DomainEvent>(parts: {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly commands: CommandHandlers<State, C, Event>;
}): Decider<State, C, Event> {
  const { initialState, evolve, commands } = parts;
  return {
    initialState,
    evolve,
    decide: (command, state) => {
      // Each handler takes its own command type; this one is of that type.
      const handle = commands[command.type as C['type']] as ((command: C, state: State) => readonly Event[]) | undefined;
      if (!handle) throw new Error(`unhandled command: ${JSON.stringify(command.type)}`);
      return handle(command, state);
    },
  };
}
