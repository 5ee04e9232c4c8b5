import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import { PROPOSAL_FIELDS, type ProposalField } from '../fields';
import { LIMITS, arraySchema, enumSchema, idSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import type { InitiativeKey } from './commands';

export type InitiativeRegistered = DomainEvent<
  'InitiativeRegistered',
  InitiativeKey & {
    readonly title: string;
    readonly field: ProposalField;
    readonly summary: string;
    readonly assignmentId?: string;
    readonly proposalIds: readonly string[];
    readonly registeredBy: string;
    readonly registeredAt: string;
  }
>;

/** The city committee's decision on the research direction (HCM3815-1). */
interface DirectionDecided extends InitiativeKey {
  readonly decidedBy: string;
  readonly decidedAt: string;
}

export type RegistrationApproved = DomainEvent<'RegistrationApproved', DirectionDecided & { readonly reasons?: string }>;
export type RegistrationRejected = DomainEvent<'RegistrationRejected', DirectionDecided & { readonly reasons: string }>;

export type RegistrationEvent = InitiativeRegistered | RegistrationApproved | RegistrationRejected;

const key = {
  unitId: idSchema,
  year: { type: 'integer', minimum: 2000, maximum: 2100 },
  initiativeId: idSchema,
};

export const InitiativeRegisteredDefinition = defineEvent({
  type: 'InitiativeRegistered',
  // 2: assignmentId, proposalIds (HN67-assign).
  version: 2,
  context: PROPOSALS_CONTEXT,
  classification: 'public',
  restricted: [],
  schema: objectSchema(
    {
      ...key,
      title: textSchema(LIMITS.shortText, 1),
      field: enumSchema(PROPOSAL_FIELDS),
      summary: textSchema(LIMITS.longText, 1),
      assignmentId: idSchema,
      proposalIds: { ...arraySchema(idSchema, LIMITS.proposalsPerInitiative), uniqueItems: true },
      registeredBy: idSchema,
      registeredAt: timestampSchema,
    },
    ['assignmentId'],
  ),
  // Version 1 named neither an assignment nor proposals.
  upcasters: { 1: (data: Record<string, unknown>) => ({ ...data, proposalIds: [] }) },
});

function decisionDefinition<T extends string>(type: T, reasonsRequired: boolean) {
  return defineEvent({
    type,
    version: 1,
    context: PROPOSALS_CONTEXT,
    classification: 'public',
    restricted: [],
    schema: objectSchema(
      { ...key, decidedBy: idSchema, reasons: textSchema(LIMITS.longText, reasonsRequired ? 1 : 0), decidedAt: timestampSchema },
      reasonsRequired ? [] : ['reasons'],
    ),
  });
}

export const RegistrationApprovedDefinition = decisionDefinition('RegistrationApproved', false);
export const RegistrationRejectedDefinition = decisionDefinition('RegistrationRejected', true);

export const registrationEventDefinitions = [
  InitiativeRegisteredDefinition,
  RegistrationApprovedDefinition,
  RegistrationRejectedDefinition,
] as const;
