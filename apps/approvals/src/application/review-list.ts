import { PAGE_MAX_LIMIT, type PageParams, type ReadModelQuery, pageOf } from '@dotpha/kernel';
import type { OrgChart } from '@dotpha/org';
import type { ReviewStatus } from './review-view';

/** A reviewer's inbox reads soonest due first, so the overdue reviews come first. */
export const REVIEW_SORTS = { dueBy: 'routing.dueBy', lastChangedAt: 'lastChangedAt' } as const;
export type ReviewSort = keyof typeof REVIEW_SORTS;
export const REVIEW_DEFAULT_SORT = ['dueBy', 'asc'] as const;

export interface ReviewFilter extends PageParams<ReviewSort> {
  readonly status?: ReviewStatus;
}

/** seesReview (reviews.service.ts) as a query: the caller's own proposals, and reviews of or at a unit in their jurisdiction (§3). */
export function reviewListQuery(org: OrgChart, caller: { readonly user: { readonly id: string } }, filter: ReviewFilter): ReadModelQuery {
  const units = { in: [...org.jurisdiction(caller.user.id)] };
  return {
    ...(filter.status ? { where: { status: filter.status } } : {}),
    anyOf: [{ proposerId: caller.user.id }, { proposerUnitId: units }, { 'routing.reviewerUnitId': units }],
    ...pageOf(filter, REVIEW_SORTS, ...REVIEW_DEFAULT_SORT),
  };
}

/**
 * The open reviews the caller sees that are past due at `now` (isOverdue as a query: due before now),
 * soonest due first, a page of them after `after`: the overdue report reads them page by page.
 */
export function overdueReviewsQuery(org: OrgChart, caller: { readonly user: { readonly id: string } }, now: string, after?: string): ReadModelQuery {
  const query = reviewListQuery(org, caller, { status: 'open', sort: 'dueBy', order: 'asc', limit: PAGE_MAX_LIMIT, ...(after ? { cursor: after } : {}) });
  return { ...query, where: { ...query.where, 'routing.dueBy': { lt: now } }, count: false };
}
