import { type PageParams, type ReadModelQuery, pageOf } from '@dotpha/kernel';
import type { OrgChart } from '@dotpha/org';

export const ASSIGNMENT_SORTS = { assignedAt: 'assignedAt' } as const;
export type AssignmentSort = keyof typeof ASSIGNMENT_SORTS;
export const ASSIGNMENT_DEFAULT_SORT = ['assignedAt', 'desc'] as const;

/**
 * seesAssignment (assignments.service.ts) as a query: assigned (an answer seen first has no
 * assignment yet), and given or received by the caller, or to or from a unit in their jurisdiction.
 */
export function assignmentListQuery(org: OrgChart, caller: { readonly user: { readonly id: string } }, filter: PageParams<AssignmentSort>): ReadModelQuery {
  const me = caller.user.id;
  const mine = { in: [...org.jurisdiction(me)] };
  return {
    where: { assignedAt: { gt: '' } },
    anyOf: [{ assignedBy: me }, { 'assignee.userId': me }, { 'assignee.unitId': mine }, { assignedByUnitId: mine }],
    ...pageOf(filter, ASSIGNMENT_SORTS, ...ASSIGNMENT_DEFAULT_SORT),
  };
}
