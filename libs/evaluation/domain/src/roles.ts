import type { EvaluationCommandType } from './commands';
import type { InspectionCaseCommandType } from './inspection-case.commands';

/** The roles of DOMAIN.md §2 that act in evaluation. */
export type EvaluationRole = 'proposer' | 'supervisor' | 'authority' | 'unit-head' | 'collective' | 'evaluator' | 'inspector';

/**
 * Who may issue each command; the application enforces it, the decider checks the person
 * (the implementer, a member of the collective, the head who chairs it). OpenEvaluation is issued
 * when PilotCompleted or PilotTerminated arrives and runs as whoever ended the pilot;
 * RecordInspectionFinding when the case's InspectionFindingRecorded arrives.
 */
export const commandRoles: Readonly<Record<EvaluationCommandType | InspectionCaseCommandType, readonly EvaluationRole[]>> = {
  OpenEvaluation: ['supervisor', 'authority'],
  ReportResults: ['proposer'],
  // D73-4: the head of the unit consults the party committee on the evaluating body's behalf.
  ConsultPartyCommittee: ['evaluator', 'unit-head'],
  // D73-eval: the evaluator drafts, the collective of the evaluating unit votes, its head tallies.
  AssessOutcome: ['evaluator'],
  CastEvaluationVote: ['collective', 'unit-head'],
  TallyEvaluationVote: ['unit-head', 'collective'],
  // C14-2.4f: the cadre assessed answers, whatever post they now hold.
  AnswerAssessment: ['proposer'],
  DecideLiability: ['evaluator'],
  // C14-2.4d: whoever comes upon abuse at any stage refers it; the inspector may also act on its own.
  ReferAbuse: ['evaluator', 'supervisor', 'authority', 'inspector'],
  RecordInspectionFinding: ['inspector'],
  CloseEvaluation: ['evaluator'],
  // Inspection cases. D73-6b: any cadre reports a prohibited act (an abuse referral opens its case
  // through ReferAbuse); C14-2.4e: the inspection body records the finding.
  OpenInspectionCase: ['proposer'],
  RecordFinding: ['inspector'],
};
