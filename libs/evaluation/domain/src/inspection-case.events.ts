import { type EventsOf, Type, closedObject, defineEvents, definitionsOf, stringEnum } from '@dotpha/kernel';
import { PROHIBITED_ACTS } from './inspection-case.commands';
import { abuseGrounds, document, findingSchema, id, instant, statement } from './schema';

// ---- Payloads: the published JSON Schemas, types derived from the table below ----

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

type InspectionCase = EventsOf<typeof inspectionCaseEvents>;
/** Each event of the table: `InspectionCaseEvent` is any of them, `InspectionCaseEvent<'InspectionCaseOpened'>` one. */
export type InspectionCaseEvent<T extends keyof InspectionCase = keyof InspectionCase> = InspectionCase[T];

export const inspectionCaseEvents = defineEvents('evaluation', {
  /**
   * C14-2.4e, D73-6b: a case for the inspection body (`inspector`), on `inspection-case-<caseId>`.
   * Who reported a superior is kept from those the report is about: retaliation is itself prohibited (D73-6b).
   */
  InspectionCaseOpened: { version: 1, classification: 'internal', restricted: ['description', 'reporterId'], schema: inspectionCaseOpened },
  InspectionFindingRecorded: { version: 1, classification: 'internal', restricted: ['reasons'], schema: inspectionFindingRecorded },
});
export const inspectionCaseEventDefinitions = definitionsOf(inspectionCaseEvents);

