import { InvalidInput, RuleViolation, deciderOf } from '@dotpha/kernel';
import type { PeriodicReportCommand, SendPeriodicReport } from './commands';
import type { PeriodicReportEvent } from './events';
import { type PeriodicReportState, evolvePeriodicReport, initialPeriodicReportState } from './periodic-report.state';

function sendPeriodicReport(command: SendPeriodicReport, state: PeriodicReportState): readonly PeriodicReportEvent[] {
  const { unitId, period, field, recipients, figures } = command.data;
  if (state.unitId !== null && (state.unitId !== unitId || state.label !== period.label)) {
    throw new InvalidInput(`this is the report of '${state.unitId}' for ${state.label}, not of '${unitId}' for ${period.label}`);
  }
  if (!(period.from <= period.to)) throw new InvalidInput(`the period starts after it ends: ${period.from}..${period.to}`);
  if (recipients.partyCommittee === null || recipients.organizationOfficeIds.length === 0) {
    throw new RuleViolation('C14-2.5d', 'a periodic report goes to the superior party committee and to the organisation office: the chart names no one for one of them');
  }
  if (Object.values(figures).some((n) => !Number.isInteger(n) || n < 0)) throw new InvalidInput('report figures are counts');
  return [
    {
      type: 'PeriodicReportSent',
      data: {
        unitId, period, field, recipients, figures,
        sending: state.sendings + 1,
        sentBy: command.metadata.actor.userId,
        sentAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

/**
 * C14-2.5d: a unit's periodic report (sơ kết, tổng kết) goes upward to the superior party
 * committee and the organisation office. Each sending is kept: a corrected report sent again is
 * a new sending beside the first, never a silent replacement.
 */
export const periodicReportDecider = deciderOf<PeriodicReportState, PeriodicReportCommand, PeriodicReportEvent>({
  initialState: initialPeriodicReportState,
  evolve: evolvePeriodicReport,
  commands: {
    SendPeriodicReport: sendPeriodicReport,
  },
});
