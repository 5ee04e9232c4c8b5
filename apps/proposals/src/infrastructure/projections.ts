import type { Projection } from '@dotpha/kernel';
import type { ProposalStatus } from '@dotpha/proposals-domain';

/** The proposal as its proposer, their unit head and the analytics list it. */
export interface ProposalView {
  readonly proposalId: string;
  readonly title: string;
  readonly field: string;
  readonly problemType: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly status: ProposalStatus;
  readonly revision: number;
  readonly lastChangedAt: string;
}

export const proposalsProjection: Projection<ProposalView> = {
  name: 'proposals',
  collection: 'proposals',
  handles: ['ProposalDrafted', 'ProposalRevised', 'ProposalSubmitted', 'ProposalWithdrawn', 'ProposalReviewOutcomeRecorded'],
  key: (e) => (e.data as { proposalId: string }).proposalId,
  apply: (current, e) => {
    const d = e.data as Record<string, any>;
    const base = current ?? ({ revision: 0 } as ProposalView);
    switch (e.type) {
      case 'ProposalDrafted':
        return { ...base, proposalId: d.proposalId, title: d.title, field: d.field, problemType: d.problemType, proposerId: d.proposerId, proposerUnitId: d.proposerUnitId, status: 'draft', lastChangedAt: e.occurredAt };
      case 'ProposalRevised':
        return { ...base, title: d.title, field: d.field, problemType: d.problemType, lastChangedAt: e.occurredAt };
      case 'ProposalSubmitted':
        return { ...base, status: 'submitted', revision: d.revision, lastChangedAt: e.occurredAt };
      case 'ProposalWithdrawn':
        return { ...base, status: 'withdrawn', lastChangedAt: e.occurredAt };
      default:
        return { ...base, status: statusAfter(d.outcome, base.status), lastChangedAt: e.occurredAt };
    }
  },
};

function statusAfter(outcome: string, current: ProposalStatus): ProposalStatus {
  return (({ 'review-opened': 'under-review', 'revision-requested': 'revision-requested', 'approved-implementation': 'approved-implementation', 'approved-pilot': 'approved-pilot', rejected: 'rejected', escalated: 'escalated' }) as Record<string, ProposalStatus>)[outcome] ?? current;
}
