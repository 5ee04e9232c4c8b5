import { type EventOf, Type, closedObject, eventDefiner, nullable } from '@dotpha/kernel';
import { figures, id, instant, period, recipients } from '../schema';

const rewardsEvent = eventDefiner('rewards');

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

export type PeriodicReportEvent = EventOf<(typeof periodicReportEventDefinitions)[number]>;

export const PeriodicReportSentDefinition = rewardsEvent('PeriodicReportSent', {
  version: 1,
  // Aggregate figures of the instance's own units: not for other agencies unless shared.
  classification: 'internal',
  schema: periodicReportSent,
});
export type PeriodicReportSent = EventOf<typeof PeriodicReportSentDefinition>;

export const periodicReportEventDefinitions = [PeriodicReportSentDefinition] as const;
