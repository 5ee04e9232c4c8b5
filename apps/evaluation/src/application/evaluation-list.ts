import { type PageParams, type ReadModelQuery, pageOf } from '@dotpha/kernel';
import type { OrgChart } from '@dotpha/org';

export const EVALUATION_SORTS = { lastChangedAt: 'lastChangedAt' } as const;
export type EvaluationSort = keyof typeof EVALUATION_SORTS;
export const EVALUATION_DEFAULT_SORT = ['lastChangedAt', 'desc'] as const;

/** seesEvaluation (evaluations.service.ts) as a query: the caller's own, and those of the units in their jurisdiction. */
export function evaluationListQuery(org: OrgChart, caller: { readonly user: { readonly id: string } }, filter: PageParams<EvaluationSort>): ReadModelQuery {
  const me = caller.user.id;
  return {
    anyOf: [{ proposerId: me }, { proposerUnitId: { in: [...org.jurisdiction(me)] } }],
    ...pageOf(filter, EVALUATION_SORTS, ...EVALUATION_DEFAULT_SORT),
  };
}
