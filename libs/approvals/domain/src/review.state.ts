import type { CollectiveTally, Routing, Vote } from './events';

export interface Consultation {
  readonly opinion: string;
  readonly consultedAt: string;
}

/** The current round of a proposal's review; a resubmission replaces it with the next round. */
export interface ReviewRound {
  readonly status: 'open' | 'revision-requested' | 'rejected' | 'approved';
  readonly proposalId: string;
  readonly round: number;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly scopeUnitIds: readonly string[];
  readonly requirePartyConsultation: boolean;
  readonly openedAt: string;
  /** The level currently reviewing; an escalation replaces it. */
  readonly routing: Routing;
  /** When the current level received the review: its consultation must come after. */
  readonly routedAt: string;
  readonly consultation: Consultation | null;
  readonly votes: Readonly<Record<string, Vote>>;
  readonly tally: CollectiveTally | null;
  readonly overridden: boolean;
}

export type ReviewState = { readonly status: 'not-opened' } | ReviewRound;

export const initialReviewState = (): ReviewState => ({ status: 'not-opened' });

export const hasVotes = (review: ReviewRound): boolean => Object.keys(review.votes).length > 0;

/** Whether the collective, rather than a single reviewer, decides at this level. */
export const collectiveDecides = (review: ReviewRound): boolean =>
  review.routing.route === 'collective' || review.tally !== null || hasVotes(review);

const withoutProposer = (review: ReviewRound, ids: readonly string[]): string[] =>
  [...new Set(ids)].filter((id) => id !== review.proposerId);

/**
 * Who runs the review at this level: the named reviewers and the head who chairs the collective.
 * A head who is the proposer (Hà Nội's collective route) never chairs their own case.
 */
export const chairsOf = (review: ReviewRound): string[] =>
  withoutProposer(review, [...review.routing.reviewerIds, review.routing.headId]);

/** Who may decide: the named reviewers, and the head only when acting for the collective. */
export const decidersOf = (review: ReviewRound): string[] =>
  collectiveDecides(review) ? chairsOf(review) : withoutProposer(review, review.routing.reviewerIds);

/** A readable name of where the review stands, for IllegalTransition. */
export function phaseOf(state: ReviewState): string {
  if (state.status !== 'open') return state.status;
  if (state.overridden) return 'override-authorized';
  if (state.tally) return `tallied-${state.tally.result}`;
  return hasVotes(state) ? 'voting' : 'open';
}
