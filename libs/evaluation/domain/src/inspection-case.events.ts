import { type DomainEvent, type Payload, Type, closedObject, defineEvent, stringEnum } from '@dotpha/kernel';
import { PROHIBITED_ACTS } from './inspection-case.commands';
import { abuseGrounds, document, findingSchema, id, instant, statement } from './schema';

// ---- Payloads: the published JSON Schemas, types derived ----

const caseProperties = {
  caseId: id,
  kind: stringEnum(['abuse-referral', 'prohibited-act']),
  /** Absent on a prohibited-act report that names no proposal. */
  proposalId: Type.Optional(id),
  subjectIds: Type.Array(id, { minItems: 1, maxItems: 50, uniqueItems: true }),
  unitId: id,
};
const inspectionCaseOpened = closedObject({
  ...caseProperties,
  grounds: Type.Array(stringEnum([...abuseGrounds, ...PROHIBITED_ACTS]), { minItems: 1, maxItems: 10, uniqueItems: true }),
  description: document,
  reporterId: id,
  openedAt: instant,
});
const inspectionFindingRecorded = closedObject({
  ...caseProperties,
  finding: findingSchema,
  reasons: Type.Array(statement, { minItems: 1, maxItems: 20 }),
  recordedBy: id,
  recordedAt: instant,
});

/** C14-2.4e, D73-6b: a case for the inspection body (`inspector`), on `inspection-case-<caseId>`. */
export type InspectionCaseOpened = DomainEvent<'InspectionCaseOpened', Payload<typeof inspectionCaseOpened>>;
export type InspectionFindingRecorded = DomainEvent<'InspectionFindingRecorded', Payload<typeof inspectionFindingRecorded>>;

export type InspectionCaseEvent = InspectionCaseOpened | InspectionFindingRecorded;

export const InspectionCaseOpenedDefinition = defineEvent({
  type: 'InspectionCaseOpened',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  // Who reported a superior is kept from those the report is about: retaliation is itself prohibited (D73-6b).
  restricted: ['description', 'reporterId'],
  schema: inspectionCaseOpened,
});

export const InspectionFindingRecordedDefinition = defineEvent({
  type: 'InspectionFindingRecorded',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  restricted: ['reasons'],
  schema: inspectionFindingRecorded,
});
