import { type PageParams, type ReadModelQuery, pageOf } from '@dotpha/kernel';

export const INSPECTION_CASE_SORTS = { openedAt: 'openedAt' } as const;
export type InspectionCaseSort = keyof typeof INSPECTION_CASE_SORTS;
export const INSPECTION_CASE_DEFAULT_SORT = ['openedAt', 'desc'] as const;

/** inspectionCaseAccess (inspection-cases.service.ts) as a query: every case for an inspector; the cases a caller reported or is a subject of for anyone else. */
export function inspectionCaseListQuery(caller: { readonly user: { readonly id: string }; readonly role: string }, filter: PageParams<InspectionCaseSort>): ReadModelQuery {
  const me = caller.user.id;
  return {
    ...(caller.role === 'inspector' ? {} : { anyOf: [{ reporterId: me }, { subjectIds: me }] }),
    ...pageOf(filter, INSPECTION_CASE_SORTS, ...INSPECTION_CASE_DEFAULT_SORT),
  };
}
