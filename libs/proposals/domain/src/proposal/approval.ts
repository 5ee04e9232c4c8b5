import {
  InvalidInput,
  type Payload,
  type PayloadOf,
  Type,
  idsOf,
  kpiSchema,
  milestoneSchema,
  nullable,
  resourceSchema,
} from '@dotpha/kernel';
import { peopleSchema } from '../people';
import { enumSchema, idSchema, isoDateSchema, objectSchema, textSchema } from '../schema';

/**
 * SAGA-withdraw: the approval as the proposal stream records it. The proposal stream is the
 * arbiter between a withdrawal and an approval, so the contexts downstream (monitoring) plan from
 * this record, never from the approvals context's event: a pilot can only follow an approval the
 * proposal accepted, and the proposal accepts none once withdrawn.
 */
export const APPROVAL_DECISIONS = ['implementation', 'pilot'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

// Bounds as wide as the approvals context's own schema, so whatever it accepted is recorded here.
const text = textSchema(20_000, 1);
const ids = idsOf(idSchema, 500);

const planSchema = objectSchema({
  scope: text,
  startDate: isoDateSchema,
  /** An implementation may leave its end open (C14-2.3e). */
  endDate: nullable(isoDateSchema),
  kpis: Type.Array(kpiSchema({ id: idSchema, name: text, unit: textSchema(200) }), { maxItems: 200 }),
  milestones: Type.Array(milestoneSchema({ id: idSchema, name: text }), { maxItems: 200 }),
  resources: Type.Array(resourceSchema(text), { maxItems: 200 }),
  supervisorId: nullable(idSchema),
  /** D73-10b: who carries the plan out, as the approval names them (may be none). */
  implementerIds: idsOf(idSchema, 50),
});
export type ApprovedPlanFacts = Payload<typeof planSchema>;

/** HCM3815-2: who decided; `headId` chaired the collective or approved (D73-8.1a). */
const decidedBySchema = objectSchema({
  unitId: idSchema,
  reviewerId: idSchema,
  headId: idSchema,
  collective: Type.Boolean(),
  override: Type.Boolean(),
  collectiveMemberIds: ids,
});
export type ApprovalDecidedBy = Payload<typeof decidedBySchema>;

const approvalFactsProperties = {
  decision: enumSchema(APPROVAL_DECISIONS),
  plan: planSchema,
  decidedBy: decidedBySchema,
  /** D73-2: the legal basis the decision was taken under. */
  legalBasis: textSchema(500, 1),
};
/** What the approvals context decided, as the hand-off handler passes it to the proposal. */
export type ApprovalFacts = PayloadOf<typeof approvalFactsProperties>;

export const recordedApprovalSchema = objectSchema({
  ...approvalFactsProperties,
  /** The unit the proposal was made in: whose leaders follow the pilot (§3). */
  proposerUnitId: idSchema,
  people: peopleSchema,
});
export type RecordedApproval = Payload<typeof recordedApprovalSchema>;

/**
 * D73-10b: the approval with the people it protects and recognises: the proposer and
 * co-proposers as the proposal stands, the implementers the plan names, the approving head.
 */
export function recordApproval(
  approval: ApprovalFacts,
  proposal: { readonly proposerId: string; readonly proposerUnitId: string; readonly coProposerIds: readonly string[] },
): RecordedApproval {
  const { decision, plan, decidedBy, legalBasis } = approval;
  if (!(APPROVAL_DECISIONS as readonly unknown[]).includes(decision)) {
    throw new InvalidInput(`an approval decides to implement or to pilot, not '${String(decision)}'`, { decision });
  }
  if (typeof legalBasis !== 'string' || legalBasis.trim() === '') throw new InvalidInput('an approval names its legal basis (D73-2)');
  const implementerIds = [...new Set(plan.implementerIds)];
  return {
    decision,
    plan: { ...plan, implementerIds },
    decidedBy,
    legalBasis,
    proposerUnitId: proposal.proposerUnitId,
    people: {
      proposerId: proposal.proposerId,
      coProposerIds: [...proposal.coProposerIds],
      implementerIds,
      approvingHeadId: decidedBy.headId,
    },
  };
}
