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

/**
 * Defines the events of one context: `const monitoringEvent = eventDefiner('monitoring')`, then
 * `monitoringEvent('PilotStarted', { version, classification, schema })`. Each event is declared
 * once: the definition keeps its type name and schema in its type, and `EventOf` derives the event.
 */
export function eventDefiner<const C extends string>(context: C) {
  return <const T extends string, S extends TSchema, const P extends EventSpec<S>>(
    type: T,
    spec: P & { readonly schema: S },
  ): P & { readonly type: T; readonly context: C; readonly schema: S } => ({ type, context, ...spec });
}

/**
 * The domain event a definition describes (a union of definitions gives the union of their
 * events): `type PilotStarted = EventOf<typeof PilotStartedDefinition>`.
 */
export type EventOf<D extends { readonly type: string; readonly schema: TSchema }> = D extends unknown
  ? DomainEvent<D['type'], Payload<D['schema']>>
  : never;
