import type { JsonSchema } from '@dotpha/kernel';
import { LIMITS, arraySchema, idSchema, objectSchema } from './schema';

/**
 * D73-10b: whom the protection and the recognition of a proposal reach: the proposer, the
 * co-proposers, the implementers the approved plan names and the head who approved it. The same
 * shape travels in monitoring's pilot events, so evaluation and rewards read it from either.
 */
export interface ProposalPeople {
  readonly proposerId: string;
  readonly coProposerIds: readonly string[];
  readonly implementerIds: readonly string[];
  /** Null only on records written before the approving head was named (upcast). */
  readonly approvingHeadId: string | null;
}

export const peopleSchema: JsonSchema = objectSchema({
  proposerId: idSchema,
  coProposerIds: { ...arraySchema(idSchema, LIMITS.people), uniqueItems: true },
  implementerIds: { ...arraySchema(idSchema, LIMITS.people), uniqueItems: true },
  approvingHeadId: { anyOf: [idSchema, { type: 'null' }] },
});

/** D73-2: the instance's coverage and default legal bases are @dotpha/org's policy. */
export { COVERAGES, type Coverage } from '@dotpha/org';
