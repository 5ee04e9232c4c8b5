import type { EvaluationCommandType } from './commands';

/** The roles of DOMAIN.md §2 that act in evaluation. */
export type EvaluationRole = 'proposer' | 'supervisor' | 'authority' | 'unit-head' | 'evaluator' | 'inspector';

/**
 * Who may issue each command; the application enforces it. OpenEvaluation is issued when
 * PilotCompleted or PilotTerminated arrives and runs as whoever ended the pilot.
 */
export const commandRoles: Readonly<Record<EvaluationCommandType, readonly EvaluationRole[]>> = {
  OpenEvaluation: ['supervisor', 'authority'],
  ReportResults: ['proposer'],
  // D73-4: the head of the unit consults the party committee on the evaluating body's behalf.
  ConsultPartyCommittee: ['evaluator', 'unit-head'],
  AssessOutcome: ['evaluator'],
  DecideLiability: ['evaluator'],
  // C14-2.4d: whoever comes upon abuse at any stage refers it; the inspector may also act on its own.
  ReferAbuse: ['evaluator', 'supervisor', 'authority', 'inspector'],
  CloseEvaluation: ['evaluator'],
};
