import type { ReviewCommandType } from './commands';

/** DOMAIN.md §2. */
export type Role =
  | 'proposer'
  | 'unit-head'
  | 'collective'
  | 'authority'
  | 'supervisor'
  | 'evaluator'
  | 'inspector'
  | 'organization-office'
  | 'city-committee'
  | 'analyst'
  | 'admin';

const reviewers = ['unit-head', 'collective', 'authority'] as const satisfies readonly Role[];

/**
 * Which roles may issue each command; the application enforces it. The decider checks the
 * person instead (named reviewer, head, member), which roles alone cannot express.
 */
export const commandRoles: Readonly<Record<ReviewCommandType, readonly Role[]>> = {
  // Opened in reaction to the proposer's submission, under the submitting actor.
  OpenReview: ['proposer'],
  ConsultPartyCommittee: reviewers,
  // The head (of the unit, or of the upper level after an escalation) chairs the meeting and may
  // record the members' votes; members may cast their own.
  RecordCollectiveVote: reviewers,
  TallyCollectiveVote: reviewers,
  // The head alone, never the collective it overrules (D73-8.1c).
  AuthorizeHeadOverride: ['unit-head', 'authority'],
  EscalateReview: reviewers,
  RequestRevision: reviewers,
  RejectProposal: reviewers,
  ApproveProposal: reviewers,
  // Closed in reaction to the proposer's withdrawal, under the withdrawing actor (SAGA-withdraw).
  CloseReview: ['proposer'],
};
