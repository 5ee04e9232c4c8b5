import { assertNever } from '@dotpha/kernel';
import type { CollectiveTally, DecisionBeforeClosing, ReviewEvent, Routing, Vote } from './events';
import { routingOf } from './routing';

export interface Consultation {
  readonly opinion: string;
  readonly consultedAt: string;
}

/**
 * The current round of a proposal's review; a resubmission replaces it with the next round.
 * `rejected` and `closed` (the proposal was withdrawn, SAGA-withdraw) are final.
 */
export interface ReviewRound {
  readonly status: 'open' | 'revision-requested' | 'rejected' | 'approved' | 'closed';
  readonly proposalId: string;
  readonly round: number;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly scopeUnitIds: readonly string[];
  readonly openedAt: string;
  /** The level currently reviewing; an escalation replaces it. */
  readonly routing: Routing;
  /** When the current level received the review: its consultation must come after. */
  readonly routedAt: string;
  readonly consultation: Consultation | null;
  readonly votes: Readonly<Record<string, Vote>>;
  readonly tally: CollectiveTally | null;
  readonly overridden: boolean;
  /** SAGA-withdraw: set when the review was closed, with where it stood then. */
  readonly closure: { readonly afterDecision: DecisionBeforeClosing | null; readonly closedAt: string } | null;
}

export type ReviewState = { readonly status: 'not-opened' } | ReviewRound;

export const initialReviewState = (): ReviewState => ({ status: 'not-opened' });

/** Events of a stream never come before its ReviewOpened; the guard only keeps evolve total. */
const onRound = (state: ReviewState, change: (review: ReviewRound) => ReviewRound): ReviewState =>
  state.status === 'not-opened' ? state : change(state);

export function evolveReview(state: ReviewState, event: ReviewEvent): ReviewState {
  switch (event.type) {
    case 'ReviewOpened': {
      const { data } = event;
      return {
        status: 'open',
        proposalId: data.proposalId,
        round: data.round,
        proposerId: data.proposerId,
        proposerUnitId: data.proposerUnitId,
        scopeUnitIds: data.scopeUnitIds,
        openedAt: data.openedAt,
        routing: routingOf(data),
        routedAt: data.openedAt,
        consultation: null,
        votes: {},
        tally: null,
        overridden: false,
        closure: null,
      };
    }
    case 'PartyCommitteeConsulted': {
      const { opinion, consultedAt } = event.data;
      return onRound(state, (review) => ({ ...review, consultation: { opinion, consultedAt } }));
    }
    case 'CollectiveVoteRecorded': {
      const { memberId, vote } = event.data;
      return onRound(state, (review) => ({ ...review, votes: { ...review.votes, [memberId]: vote } }));
    }
    case 'CollectiveVoteTallied': {
      const { proposalId, round, talliedAt, ...tally } = event.data;
      return onRound(state, (review) => ({ ...review, tally }));
    }
    case 'HeadOverrideAuthorized':
      return onRound(state, (review) => ({ ...review, overridden: true }));
    case 'ReviewEscalated':
      // The new level consults its own party committee and its own collective votes afresh.
      return onRound(state, (review) => ({
        ...review,
        routing: routingOf(event.data),
        routedAt: event.data.escalatedAt,
        consultation: null,
        votes: {},
        tally: null,
        overridden: false,
      }));
    case 'RevisionRequested':
      return onRound(state, (review) => ({ ...review, status: 'revision-requested' }));
    case 'ProposalRejected':
      return onRound(state, (review) => ({ ...review, status: 'rejected' }));
    case 'ProposalApproved':
      return onRound(state, (review) => ({ ...review, status: 'approved' }));
    case 'ReviewClosed': {
      const { afterDecision, closedAt } = event.data;
      return onRound(state, (review) => ({ ...review, status: 'closed', closure: { afterDecision, closedAt } }));
    }
    default:
      return assertNever(event, 'review event');
  }
}

export const hasVotes = (review: ReviewRound): boolean => Object.keys(review.votes).length > 0;

/** A unit whose collective is its head alone: the one case where the head decides alone (D73-8.1a). */
export const headAlone = (review: ReviewRound): boolean =>
  review.routing.collectiveMemberIds.every((id) => id === review.routing.headId);

/**
 * Whether the collective, rather than a single reviewer, decides at this level: on every route
 * (D73-8.1a: the collective votes on every plan), unless the collective is the head alone.
 */
export const collectiveDecides = (review: ReviewRound): boolean =>
  !headAlone(review) || review.tally !== null || hasVotes(review);

const withoutProposer = (review: ReviewRound, ids: readonly string[]): string[] =>
  [...new Set(ids)].filter((id) => id !== review.proposerId);

/**
 * Who runs the review at this level: the named reviewers and the head who chairs the collective.
 * A head who is the proposer (Hà Nội's collective route) never chairs their own case.
 */
export const chairsOf = (review: ReviewRound): string[] =>
  withoutProposer(review, [...review.routing.reviewerIds, review.routing.headId]);

/**
 * Who chairs the collective's meeting and so may close it (D73-8.1b): the head, or where the head
 * is the proposer (Hà Nội's collective route), the members named to review in the head's place.
 */
export const meetingChairsOf = (review: ReviewRound): string[] =>
  review.routing.headId === review.proposerId ? chairsOf(review) : [review.routing.headId];

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
