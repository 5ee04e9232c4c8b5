import type { OpenEvaluation, PilotSummary } from '@dotpha/evaluation-domain';
import { type PilotEnd, localDate } from '@dotpha/monitoring-domain';
import { type InstancePolicy, addWorkingDays } from '@dotpha/org';

/** A deadline falls due at the end of its day where the instance is (Indochina Time, like `localDate`). */
function endOfLocalDay(isoDate: string): string {
  return new Date(`${isoDate}T23:59:59.999+07:00`).toISOString();
}

/**
 * D73-eval: what opening an evaluation needs from the end of a pilot. The written results are due
 * `resultsReport` working days after the day it ended, the evaluation `evaluation` working days
 * after that; D73-4 consultation as the instance decides.
 */
export function evaluationOpening(end: PilotEnd, ending: PilotSummary['ending'], policy: InstancePolicy): OpenEvaluation['data'] {
  const { resultsReport, evaluation } = policy.deadlines;
  const reportDay = addWorkingDays(localDate(new Date(end.endedAt)), resultsReport, policy.publicHolidays);
  const evaluationDay = addWorkingDays(reportDay, evaluation, policy.publicHolidays);
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
    reportDueBy: endOfLocalDay(reportDay),
    evaluationDueBy: endOfLocalDay(evaluationDay),
    partyCommitteeConsultationRequired: policy.requirePartyConsultation,
  };
}
