import type { EventDefinition, RecordedEvent } from '@dotpha/kernel';
import type { Role } from '@dotpha/org';
import type { Caller } from './actor';

/**
 * The rule of disclosure (issue 12), one for every service, every view and every history.
 *
 * Who may READ a record at all is each service's query predicate (the same for its queries and for
 * the audit trail, ServiceSpec.readAccess); what is unknown or out of reach answers 404 alike.
 *
 * What a reader sees IN CLEAR of the restricted text (the `restricted` payload fields of an event's
 * contract, and the whole payload of an event classified `restricted` that lists none):
 * - the people the record is about (the proposer and co-proposers, the implementers and the
 *   approving head a plan protects, the cadre of a record, the subjects of a case);
 * - the people who decide that case and need its text to decide: those the record names as its
 *   deciders (the reviewing head, the reviewers and the collective voting in the current round, the
 *   supervisor a plan names, the collective voting on an assessment);
 * - the roles that hold a full-record right over the kind of record (per service: `evaluator` for
 *   evaluations, the leaders reviewing a proposal) and, across the instance, `inspector` and
 *   `organization-office` (FULL_RECORD_ROLES: they inspect and keep cadre records).
 * Everyone else who may read the record (a colleague within the jurisdiction, a leader above who
 * takes no part, an analyst, the operator) reads it redacted: each restricted field is left out
 * and named in `redacted`; a restricted event with no field list is left out whole (`data: {}`).
 * A redacted event's hash no longer recomputes: the stored event stays the record, this is a view.
 * Views follow the same rule: the view fields that come from restricted event fields are left out.
 * One exception, by name (Withholding): a person a case is about reads it without who reported
 * them (D73-6b, retaliation is prohibited).
 */
export type Disclosure = 'full' | 'redacted' | Withholding;

/**
 * In clear but for the named payload fields, which are left out and named in `redacted`: what a
 * person concerned reads when a field must be kept from them too (D73-6b: whoever reported them).
 */
export interface Withholding {
  readonly withhold: readonly string[];
}

/** What a caller may read of a stream: all of it, its redacted view, or nothing (404 as unknown). */
export type ReadAccess = Disclosure | 'none';

/** Roles that read the restricted text of every record they may read: they inspect and keep records. */
export const FULL_RECORD_ROLES: readonly Role[] = ['inspector', 'organization-office'];

/** Who a record is about and who decides it, as the owning service knows them. */
export interface Concerned {
  /** The people the record is about. */
  readonly people: readonly (string | null | undefined)[];
  /** The people the record names as deciding it (they need the text to decide). */
  readonly deciders?: readonly (string | null | undefined)[];
  /** Roles that hold a full-record right over this kind of record, besides FULL_RECORD_ROLES. */
  readonly deciderRoles?: readonly Role[];
}

/** Whether the caller reads a record's restricted text in clear (see the rule above). */
export function disclosureTo(caller: Caller, concerned: Concerned): Disclosure {
  const id = caller.user.id;
  if (concerned.people.includes(id) || (concerned.deciders ?? []).includes(id)) return 'full';
  if (FULL_RECORD_ROLES.includes(caller.role) || (concerned.deciderRoles ?? []).includes(caller.role)) return 'full';
  return 'redacted';
}

/** What the disclosure needs of the contracts: each event type's classification and restricted fields. */
export interface RestrictedFieldsOf {
  definition(type: string): Pick<EventDefinition, 'classification' | 'restricted'>;
}

export type RedactedEvent = RecordedEvent & { readonly redacted?: readonly string[] };

/**
 * The event as a reader without the right to its restricted text sees it: its restricted fields
 * left out and named in `redacted`; an event classified `restricted` that lists no field, left out
 * whole. Unchanged when it holds nothing restricted.
 */
export function redactEvent<E extends RecordedEvent>(contract: RestrictedFieldsOf, event: E): E & { readonly redacted?: readonly string[] } {
  const definition = contract.definition(event.type);
  const data = (event.data ?? {}) as Record<string, unknown>;
  const listed = definition.restricted ?? [];
  const fields = listed.length === 0 && definition.classification === 'restricted' ? Object.keys(data) : listed.filter((field) => field in data);
  if (fields.length === 0) return event;
  return { ...event, data: omitKeys(data, fields), redacted: fields };
}

/** A history as the caller may read it. */
export function disclose<E extends RecordedEvent>(contract: RestrictedFieldsOf, events: readonly E[], disclosure: Disclosure): (E & { readonly redacted?: readonly string[] })[] {
  if (disclosure === 'full') return [...events];
  if (disclosure === 'redacted') return events.map((event) => redactEvent(contract, event));
  return events.map((event) => withheld(event, disclosure.withhold));
}

function withheld<E extends RecordedEvent>(event: E, fields: readonly string[]): E & { readonly redacted?: readonly string[] } {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const present = fields.filter((field) => field in data);
  return present.length === 0 ? event : { ...event, data: omitKeys(data, present), redacted: present };
}

/**
 * A view without the fields that come from restricted event fields. Each path names a field by
 * its keys from the view's root, `[]` stepping into every element of an array:
 * `consultation.opinion`, `openFlags[].description`. A missing or null step is skipped.
 */
export function withoutFields<T>(view: T, paths: readonly string[]): T {
  let result: unknown = view;
  for (const path of paths) result = dropPath(result, path.split('.'));
  return result as T;
}

/** A view as the caller may read it. */
export function discloseView<T>(view: T, disclosure: Disclosure, restrictedPaths: readonly string[]): T {
  if (disclosure === 'full') return view;
  return withoutFields(view, disclosure === 'redacted' ? restrictedPaths : disclosure.withhold);
}

function dropPath(value: unknown, steps: readonly string[]): unknown {
  if (value === null || value === undefined || steps.length === 0) return value;
  const [step, ...rest] = steps;
  const each = step.endsWith('[]');
  const key = each ? step.slice(0, -2) : step;
  if (typeof value !== 'object' || Array.isArray(value) || !(key in value)) return value;
  const record = value as Record<string, unknown>;
  if (rest.length === 0 && !each) return omitKeys(record, [key]);
  const inner = record[key];
  const next = each ? (Array.isArray(inner) ? inner.map((element) => (rest.length === 0 ? element : dropPath(element, rest))) : inner) : dropPath(inner, rest);
  return { ...record, [key]: next };
}

function omitKeys(data: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !keys.includes(key)));
}

/**
 * What a service's readAccess dispatches on: the type of a stored stream (from its first event)
 * and the key after its `<type>-` prefix; null for a stream the store does not hold.
 */
export async function storedStream(
  store: { readStream(streamId: string, fromPosition?: number): Promise<readonly RecordedEvent[]> },
  streamId: string,
): Promise<{ readonly type: string; readonly key: string; readonly first: RecordedEvent } | null> {
  const [first] = await store.readStream(streamId, 1);
  if (!first || !streamId.startsWith(`${first.streamType}-`)) return null;
  return { type: first.streamType, key: streamId.slice(first.streamType.length + 1), first };
}
