import { type Conditions, type PageParams, type ReadModelQuery, pageOf } from '@dotpha/kernel';
import type { OrgChart } from '@dotpha/org';
import { PROPOSAL_STATUSES, type ProposalStatus } from '@dotpha/proposals-domain';

export const PROPOSAL_SORTS = { lastChangedAt: 'lastChangedAt', title: 'title' } as const;
export type ProposalSort = keyof typeof PROPOSAL_SORTS;
export const PROPOSAL_DEFAULT_SORT = ['lastChangedAt', 'desc'] as const;

export interface ProposalFilter extends PageParams<ProposalSort> {
  readonly status?: ProposalStatus;
}

/**
 * seesProposal (proposals.service.ts) as a query on the read model: the caller's own proposals,
 * those they co-propose once submitted, and, acting in a role above proposer, the submitted ones
 * of the units in their jurisdiction (§3). A document only the approvals context has spoken of
 * (no status yet) is in no list.
 */
export function proposalListQuery(org: OrgChart, caller: { readonly user: { readonly id: string }; readonly role: string }, filter: ProposalFilter): ReadModelQuery {
  const me = caller.user.id;
  const submitted = { revision: { gt: 0 } } as const;
  const anyOf: Conditions[] = [{ proposerId: me }, { coProposerIds: me, ...submitted }];
  if (caller.role !== 'proposer') anyOf.push({ proposerUnitId: { in: [...org.jurisdiction(me)] }, ...submitted });
  return {
    where: { status: filter.status ?? { in: [...PROPOSAL_STATUSES] } },
    anyOf,
    ...pageOf(filter, PROPOSAL_SORTS, ...PROPOSAL_DEFAULT_SORT),
  };
}
