import { type OpenEvaluation, type PilotSummary, type PlanPeople, proposerOnly } from '@dotpha/evaluation-domain';
import type { PilotEnd } from '@dotpha/monitoring-domain';
import { type InstancePolicy, workingDayDeadline } from '@dotpha/org';

type Calendar = Pick<InstancePolicy, 'deadlines' | 'publicHolidays' | 'timeZone'>;

/**
 * D73-eval, TZ-working-days: what opening an evaluation needs from the end of a pilot. The written
 * results are due `resultsReport` working days after the local day it ended, at the end of that
 * local day in the instance's time zone. Until a report is received the evaluation counts from
 * that due time; `evaluationDeadline` recounts it from the receipt.
 */
export function evaluationOpening(end: PilotEnd & { readonly people?: PlanPeople }, ending: PilotSummary['ending'], policy: Calendar): OpenEvaluation['data'] {
  const reportDueBy = workingDayDeadline(end.endedAt, policy.deadlines.resultsReport, policy.publicHolidays, policy.timeZone);
  return {
    proposalId: end.proposalId,
    proposerId: end.proposerId,
    proposerUnitId: end.proposerUnitId,
    pilot: {
      ending,
      kind: end.kind,
      endedAt: end.endedAt,
      kpisOnTarget: end.kpiResults.filter((k) => k.onTarget).length,
      kpisTotal: end.kpiResults.length,
      milestonesMet: end.milestones.filter((m) => m.metAt !== null).length,
      milestonesTotal: end.milestones.length,
      flags: end.flags,
    },
    // D73-10b: the pilot events name the people of the approved plan; older ones the proposer alone.
    people: end.people ?? proposerOnly(end.proposerId),
    reportDueBy,
    evaluationDueBy: evaluationDeadline(reportDueBy, policy),
  };
}

/** D73-eval: the collective evaluates within `evaluation` working days of RECEIVING the results report. */
export function evaluationDeadline(receivedAt: string, policy: Calendar): string {
  return workingDayDeadline(receivedAt, policy.deadlines.evaluation, policy.publicHolidays, policy.timeZone);
}

/** C14-2.4f: the cadre answers within `answer` working days of the assessment taking effect. */
export function answerDeadline(assessedAt: string, policy: Calendar): string {
  return workingDayDeadline(assessedAt, policy.deadlines.answer, policy.publicHolidays, policy.timeZone);
}
