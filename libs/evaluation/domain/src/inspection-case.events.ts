import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import type { InspectionFinding } from './commands';
import { PROHIBITED_ACTS, type CaseGround, type InspectionCaseKind } from './inspection-case.commands';
import { abuseGrounds, document, findingSchema, id, instant, statement } from './schema';

interface CaseFacts {
  readonly caseId: string;
  readonly kind: InspectionCaseKind;
  /** Absent on a prohibited-act report that names no proposal. */
  readonly proposalId?: string;
  readonly subjectIds: readonly string[];
  readonly unitId: string;
}

/** C14-2.4e, D73-6b: a case for the inspection body (`inspector`), on `inspection-case-<caseId>`. */
export type InspectionCaseOpened = DomainEvent<
  'InspectionCaseOpened',
  CaseFacts & {
    readonly grounds: readonly CaseGround[];
    readonly description: string;
    readonly reporterId: string;
    readonly openedAt: string;
  }
>;
export type InspectionFindingRecorded = DomainEvent<
  'InspectionFindingRecorded',
  CaseFacts & {
    readonly finding: InspectionFinding;
    readonly reasons: readonly string[];
    readonly recordedBy: string;
    readonly recordedAt: string;
  }
>;

export type InspectionCaseEvent = InspectionCaseOpened | InspectionFindingRecorded;

const caseProperties = {
  caseId: id,
  kind: { type: 'string', enum: ['abuse-referral', 'prohibited-act'] },
  proposalId: id,
  subjectIds: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: id },
  unitId: id,
};
const caseRequired = ['caseId', 'kind', 'subjectIds', 'unitId'];

export const InspectionCaseOpenedDefinition = defineEvent({
  type: 'InspectionCaseOpened',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  // Who reported a superior is kept from those the report is about: retaliation is itself prohibited (D73-6b).
  restricted: ['description', 'reporterId'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...caseRequired, 'grounds', 'description', 'reporterId', 'openedAt'],
    properties: {
      ...caseProperties,
      grounds: {
        type: 'array',
        minItems: 1,
        maxItems: 10,
        uniqueItems: true,
        items: { type: 'string', enum: [...abuseGrounds, ...PROHIBITED_ACTS] },
      },
      description: document,
      reporterId: id,
      openedAt: instant,
    },
  },
});

export const InspectionFindingRecordedDefinition = defineEvent({
  type: 'InspectionFindingRecorded',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  restricted: ['reasons'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...caseRequired, 'finding', 'reasons', 'recordedBy', 'recordedAt'],
    properties: {
      ...caseProperties,
      finding: findingSchema,
      reasons: { type: 'array', minItems: 1, maxItems: 20, items: statement },
      recordedBy: id,
      recordedAt: instant,
    },
  },
});
