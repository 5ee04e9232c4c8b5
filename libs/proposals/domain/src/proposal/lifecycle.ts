/** DOMAIN.md §4: the proposal's states; `withdrawn` and the decisions are final. */
export const PROPOSAL_STATUSES = [
  'draft',
  'submitted',
  'under-review',
  'revision-requested',
  'escalated',
  'approved-implementation',
  'approved-pilot',
  'rejected',
  'withdrawn',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** The proposer may change the proposal only before it is submitted or when asked to revise it. */
export const EDITABLE: readonly ProposalStatus[] = ['draft', 'revision-requested'];

/** After a final decision there is nothing left to withdraw from. */
export const DECIDED: readonly ProposalStatus[] = ['approved-implementation', 'approved-pilot', 'rejected'];

export const REVIEW_OUTCOME_NAMES = [
  'review-opened',
  'revision-requested',
  'approved-implementation',
  'approved-pilot',
  'rejected',
  'escalated',
] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOME_NAMES)[number];

/**
 * What the approvals context reports (ReviewOpened, RevisionRequested, ProposalApproved with its
 * decision, ProposalRejected, ReviewEscalated), with the states each is accepted in and leads to.
 * An escalated review is decided upstream within the same round (the approvals context records
 * no new ReviewOpened), so every decision is accepted from `escalated` as from `under-review`,
 * and so is a further escalation.
 */
interface Transition {
  readonly from: readonly ProposalStatus[];
  readonly to: ProposalStatus;
}

export const REVIEW_OUTCOMES: Readonly<Record<ReviewOutcome, Transition>> = {
  'review-opened': { from: ['submitted', 'escalated'], to: 'under-review' },
  'revision-requested': { from: ['under-review', 'escalated'], to: 'revision-requested' },
  'approved-implementation': { from: ['under-review', 'escalated'], to: 'approved-implementation' },
  'approved-pilot': { from: ['under-review', 'escalated'], to: 'approved-pilot' },
  rejected: { from: ['under-review', 'escalated'], to: 'rejected' },
  escalated: { from: ['under-review', 'escalated'], to: 'escalated' },
};
