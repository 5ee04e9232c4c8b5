import { type EventsOf, Type, closedObject, defineEvents, definitionsOf, nullable } from '@dotpha/kernel';
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

type PeriodicReport = EventsOf<typeof periodicReportEvents>;
/** Each event of the table: `PeriodicReportEvent` is any of them, `PeriodicReportEvent<'PeriodicReportSent'>` one. */
export type PeriodicReportEvent<T extends keyof PeriodicReport = keyof PeriodicReport> = PeriodicReport[T];

export const periodicReportEvents = defineEvents('rewards', {
  // Aggregate figures of the instance's own units: not for other agencies unless shared.
  PeriodicReportSent: { version: 1, classification: 'internal', schema: periodicReportSent },
});
export const periodicReportEventDefinitions = definitionsOf(periodicReportEvents);

