import { type DomainEvent, type Payload, type TSchema, defineEvent, idsOf } from '@dotpha/kernel';
import { PROPOSAL_FIELDS } from '../fields';
import { LIMITS, enumSchema, idSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import { initiativeKeyProperties as key } from './commands';

// ---- Payloads: the published JSON Schemas, types derived ----

const initiativeRegistered = objectSchema(
  {
    ...key,
    title: textSchema(LIMITS.shortText, 1),
    field: enumSchema(PROPOSAL_FIELDS),
    summary: textSchema(LIMITS.longText, 1),
    assignmentId: idSchema,
    proposalIds: idsOf(idSchema, LIMITS.proposalsPerInitiative),
    registeredBy: idSchema,
    registeredAt: timestampSchema,
  },
  ['assignmentId'],
);
/** The city committee's decision on the research direction (HCM3815-1): reasons are owed for a refusal. */
const decision = { ...key, decidedBy: idSchema };
const registrationApproved = objectSchema({ ...decision, reasons: textSchema(LIMITS.longText), decidedAt: timestampSchema }, ['reasons']);
const registrationRejected = objectSchema({ ...decision, reasons: textSchema(LIMITS.longText, 1), decidedAt: timestampSchema });

export type InitiativeRegistered = DomainEvent<'InitiativeRegistered', Payload<typeof initiativeRegistered>>;
export type RegistrationApproved = DomainEvent<'RegistrationApproved', Payload<typeof registrationApproved>>;
export type RegistrationRejected = DomainEvent<'RegistrationRejected', Payload<typeof registrationRejected>>;

export type RegistrationEvent = InitiativeRegistered | RegistrationApproved | RegistrationRejected;

export const InitiativeRegisteredDefinition = defineEvent({
  type: 'InitiativeRegistered',
  // 2: assignmentId, proposalIds (HN67-assign).
  version: 2,
  context: PROPOSALS_CONTEXT,
  classification: 'public',
  restricted: [],
  schema: initiativeRegistered,
  // Version 1 named neither an assignment nor proposals.
  upcasters: { 1: (data: Record<string, unknown>) => ({ ...data, proposalIds: [] }) },
});

function decisionDefinition<T extends string>(type: T, schema: TSchema) {
  return defineEvent({ type, version: 1, context: PROPOSALS_CONTEXT, classification: 'public', restricted: [], schema });
}

export const RegistrationApprovedDefinition = decisionDefinition('RegistrationApproved', registrationApproved);
export const RegistrationRejectedDefinition = decisionDefinition('RegistrationRejected', registrationRejected);

export const registrationEventDefinitions = [
  InitiativeRegisteredDefinition,
  RegistrationApprovedDefinition,
  RegistrationRejectedDefinition,
] as const;
