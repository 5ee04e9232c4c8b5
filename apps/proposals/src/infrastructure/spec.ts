import { type ServiceSpec, reactionMetadata } from '@dotpha/service-runtime';
import { PROPOSAL_STREAM_TYPE, type ReviewOutcome, proposalDecider, proposalStreamId } from '@dotpha/proposals-domain';
import { type PublishedApproval, approvalFacts } from './approval-facts';
import { assignmentsProjection, proposalsProjection, registrationsProjection } from './projections';

const OUTCOMES: Record<string, ReviewOutcome> = {
  ReviewOpened: 'review-opened',
  RevisionRequested: 'revision-requested',
  ProposalRejected: 'rejected',
  ReviewEscalated: 'escalated',
};

export const proposalsService: ServiceSpec = {
  name: 'proposals',
  reads: ['proposals', 'approvals'],
  projections: [proposalsProjection, registrationsProjection, assignmentsProjection],
  reactors: [
    {
      name: 'review-outcomes',
      handles: ['ReviewOpened', 'RevisionRequested', 'ProposalApproved', 'ProposalRejected', 'ReviewEscalated'],
      async react(event, kernel) {
        const d = event.data as { proposalId: string; round: number };
        const approved = event.type === 'ProposalApproved' ? approvalFacts(event.data as PublishedApproval, kernel.config.policy.legalBasis) : null;
        const outcome: ReviewOutcome = approved ? `approved-${approved.decision}` : OUTCOMES[event.type];
        // The decider keeps the (round, outcome) pairs it recorded, so a redelivery appends nothing;
        // it records nothing once the proposal is withdrawn (SAGA-withdraw), and monitoring plans
        // pilots from what it records, never from ProposalApproved itself.
        await kernel.execute(proposalDecider, PROPOSAL_STREAM_TYPE, proposalStreamId(d.proposalId), {
          type: 'RecordReviewOutcome',
          data: { proposalId: d.proposalId, outcome, round: d.round, at: event.occurredAt, ...(approved ? { approval: approved } : {}) },
          metadata: reactionMetadata(event, kernel.now()),
        });
      },
    },
  ],
};
