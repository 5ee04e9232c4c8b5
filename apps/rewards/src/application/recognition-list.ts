import { type PageParams, type ReadModelQuery, pageOf } from '@dotpha/kernel';
import type { OrgChart } from '@dotpha/org';
import { RECOGNITION_INSTANCE_ROLES } from './access';

export const RECOGNITION_SORTS = { lastChangedAt: 'lastChangedAt' } as const;
export type RecognitionSort = keyof typeof RECOGNITION_SORTS;
export const RECOGNITION_DEFAULT_SORT = ['lastChangedAt', 'desc'] as const;

/**
 * seesRecognition (access.ts) as a query: every recognition for the organisation office and the
 * city committee (C14-2.5a); for anyone else their own and those of the units in their jurisdiction.
 */
export function recognitionListQuery(org: OrgChart, caller: { readonly user: { readonly id: string }; readonly role: string }, filter: PageParams<RecognitionSort>): ReadModelQuery {
  const me = caller.user.id;
  const everyOne = (RECOGNITION_INSTANCE_ROLES as readonly string[]).includes(caller.role);
  return {
    ...(everyOne ? {} : { anyOf: [{ proposerId: me }, { proposerUnitId: { in: [...org.jurisdiction(me)] } }] }),
    ...pageOf(filter, RECOGNITION_SORTS, ...RECOGNITION_DEFAULT_SORT),
  };
}
