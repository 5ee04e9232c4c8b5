import { type DomainEvent, type Payload, Type, closedObject, defineEvent, nullable } from '@dotpha/kernel';
import { figures, id, instant, period, recipients } from '../schema';

export { REPORT_FIGURES } from '../schema';

const periodicReportSent = closedObject({
  unitId: id,
  period,
  field: nullable(id),
  recipients,
  figures,
  /** 1 for the first sending of this unit's report for the period, 2 for a corrected one sent again, … */
  sending: Type.Integer({ minimum: 1 }),
  sentBy: id,
  sentAt: instant,
});

export type PeriodicReportSent = DomainEvent<'PeriodicReportSent', Payload<typeof periodicReportSent>>;

export type PeriodicReportEvent = PeriodicReportSent;

export const PeriodicReportSentDefinition = defineEvent({
  type: 'PeriodicReportSent',
  version: 1,
  context: 'rewards',
  // Aggregate figures of the instance's own units: not for other agencies unless shared.
  classification: 'internal',
  schema: periodicReportSent,
});

export const periodicReportEventDefinitions = [PeriodicReportSentDefinition] as const;
