import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { PublishedEvent } from '../contract/published-events.generated';

/**
 * Synthetic public events for the tests and the bench, made from the published contract
 * (docs/asyncapi.json): each message's JSON Schema gives a value (its constants, the first of its
 * enums, the required fields of its objects, empty arrays), then the walk of a proposal sets what
 * the figures read (ids, dates, decisions, outcomes). The mix follows what an instance publishes:
 * every step of a review, a pilot, an evaluation and a recognition, the registrations of each
 * unit for its year, assignments and audit checkpoints, which analytics reads and ignores.
 */
type Schema = {
  const?: unknown; enum?: unknown[]; type?: string | string[]; format?: string; pattern?: string; minimum?: number; anyOf?: Schema[];
  properties?: Record<string, Schema>; required?: string[]; minProperties?: number; additionalProperties?: boolean | Schema; items?: Schema; minItems?: number;
};

interface Message { readonly context: string; readonly payload: Schema; base?: Record<string, unknown> }

let contract: Map<string, Message> | undefined;

/** The contract's messages by event type (the newest version), with the context of their channel. */
function messages(): Map<string, Message> {
  if (contract) return contract;
  const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'asyncapi.json'), 'utf8'));
  contract = new Map();
  for (const [context, channel] of Object.entries<{ messages?: Record<string, unknown> }>(doc.channels)) {
    for (const key of Object.keys(channel.messages ?? {})) {
      const [type] = key.split('.');
      contract.set(type, { context, payload: doc.components.messages[key].payload });
    }
  }
  return contract;
}

/** A string the pattern takes: a date, an instant, a hash; else the field's name. */
function textFor(schema: Schema, name: string): string {
  const pattern = schema.pattern ?? '';
  if (schema.format === 'date-time' || pattern.includes('T\\d')) return '2025-01-01T00:00:00.000Z';
  if (pattern.startsWith('^\\d{4}-\\d{2}-\\d{2}')) return '2025-01-01';
  if (pattern.startsWith('^\\d{4}(')) return '2025';
  const hex = /\[0-9a-f\]\{(\d+)\}/.exec(pattern);
  if (hex) return '0'.repeat(Number(hex[1]));
  const word = /\[A-Za-z0-9_-\]\{(\d+)\}/.exec(pattern);
  return word ? 'k'.repeat(Number(word[1])) : name;
}

function valueOf(schema: Schema, name: string): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return valueOf(schema.anyOf[0], name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const keys = [...(schema.required ?? [])];
      for (const key of Object.keys(schema.properties ?? {})) if (keys.length < (schema.minProperties ?? 0) && !keys.includes(key)) keys.push(key);
      const value = Object.fromEntries(keys.map((key) => [key, valueOf(schema.properties?.[key] ?? {}, key)]));
      if (keys.length < (schema.minProperties ?? 0) && typeof schema.additionalProperties === 'object') value[name] = valueOf(schema.additionalProperties, name);
      return value;
    }
    case 'array': return Array.from({ length: schema.minItems ?? 0 }, () => valueOf(schema.items ?? {}, name));
    case 'integer': case 'number': return schema.minimum ?? 1;
    case 'boolean': return false;
    case 'null': return null;
    default: return textFor(schema, name);
  }
}

/** The contract's message of a public event type; a type the contract does not publish is an error. */
function messageOf(type: string): Message {
  const message = messages().get(type);
  if (!message) throw new Error(`${type} is no public event of the contract`);
  return message;
}

/** The public topic context of an event type (its channel in the contract). */
export const contextOf = (type: string): string => messageOf(type).context;

/** The JSON Schema the contract gives an event type's payload (to check the samples against). */
export const payloadSchema = (type: string): object | undefined => messages().get(type)?.payload;

/** The fields of `data` the event's schema declares (a walk sets the same fields on every event it makes). */
function onlyDeclared(message: Message, data: Record<string, unknown>): Record<string, unknown> {
  const declared = message.payload.properties?.data?.properties ?? {};
  return Object.fromEntries(Object.entries(data).filter(([key]) => key in declared));
}

/** One event of the contract, its schema's value with `data` and the envelope's fields set as given; its id follows from its stream and position (the same events each time). */
export function sampleEvent(type: string, instance: string, streamId: string, position: number, recordedAt: string, data: Record<string, unknown>): PublishedEvent {
  const message = messageOf(type);
  const base = (message.base ??= valueOf(message.payload, 'event') as Record<string, unknown>);
  const hex = createHash('sha1').update(`${instance}/${streamId}/${position}/${type}`).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return {
    ...base, eventId: id, streamId, streamPosition: position, occurredAt: recordedAt, recordedAt, instance,
    correlationId: streamId, data: { ...(base.data as object), ...onlyDeclared(message, data) },
  } as unknown as PublishedEvent;
}

const FIELDS = ['party-building', 'socio-economic', 'security-defence', 'administrative-reform', 'other'];
const OUTCOMES = ['achieved', 'partially-achieved', 'not-achieved'];
const LIABILITY = ['none', 'excluded', 'exempted', 'reduced', 'upheld'];
const DAY = 86_400_000;

/** The public events of proposal `i` of an instance, as the instance publishes them over its life. */
export function proposalWalk(instance: string, i: number): PublishedEvent[] {
  const proposalId = `p-${instance}-${i}`;
  const proposerUnitId = `${instance}-unit-${i % 40}`;
  const start = Date.UTC(2025, 0, 1) + ((i * 7919) % 700) * DAY + (i % 24) * 3_600_000;
  const at = (days: number) => new Date(start + days * DAY).toISOString();
  const events: PublishedEvent[] = [];
  let position = 0;
  const add = (type: string, day: number, data: Record<string, unknown> = {}) =>
    events.push(sampleEvent(type, instance, `proposal-${proposalId}`, ++position, at(day), { proposalId, proposerUnitId, ...data }));
  add('ProposalSubmitted', 0, { field: FIELDS[i % 5], problemType: i % 2 ? 'unregulated' : 'regulated-but-unsuitable', isScheme: i % 7 === 0, revision: 1, submittedAt: at(0) });
  add('ReviewOpened', 0, { openedAt: at(0) });
  add('ProposalReviewOutcomeRecorded', 0, { outcome: 'review-opened', at: at(0) });
  if (i % 20 === 3) {
    add('ProposalWithdrawn', 2, { previousStatus: 'under-review', withdrawnAt: at(2) });
    add('ReviewClosed', 2, { closedAt: at(2) });
    return events;
  }
  if (i % 6 === 1) add('RevisionRequested', 3, { overdue: i % 12 === 1, requestedAt: at(3) });
  if (i % 9 === 2) add('ReviewEscalated', 4, { overdue: i % 18 === 2, escalatedAt: at(4) });
  add('CollectiveVoteTallied', 5, { talliedAt: at(5), result: i % 5 === 4 ? 'rejected' : 'approved' });
  if (i % 5 === 4) {
    add('ProposalRejected', 6, { overdue: i % 3 === 0, rejectedAt: at(6) });
    add('ProposalReviewOutcomeRecorded', 6, { outcome: 'rejected', at: at(6) });
    return events;
  }
  const decision = i % 4 === 0 ? 'implementation' : 'pilot';
  add('ProposalApproved', 1 + (i % 9), { decision, overdue: i % 4 === 0, decidedAt: at(1 + (i % 9)) });
  add('ProposalReviewOutcomeRecorded', 1 + (i % 9), { outcome: `approved-${decision}`, at: at(1 + (i % 9)) });
  add('PilotPlanned', 10, { kind: decision, plannedAt: at(10) });
  if (i % 11 === 5) return events;
  add('PilotStarted', 11, { startedAt: at(11) });
  if (i % 3 === 0) return events;
  add(i % 13 === 7 ? 'PilotTerminated' : 'PilotCompleted', 200, { kind: decision, endedAt: at(200) });
  add('EvaluationOpened', 200, { openedAt: at(200) });
  add('EvaluationVoteTallied', 205, { talliedAt: at(205) });
  const outcome = OUTCOMES[i % 3];
  add('OutcomeAssessed', 206, { outcome, round: 1, late: i % 6 === 1, assessedAt: at(206) });
  add('EvaluationClosed', 210, { outcome, liability: LIABILITY[i % 5], closedAt: at(210) });
  add('LiabilityDecided', 210, { liability: LIABILITY[i % 5], outcome, decidedAt: at(210) });
  if (outcome === 'not-achieved' || i % 2) return events;
  add('RecognitionRecommended', 220, { outcome, recommendedAt: at(220) });
  add('RecognitionGranted', 230, { grantedAt: at(230) });
  if (i % 8 === 0) add('ReplicationRecommended', 240, { recommendedAt: at(240) });
  return events;
}

/** A unit's registrations of initiatives for a year: approved, rejected or still open. */
export function registrationWalk(instance: string, unit: number, year: number, count: number, serial = 0): PublishedEvent[] {
  const unitId = `${instance}-unit-${unit}`;
  return Array.from({ length: count }, (_, n) => {
    const initiativeId = `i-${instance}-${unit}-${year}-${serial}-${n}`;
    const at = (day: number) => new Date(Date.UTC(year, 0, 10 + n + day)).toISOString();
    const data = { unitId, year, initiativeId };
    const registered = sampleEvent('InitiativeRegistered', instance, `registration-${initiativeId}`, 1, at(0), { ...data, field: FIELDS[(unit + n) % 5], registeredAt: at(0) });
    const state = (unit + n + year) % 4;
    if (state === 3) return [registered];
    const decided = sampleEvent(state === 2 ? 'RegistrationRejected' : 'RegistrationApproved', instance, `registration-${initiativeId}`, 2, at(5), { ...data, decidedAt: at(5) });
    return [registered, decided];
  }).flat();
}

/**
 * About `total` events of three instances, a proposal (or a unit's registrations, or an
 * assignment, or an audit checkpoint, which analytics ignores) at a time, in the order the
 * instances would publish them one after another.
 */
export function* sampleEvents(instances: readonly string[], total: number): Generator<PublishedEvent> {
  let count = 0;
  for (let i = 0; count < total; i++) {
    const instance = instances[i % instances.length];
    const n = Math.floor(i / instances.length);
    const events = proposalWalk(instance, n);
    if (n % 10 === 0) events.push(...registrationWalk(instance, (n / 10) % 40, 2025 + (Math.floor(n / 400) % 2), 1 + (n % 3), n));
    if (n % 25 === 0) events.push(sampleEvent('TaskAssigned', instance, `assignment-${instance}-${n}`, 1, new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(), { assignmentId: `a-${instance}-${n}` }));
    if (n % 100 === 0) events.push(sampleEvent('AuditCheckpointIssued', instance, `audit-${instance}`, n / 100 + 1, new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(), { instance }));
    for (const event of events) {
      yield event;
      if (++count >= total) return;
    }
  }
}
