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

/**
 * D73-2: who the instance's policy covers, and the legal basis every record names. Mirrors
 * `InstancePolicy.coverage` of @dotpha/org; the domain takes it as data in the command.
 */
export const COVERAGES = ['all-staff', 'leaders-and-managers'] as const;
export type Coverage = (typeof COVERAGES)[number];

/** The basis an instance runs under when its policy names none (the defaults of @dotpha/org). */
export function defaultLegalBasis(coverage: Coverage): string {
  return coverage === 'leaders-and-managers' ? 'Nghị định 73/2023/NĐ-CP' : 'Kết luận 14-KL/TW';
}
