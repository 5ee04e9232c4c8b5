import { type AuditCheckpoint, type DomainEvent, defineEvent } from '@dotpha/kernel';

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

export const auditEventDefinitions = [AuditCheckpointIssuedDefinition] as const;
