import { type People, idsOf, nullable, peopleSchema as peopleOf } from '@dotpha/kernel';
import { LIMITS, idSchema } from './schema';

/**
 * D73-10b: whom the protection and the recognition of a proposal reach: the proposer, the
 * co-proposers, the implementers the approved plan names and the head who approved it. The same
 * shape travels in monitoring's pilot events, so evaluation and rewards read it from either.
 * `approvingHeadId` is null only on records written before the approving head was named (upcast).
 */
export type ProposalPeople = People;

export const peopleSchema = peopleOf(idsOf(idSchema, LIMITS.people), nullable(idSchema));

/** D73-2: the instance's coverage and default legal bases are @dotpha/org's policy. */
export { COVERAGES, type Coverage } from '@dotpha/org';
