import { type PageParams, type ReadModelQuery, pageOf } from '@dotpha/kernel';
import type { PilotKind, PilotStatus } from '@dotpha/monitoring-domain';
import type { OrgChart } from '@dotpha/org';

export const PILOT_SORTS = { lastChangedAt: 'lastChangedAt', plannedAt: 'plannedAt' } as const;
export type PilotSort = keyof typeof PILOT_SORTS;
export const PILOT_DEFAULT_SORT = ['lastChangedAt', 'desc'] as const;

/** Which pilots a list shows. */
export interface PilotFilter extends PageParams<PilotSort> {
  /**
   * Only pilots with a KPI off target or a flag still open (true), or only the others (false):
   * judged on the view at read time (tolerance and clock), so it thins the page the query returned.
   */
  readonly offTarget?: boolean;
  readonly status?: PilotStatus;
  readonly kind?: PilotKind;
}

/** seesPilot (pilots.service.ts) as a query: proposer, supervisor, the people the approval names, and the units in the caller's jurisdiction. */
export function pilotListQuery(org: OrgChart, caller: { readonly user: { readonly id: string } }, filter: PilotFilter): ReadModelQuery {
  const me = caller.user.id;
  return {
    where: { ...(filter.status ? { status: filter.status } : {}), ...(filter.kind ? { kind: filter.kind } : {}) },
    anyOf: [
      { proposerId: me },
      { supervisorId: me },
      { 'pilot.people.coProposerIds': me },
      { 'pilot.people.implementerIds': me },
      { 'pilot.people.approvingHeadId': me },
      { proposerUnitId: { in: [...org.jurisdiction(me)] } },
    ],
    ...pageOf(filter, PILOT_SORTS, ...PILOT_DEFAULT_SORT),
  };
}
