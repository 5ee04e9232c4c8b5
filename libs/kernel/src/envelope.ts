/** The published event envelope (DOMAIN.md §5). Field names are part of the public contract. */
export type Classification = 'public' | 'internal' | 'restricted';

export interface Actor {
  readonly userId: string;
  readonly role: string;
}

/** What a decider produces: a fact with its payload, no metadata. */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/** Metadata the application layer attaches to a command (time and ids never come from inside a decider). */
export interface CommandMetadata {
  readonly actor: Actor;
  readonly now: Date;
  readonly correlationId: string;
  readonly causationId?: string | null;
}

/** An event ready to be appended: payload plus who/when/why. */
export interface PendingEvent extends DomainEvent {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
}

/** An event as stored: immutable, positioned, hash-chained. */
export interface RecordedEvent<T extends string = string, D = unknown> extends DomainEvent<T, D> {
  readonly eventId: string;
  readonly version: number;
  readonly streamId: string;
  readonly streamType: string;
  readonly streamPosition: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly instance: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly classification: Classification;
  readonly prevHash: string;
  readonly hash: string;
  /** Position in the store's global order; assigned when sequenced, not part of the hash. */
  readonly globalPosition?: number;
}

/** A domain event as stored: a union of domain events gives the union of their recorded forms. */
export type Recorded<E extends DomainEvent> = E extends DomainEvent ? RecordedEvent<E['type'], E['data']> : never;
