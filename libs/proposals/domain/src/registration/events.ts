import { type EventOf, eventDefiner, idsOf } from '@dotpha/kernel';
import { PROPOSAL_FIELDS } from '../fields';
import { LIMITS, enumSchema, idSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import { initiativeKeyProperties as key } from './commands';

const proposalsEvent = eventDefiner(PROPOSALS_CONTEXT);

// ---- Payloads: the published JSON Schemas, types derived from the definitions below ----

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
const decisionSpec = { version: 1, classification: 'public', restricted: [] } as const;

export type RegistrationEvent = EventOf<(typeof registrationEventDefinitions)[number]>;

export const InitiativeRegisteredDefinition = proposalsEvent('InitiativeRegistered', {
  // 2: assignmentId, proposalIds (HN67-assign).
  version: 2,
  classification: 'public',
  restricted: [],
  schema: initiativeRegistered,
  // Version 1 named neither an assignment nor proposals.
  upcasters: { 1: (data: Record<string, unknown>) => ({ ...data, proposalIds: [] }) },
});
export type InitiativeRegistered = EventOf<typeof InitiativeRegisteredDefinition>;

export const RegistrationApprovedDefinition = proposalsEvent('RegistrationApproved', { ...decisionSpec, schema: registrationApproved });
export type RegistrationApproved = EventOf<typeof RegistrationApprovedDefinition>;
export const RegistrationRejectedDefinition = proposalsEvent('RegistrationRejected', { ...decisionSpec, schema: registrationRejected });
export type RegistrationRejected = EventOf<typeof RegistrationRejectedDefinition>;

export const registrationEventDefinitions = [
  InitiativeRegisteredDefinition,
  RegistrationApprovedDefinition,
  RegistrationRejectedDefinition,
] as const;
