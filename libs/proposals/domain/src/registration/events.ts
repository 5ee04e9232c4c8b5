import { type EventsOf, defineEvents, definitionsOf, idsOf } from '@dotpha/kernel';
import { PROPOSAL_FIELDS } from '../fields';
import { LIMITS, enumSchema, idSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import { initiativeKeyProperties as key } from './commands';

// ---- Payloads: the published JSON Schemas, types derived from the table below ----

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

type Registration = EventsOf<typeof registrationEvents>;
/** Each event of the table: `RegistrationEvent` is any of them, `RegistrationEvent<'InitiativeRegistered'>` one. */
export type RegistrationEvent<T extends keyof Registration = keyof Registration> = Registration[T];

export const registrationEvents = defineEvents(PROPOSALS_CONTEXT, {
  InitiativeRegistered: {
    // 2: assignmentId, proposalIds (HN67-assign).
    version: 2,
    classification: 'public',
    restricted: [],
    schema: initiativeRegistered,
    // Version 1 named neither an assignment nor proposals.
    upcasters: { 1: (data: Record<string, unknown>) => ({ ...data, proposalIds: [] }) },
  },
  RegistrationApproved: { ...decisionSpec, schema: registrationApproved },
  RegistrationRejected: { ...decisionSpec, schema: registrationRejected },
});
export const registrationEventDefinitions = definitionsOf(registrationEvents);

