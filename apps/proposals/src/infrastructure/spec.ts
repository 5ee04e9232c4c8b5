import type { ProposalApproved } from '@dotpha/approvals-domain';
import { type ServiceSpec, reactionMetadata } from '@dotpha/service-runtime';
import { PROPOSAL_STREAM_TYPE, type ReviewOutcome, proposalDecider, proposalStreamId } from '@dotpha/proposals-domain';
import { proposalsProjection, registrationsProjection } from './projections';

const OUTCOMES: Record<string, ReviewOutcome> = {
  ReviewOpened: 'review-opened',
  RevisionRequested: 'revision-requested',
  ProposalRejected: 'rejected',
  ReviewEscalated: 'escalated',
};

export const proposalsService: ServiceSpec = {
  name: 'proposals',
  reads: ['proposals', 'approvals'],
  projections: [proposalsProjection, registrationsProjection],
  reactors: [
    {
      name: 'review-outcomes',
      handles: ['ReviewOpened', 'RevisionRequested', 'ProposalApproved', 'ProposalRejected', 'ReviewEscalated'],
      async react(event, kernel) {
        const d = event.data as { proposalId: string; round: number };
        const outcome = event.type === 'ProposalApproved' ? (`approved-${(d as ProposalApproved['data']).decision}` as const) : OUTCOMES[event.type];
        // The decider keeps the (round, outcome) pairs it recorded, so a redelivery appends nothing.
        await kernel.execute(proposalDecider, PROPOSAL_STREAM_TYPE, proposalStreamId(d.proposalId), {
          type: 'RecordReviewOutcome',
          data: { proposalId: d.proposalId, outcome, round: d.round, at: event.occurredAt },
          metadata: reactionMetadata(event, kernel.now()),
        });
      },
    },
  ],
};
