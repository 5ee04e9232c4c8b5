import type { DomainEvent } from '@dotpha/kernel';
import { type ServiceSpec, documentAccess, reactionMetadata, reactor, readAccessByStreamType } from '@dotpha/service-runtime';
import {
  ASSIGNMENT_STREAM_TYPE, PROPOSAL_STREAM_TYPE, REGISTRATION_STREAM_TYPE, type ReviewOutcome, proposalDecider, proposalStreamId,
} from '@dotpha/proposals-domain';
import { seesAssignment } from '../application/assignments.service';
import { proposalDisclosure, seesProposal } from '../application/proposals.service';
import { seesRegistration } from '../application/registrations.service';
import { type PublishedApproval, approvalFacts } from './approval-facts';
import type { AssignmentView, ProposalView } from '../application/read-models';
import { assignmentsProjection, proposalsProjection, registrationsProjection } from './projections';

/** The review's steps as approvals publishes them, by the fields read here. */
type ReviewStep =
  | DomainEvent<'ReviewOpened' | 'RevisionRequested' | 'ProposalRejected' | 'ReviewEscalated', { readonly proposalId: string; readonly round: number }>
  | DomainEvent<'ProposalApproved', PublishedApproval & { readonly proposalId: string; readonly round: number }>;

const OUTCOMES: Record<Exclude<ReviewStep['type'], 'ProposalApproved'>, ReviewOutcome> = {
  ReviewOpened: 'review-opened',
  RevisionRequested: 'revision-requested',
  ProposalRejected: 'rejected',
  ReviewEscalated: 'escalated',
};

export const proposalsService: ServiceSpec = {
  name: 'proposals',
  reads: ['proposals', 'approvals'],
  projections: [proposalsProjection, registrationsProjection, assignmentsProjection],
  /** The audit trail reads each stream by the predicate and the disclosure of its queries. */
  readAccess: readAccessByStreamType({
    [PROPOSAL_STREAM_TYPE]: documentAccess<ProposalView>('proposals', (caller, doc, kernel) => (seesProposal(kernel.config.org, caller, doc) ? proposalDisclosure(caller, doc) : 'none')),
    [ASSIGNMENT_STREAM_TYPE]: documentAccess<AssignmentView>('assignments', (caller, doc, kernel) => (seesAssignment(kernel.config.org, caller, doc) ? 'full' : 'none')),
    [REGISTRATION_STREAM_TYPE]: (caller, stream, kernel) => (seesRegistration(kernel.config.org, caller, (stream.first.data as { unitId: string }).unitId) ? 'full' : 'none'),
  }),
  reactors: [
    reactor<ReviewStep>({
      name: 'review-outcomes',
      canHandle: ['ReviewOpened', 'RevisionRequested', 'ProposalApproved', 'ProposalRejected', 'ReviewEscalated'],
      async react(event, kernel) {
        const d = event.data;
        const approved = event.type === 'ProposalApproved' ? approvalFacts(event.data, kernel.config.policy.legalBasis) : null;
        const outcome: ReviewOutcome = event.type === 'ProposalApproved' ? `approved-${event.data.decision}` : OUTCOMES[event.type];
        // The decider keeps the (round, outcome) pairs it recorded, so a redelivery appends nothing;
        // it records nothing once the proposal is withdrawn (SAGA-withdraw), and monitoring plans
        // pilots from what it records, never from ProposalApproved itself.
        await kernel.execute(proposalDecider, PROPOSAL_STREAM_TYPE, proposalStreamId(d.proposalId), {
          type: 'RecordReviewOutcome',
          data: { proposalId: d.proposalId, outcome, round: d.round, at: event.occurredAt, ...(approved ? { approval: approved } : {}) },
          metadata: reactionMetadata(event, kernel.now()),
        });
      },
    }),
  ],
};
