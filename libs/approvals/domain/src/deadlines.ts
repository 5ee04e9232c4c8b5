import type { ReviewRoute } from './events';
import { type ReviewState, chairsOf } from './review.state';

const instant = (now: Date | string): number => (typeof now === 'string' ? Date.parse(now) : now.getTime());

/** A review is overdue while its current level has not acted by `dueBy` (HN24-shirk, D73-6). */
export function isOverdue(state: ReviewState, now: Date | string): boolean {
  return state.status === 'open' && instant(now) > Date.parse(state.routing.dueBy);
}

/** One row per person who owes a decision, so lateness is reported per reviewer. */
export interface OverdueReview {
  readonly reviewerId: string;
  readonly proposalId: string;
  readonly round: number;
  readonly reviewerUnitId: string;
  readonly route: ReviewRoute;
  readonly dueBy: string;
}

/**
 * Overdue reviews for the read model, oldest due first. The head of the reviewing unit answers
 * for its delay (and chairs the collective's meeting, D73-8.1a), so they are listed with the
 * named reviewers.
 */
export function overdueReviews(reviews: readonly ReviewState[], now: Date | string): OverdueReview[] {
  return reviews
    .flatMap((review) =>
      review.status === 'open' && isOverdue(review, now)
        ? chairsOf(review).map((reviewerId) => ({
            reviewerId,
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
