import Ajv, { type ValidateFunction } from 'ajv';
import type { Classification, PendingEvent, RecordedEvent } from './envelope';
import { EventTooLarge, InvalidEventPayload, UnknownEventType, UnknownEventVersion } from './errors';

/** A JSON Schema for an event payload; published to other agencies as the contract. */
export type JsonSchema = Record<string, unknown>;

export interface EventDefinition {
  readonly type: string;
  /** Current schema version; stored events of older versions are upcast on read. */
  readonly version: number;
  /** Bounded context, i.e. the topic family the event is published on. */
  readonly context: string;
  readonly classification: Classification;
  readonly schema: JsonSchema;
  /** upcasters[v] turns the payload of version v into version v + 1. */
  readonly upcasters?: Readonly<Record<number, (data: any) => unknown>>;
  /** Former names of this event, still resolvable when read. */
  readonly aliases?: readonly string[];
  /**
   * Top-level payload fields holding personal data (names, contacts, free-text assessments of a
   * person): they never leave the instance in clear text (DOMAIN.md §5).
   */
  readonly restricted?: readonly string[];
}

export function defineEvent<const D extends EventDefinition>(definition: D): D {
  return definition;
}

export interface RegistryLimits {
  /** Largest serialized payload of one event, in bytes. */
  readonly maxEventBytes: number;
  /** Largest serialized append (all events of one call), in bytes. */
  readonly maxAppendBytes: number;
}

export const DEFAULT_LIMITS: RegistryLimits = { maxEventBytes: 64 * 1024, maxAppendBytes: 1024 * 1024 };

interface Entry {
  readonly definition: EventDefinition;
  readonly validate: ValidateFunction;
}

/**
 * Knows every event type a service writes or reads: validates payloads before they are written
 * and upcasts old versions when they are read.
 */
export class EventRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly ajv = new Ajv({ allErrors: true, strict: true });

  constructor(definitions: readonly EventDefinition[] = [], readonly limits: RegistryLimits = DEFAULT_LIMITS) {
    definitions.forEach((d) => this.register(d));
  }

  register(definition: EventDefinition): this {
    const names = [definition.type, ...(definition.aliases ?? [])];
    for (const name of names) {
      const existing = this.entries.get(name);
      if (existing && existing.definition !== definition) {
        throw new Error(`event type '${name}' is registered twice`);
      }
    }
    const entry = { definition, validate: this.ajv.compile(definition.schema) };
    names.forEach((name) => this.entries.set(name, entry));
    return this;
  }

  has(type: string): boolean {
    return this.entries.has(type);
  }

  definition(type: string): EventDefinition {
    const entry = this.entries.get(type);
    if (!entry) throw new UnknownEventType(type);
    return entry.definition;
  }

  definitions(): EventDefinition[] {
    return [...new Set([...this.entries.values()].map((e) => e.definition))];
  }

  /** Refuses unknown types, payloads off their schema and oversized payloads; returns serialized sizes. */
  validateAppend(events: readonly PendingEvent[]): void {
    let total = 0;
    for (const event of events) {
      const entry = this.entries.get(event.type);
      if (!entry || entry.definition.type !== event.type) throw new UnknownEventType(event.type);
      const size = Buffer.byteLength(JSON.stringify(event.data ?? null));
      if (size > this.limits.maxEventBytes) {
        throw new EventTooLarge(`payload of '${event.type}'`, size, this.limits.maxEventBytes);
      }
      total += size;
      if (!entry.validate(event.data)) {
        const problems = (entry.validate.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
        );
        throw new InvalidEventPayload(event.type, problems);
      }
    }
    if (total > this.limits.maxAppendBytes) throw new EventTooLarge('append', total, this.limits.maxAppendBytes);
  }

  /**
   * The event without its restricted payload fields (personal data), listing what was removed.
   * Its hash no longer recomputes: the stored event stays the record; this is a view of it.
   */
  redact<E extends RecordedEvent>(event: E): E & { readonly redacted?: readonly string[] } {
    const restricted = this.definition(event.type).restricted ?? [];
    const data = event.data as Record<string, unknown> | null;
    const present = restricted.filter((field) => data && typeof data === 'object' && field in data);
    if (present.length === 0) return event;
    const kept = Object.fromEntries(Object.entries(data!).filter(([field]) => !present.includes(field)));
    return { ...event, data: kept, redacted: present };
  }

  /** What may leave the instance: public events only, restricted fields removed (DOMAIN.md §5). */
  publicView<E extends RecordedEvent>(event: E): (E & { readonly redacted?: readonly string[] }) | null {
    return this.definition(event.type).classification === 'public' ? this.redact(event) : null;
  }

  /** Brings a stored event to the current name and version of its type. */
  upcast<E extends RecordedEvent>(event: E): E {
    const { definition } = this.entries.get(event.type) ?? {};
    if (!definition) throw new UnknownEventType(event.type);
    if (event.version > definition.version) {
      throw new UnknownEventVersion(event.type, event.version, definition.version);
    }
    let data: unknown = event.data;
    for (let v = event.version; v < definition.version; v++) {
      const up = definition.upcasters?.[v];
      if (!up) throw new UnknownEventVersion(event.type, v, definition.version);
      data = up(data);
    }
    if (data === event.data && event.type === definition.type) return event;
    return { ...event, type: definition.type, version: definition.version, data };
  }
}
