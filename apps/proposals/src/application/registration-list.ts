import { type PageParams, type ReadModelQuery, pageOf } from '@dotpha/kernel';
import type { OrgChart } from '@dotpha/org';

export const REGISTRATION_SORTS = { unitId: 'unitId' } as const;
export type RegistrationSort = keyof typeof REGISTRATION_SORTS;
export const REGISTRATION_DEFAULT_SORT = ['unitId', 'asc'] as const;

/**
 * seesRegistration (registrations.service.ts) as a query: the year's registrations of the units of
 * the instance in the caller's jurisdiction. A page is of units (one document per unit and year),
 * each with all its initiatives.
 */
export function registrationListQuery(org: OrgChart, caller: { readonly user: { readonly id: string } }, year: number, filter: PageParams<RegistrationSort>): ReadModelQuery {
  const known = new Set(org.units.map((u) => u.id));
  return {
    where: { year, unitId: { in: [...org.jurisdiction(caller.user.id)].filter((id) => known.has(id)) } },
    ...pageOf(filter, REGISTRATION_SORTS, ...REGISTRATION_DEFAULT_SORT),
  };
}
