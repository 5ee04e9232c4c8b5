import { planParts } from '@dotpha/kernel';
import type { ApprovalFacts } from '@dotpha/proposals-domain';

/**
 * The fields of the approvals context's published `ProposalApproved` this context reads. Read
 * defensively: `decidedBy.headId`, `plan.implementerIds` and `legalBasis` came with a later
 * version of that event, and whatever else approvals publishes must not break the hand-off.
 */
export interface PublishedApproval {
  readonly decision: ApprovalFacts['decision'];
  readonly legalBasis?: string;
  readonly decidedBy: Omit<ApprovalFacts['decidedBy'], 'headId'> & { readonly headId?: string | null };
  readonly plan: Omit<ApprovalFacts['plan'], 'implementerIds'> & { readonly implementerIds?: readonly string[] };
}

/** Copies the approval field by field; `legalBasis` is the instance's when approvals named none. */
export function approvalFacts(approved: PublishedApproval, instanceLegalBasis: string): ApprovalFacts {
  const { plan, decidedBy } = approved;
  return {
    decision: approved.decision,
    plan: { ...planParts(plan), implementerIds: plan.implementerIds ?? [] },
    decidedBy: {
      unitId: decidedBy.unitId,
      reviewerId: decidedBy.reviewerId,
      // Before approvals named the head, the reviewer who decided was the head (the unit-head route).
      headId: decidedBy.headId ?? decidedBy.reviewerId,
      collective: decidedBy.collective,
      override: decidedBy.override,
      collectiveMemberIds: decidedBy.collectiveMemberIds,
    },
    legalBasis: approved.legalBasis ?? instanceLegalBasis,
  };
}
