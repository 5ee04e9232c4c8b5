import type { ReviewRoute } from './events';
import { type ReviewRound, type ReviewState, chairsOf, collectiveDecides } from './review.state';

const instant = (now: Date | string): number => (typeof now === 'string' ? Date.parse(now) : now.getTime());

/** A review is overdue while its current level has not acted by `dueBy` (HN24-shirk, D73-6). */
export function isOverdue(state: ReviewState, now: Date | string): boolean {
  return state.status === 'open' && instant(now) > Date.parse(state.routing.dueBy);
}

/** What a person owes an overdue review: the decision (chairs, named reviewers) or their vote (members). */
export type OverdueStep = 'decision' | 'vote';

/** One row per person who owes a step, so lateness is reported per person (D73-6, HN24-shirk). */
export interface OverdueReview {
  readonly reviewerId: string;
  readonly owes: OverdueStep;
  readonly proposalId: string;
  readonly round: number;
  readonly reviewerUnitId: string;
  readonly route: ReviewRoute;
  readonly dueBy: string;
}

/**
 * Who owes what on a late review. The head of the reviewing unit answers for its delay (and
 * chairs the collective's meeting, D73-8.1a), so they are listed with the named reviewers; where
 * the collective decides and has not yet tallied, each member who has not voted owes their vote.
 */
function owing(review: ReviewRound): { readonly reviewerId: string; readonly owes: OverdueStep }[] {
  const chairs = chairsOf(review);
  const voting = collectiveDecides(review) && review.tally === null;
  const voters = voting
    ? review.routing.collectiveMemberIds.filter((id) => id !== review.proposerId && !chairs.includes(id) && !review.votes[id])
    : [];
  return [
    ...chairs.map((reviewerId) => ({ reviewerId, owes: 'decision' as const })),
    ...voters.map((reviewerId) => ({ reviewerId, owes: 'vote' as const })),
  ];
}

/** Overdue reviews for the read model, oldest due first, one row per person and step owed. */
export function overdueReviews(reviews: readonly ReviewState[], now: Date | string): OverdueReview[] {
  return reviews
    .flatMap((review) =>
      review.status === 'open' && isOverdue(review, now)
        ? owing(review).map(({ reviewerId, owes }) => ({
            reviewerId,
            owes,
            proposalId: review.proposalId,
            round: review.round,
            reviewerUnitId: review.routing.reviewerUnitId,
            route: review.routing.route,
            dueBy: review.routing.dueBy,
          }))
        : [],
    )
    .sort((a, b) => a.dueBy.localeCompare(b.dueBy) || a.reviewerId.localeCompare(b.reviewerId));
}
