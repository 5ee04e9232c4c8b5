import type { Classification, DomainEvent } from './envelope';
import type { EventDefinition } from './registry';
import type { Payload, Static, TSchema } from './schema-blocks';

/** One event as its context declares it: the definition's fields but its type name and context. */
export interface EventSpec<S extends TSchema> {
  /** Current schema version; stored events of older versions are upcast on read. */
  readonly version: number;
  readonly classification: Classification;
  readonly schema: S;
  /** upcasters[v] turns the payload of version v into version v + 1. */
  readonly upcasters?: EventDefinition['upcasters'];
  /** Former names of this event, still resolvable when read. */
  readonly aliases?: readonly string[];
  /** Top-level payload fields holding personal data (DOMAIN.md §5): named from the schema, so a typo fails the build. */
  readonly restricted?: readonly (keyof Static<S> & string)[];
}

/** Each entry of a table checked against its own schema (its restricted fields are fields of that schema). */
type CheckedTable<M> = { readonly [T in keyof M]: M[T] extends { readonly schema: infer S extends TSchema } ? EventSpec<S> : never };

/** The definitions of a table: each spec with its name as the event type and the table's context. */
export type EventTable<C extends string, M> = { readonly [T in keyof M & string]: M[T] & { readonly type: T; readonly context: C } };

/**
 * Defines the events of one context as one table, event name -> spec (as Castore and Emmett do):
 * `const monitoringEvents = defineEvents('monitoring', { PilotStarted: { version, classification, schema }, … })`.
 * Each definition keeps its name and schema in its type: `EventsOf` derives every event from the table.
 */
export function defineEvents<const C extends string, const M extends Readonly<Record<string, { readonly schema: TSchema }>>>(
  context: C,
  table: M & CheckedTable<M>,
): EventTable<C, M> {
  const definitions: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(table).map(([type, spec]) => [type, { type, context, ...spec }]));
  return definitions as EventTable<C, M>;
}

/** A table's definitions as a list, in the table's order: what registries and the published contract take. */
export function definitionsOf<D extends Readonly<Record<string, EventDefinition>>>(table: D): readonly D[keyof D][] {
  return Object.values(table) as D[keyof D][];
}

/**
 * The domain event a definition describes (a union of definitions gives the union of their
 * events).
 */
export type EventOf<D extends { readonly type: string; readonly schema: TSchema }> = D extends unknown
  ? DomainEvent<D['type'], Payload<D['schema']>>
  : never;

/**
 * Every event of a table by name, derived from its definitions:
 * `type Pilot = EventsOf<typeof monitoringEvents>`, then `Pilot['PilotStarted']`, and `Pilot[keyof Pilot]` for their union.
 */
export type EventsOf<D extends Readonly<Record<string, { readonly type: string; readonly schema: TSchema }>>> = {
  readonly [T in keyof D]: EventOf<D[T]>;
};
