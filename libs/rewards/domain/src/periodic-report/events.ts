import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import { id, instant } from '../schema';
import type { ReportFigures, ReportPeriod, ReportRecipients } from './commands';

export type PeriodicReportSent = DomainEvent<
  'PeriodicReportSent',
  {
    readonly unitId: string;
    readonly period: ReportPeriod;
    readonly field: string | null;
    readonly recipients: ReportRecipients;
    readonly figures: ReportFigures;
    /** 1 for the first sending of this unit's report for the period, 2 for a corrected one sent again, … */
    readonly sending: number;
    readonly sentBy: string;
    readonly sentAt: string;
  }
>;

export type PeriodicReportEvent = PeriodicReportSent;

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const count = { type: 'integer', minimum: 0 };
export const REPORT_FIGURES: readonly (keyof ReportFigures)[] = [
  'submitted', 'approvedForImplementation', 'approvedForPilot', 'rejected', 'pilotsCompleted', 'pilotsTerminated', 'outcomesAchieved',
  'outcomesPartiallyAchieved', 'outcomesNotAchieved', 'liabilityDecisions', 'recognitionsGranted', 'replications', 'institutionalizations',
  'overdueSteps', 'prohibitedActReports',
];

export const PeriodicReportSentDefinition = defineEvent({
  type: 'PeriodicReportSent',
  version: 1,
  context: 'rewards',
  // Aggregate figures of the instance's own units: not for other agencies unless shared.
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['unitId', 'period', 'field', 'recipients', 'figures', 'sending', 'sentBy', 'sentAt'],
    properties: {
      unitId: id,
      period: {
        type: 'object',
        additionalProperties: false,
        required: ['label', 'from', 'to'],
        properties: { label: { type: 'string', pattern: '^(H[12]-\\d{4}|\\d{4}|\\d{4}-\\d{2}-\\d{2}\\.\\.\\d{4}-\\d{2}-\\d{2})$' }, from: date, to: date },
      },
      field: { anyOf: [id, { type: 'null' }] },
      recipients: {
        type: 'object',
        additionalProperties: false,
        required: ['partyCommittee', 'organizationOfficeIds'],
        properties: {
          partyCommittee: {
            anyOf: [
              { type: 'object', additionalProperties: false, required: ['unitId', 'headId'], properties: { unitId: id, headId: id } },
              { type: 'null' },
            ],
          },
          organizationOfficeIds: { type: 'array', maxItems: 200, uniqueItems: true, items: id },
        },
      },
      figures: {
        type: 'object',
        additionalProperties: false,
        required: [...REPORT_FIGURES],
        properties: Object.fromEntries(REPORT_FIGURES.map((f) => [f, count])),
      },
      sending: { type: 'integer', minimum: 1 },
      sentBy: id,
      sentAt: instant,
    },
  },
});

export const periodicReportEventDefinitions = [PeriodicReportSentDefinition] as const;
