import {
  type AuditCheckpoint,
  type DomainEvent,
  type Payload,
  type PayloadOf,
  Type,
  closedObject,
  defineEvent,
  idOf,
  publishedInstants,
} from '@dotpha/kernel';

/**
 * The audit context (issue 12): not a service of its own, but the events every service's store
 * writes about itself. A signed checkpoint is published on the instance's public audit topic
 * (`<prefix>.<instance>.public.audit`), so that another agency holding it can check a stream's
 * proof of inclusion with the instance's public key alone, without the database.
 */
export const AUDIT_CONTEXT = 'audit';
export const AUDIT_CHECKPOINT_STREAM_TYPE = 'audit-checkpoint';

/** The stream a service's checkpoints are recorded on (left out of the checkpoints themselves). */
export const auditCheckpointStream = (service: string): string => `${AUDIT_CHECKPOINT_STREAM_TYPE}-${service}`;

/** The signed checkpoint as issued (without the heads it covers: those stay in the store). */
export type AuditCheckpointIssued = DomainEvent<'AuditCheckpointIssued', AuditCheckpoint>;

export const AuditCheckpointIssuedDefinition = defineEvent({
  type: 'AuditCheckpointIssued',
  version: 1,
  context: AUDIT_CONTEXT,
  // Counts and hashes only: no personal data, meant for other agencies.
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['instance', 'service', 'sequence', 'streams', 'root', 'issuedAt', 'keyId', 'signature'],
    properties: {
      instance: { type: 'string', minLength: 1, maxLength: 50 },
      service: { type: 'string', minLength: 1, maxLength: 50 },
      sequence: { type: 'integer', minimum: 1 },
      streams: { type: 'integer', minimum: 0 },
      root: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      issuedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' },
      keyId: { type: 'string', pattern: '^[A-Za-z0-9_-]{16}$' },
      signature: { type: 'string', pattern: '^[A-Za-z0-9_-]{86}$' },
    },
  },
});

/** The stream of an operator's actions on a service (reading and re-driving dead letters). */
export const OPERATIONS_STREAM_TYPE = 'operations';
export const operationsStream = (service: string): string => `${OPERATIONS_STREAM_TYPE}-${service}`;

// Published with ids of up to 300 characters and instants with any fraction (kept for these versions).
const id = idOf(300);
const instant = publishedInstants.anyFraction;
const letterFields = { letterId: id, group: id, eventId: id, eventType: id, streamId: id };
export type DeadLetterAction = PayloadOf<typeof letterFields>;

const deadLetterInspected = closedObject({ ...letterFields, inspectedBy: id, inspectedAt: instant });
/** An operator read a dead letter (it may hold personal data: who looked is on record). */
export type DeadLetterInspected = DomainEvent<'DeadLetterInspected', Payload<typeof deadLetterInspected>>;

const deadLetterRedriven = closedObject({
  ...letterFields,
  outcome: Type.Unsafe<'applied' | 'failed'>({ enum: ['applied', 'failed'] }),
  error: Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: 2000 }),
  redrivenBy: id,
  redrivenAt: instant,
});
/** An operator handed a dead letter to its consumer again: applied (and removed) or failed (kept). */
export type DeadLetterRedriven = DomainEvent<'DeadLetterRedriven', Payload<typeof deadLetterRedriven>>;

export const DeadLetterInspectedDefinition = defineEvent({
  type: 'DeadLetterInspected',
  version: 1,
  context: AUDIT_CONTEXT,
  classification: 'internal',
  schema: deadLetterInspected,
});

export const DeadLetterRedrivenDefinition = defineEvent({
  type: 'DeadLetterRedriven',
  version: 1,
  context: AUDIT_CONTEXT,
  classification: 'internal',
  schema: deadLetterRedriven,
});

export const auditEventDefinitions = [AuditCheckpointIssuedDefinition, DeadLetterInspectedDefinition, DeadLetterRedrivenDefinition] as const;
