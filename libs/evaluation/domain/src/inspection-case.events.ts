import { type EventOf, Type, closedObject, eventDefiner, stringEnum } from '@dotpha/kernel';
import { PROHIBITED_ACTS } from './inspection-case.commands';
import { abuseGrounds, document, findingSchema, id, instant, statement } from './schema';

const evaluationEvent = eventDefiner('evaluation');

// ---- Payloads: the published JSON Schemas, types derived from the definitions below ----

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

export type InspectionCaseEvent = EventOf<(typeof inspectionCaseEventDefinitions)[number]>;

/** C14-2.4e, D73-6b: a case for the inspection body (`inspector`), on `inspection-case-<caseId>`. */
export const InspectionCaseOpenedDefinition = evaluationEvent('InspectionCaseOpened', {
  version: 1,
  classification: 'internal',
  // Who reported a superior is kept from those the report is about: retaliation is itself prohibited (D73-6b).
  restricted: ['description', 'reporterId'],
  schema: inspectionCaseOpened,
});
export type InspectionCaseOpened = EventOf<typeof InspectionCaseOpenedDefinition>;

export const InspectionFindingRecordedDefinition = evaluationEvent('InspectionFindingRecorded', {
  version: 1,
  classification: 'internal',
  restricted: ['reasons'],
  schema: inspectionFindingRecorded,
});
export type InspectionFindingRecorded = EventOf<typeof InspectionFindingRecordedDefinition>;

export const inspectionCaseEventDefinitions = [InspectionCaseOpenedDefinition, InspectionFindingRecordedDefinition] as const;
