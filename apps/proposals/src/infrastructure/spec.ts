import { type ServiceSpec, reactionMetadata } from '@dotpha/service-runtime';
import { PROPOSAL_STREAM_TYPE, proposalDecider, proposalStreamId } from '@dotpha/proposals-domain';
import { proposalsProjection } from './projections';

const OUTCOMES: Record<string, string> = {
  ReviewOpened: 'review-opened',
  RevisionRequested: 'revision-requested',
  ProposalRejected: 'rejected',
  ReviewEscalated: 'escalated',
};

export const proposalsService: ServiceSpec = {
  name: 'proposals',
  reads: ['proposals', 'approvals'],
  projections: [proposalsProjection],
  reactors: [
    {
      name: 'review-outcomes',
      handles: ['ReviewOpened', 'RevisionRequested', 'ProposalApproved', 'ProposalRejected', 'ReviewEscalated'],
      async react(event, kernel) {
        const d = event.data as { proposalId: string; round: number; decision?: string };
        const outcome = event.type === 'ProposalApproved' ? `approved-${d.decision}` : OUTCOMES[event.type];
        await kernel.execute(proposalDecider, PROPOSAL_STREAM_TYPE, proposalStreamId(d.proposalId), {
          type: 'RecordReviewOutcome',
          data: { proposalId: d.proposalId, outcome: outcome as never, round: d.round, at: event.occurredAt },
          metadata: reactionMetadata(event, kernel.now()),
        });
      },
    },
  ],
};
