import type { DomainEvent } from '@dotpha/kernel';
import { type ServiceSpec, documentAccess, reactionMetadata, reactor, readAccessByStreamType } from '@dotpha/service-runtime';
import { type CloseReview, type OpenReview, REVIEW_STREAM_TYPE, reviewDecider, reviewStreamId } from '@dotpha/approvals-domain';
import { reviewDisclosure, seesReview } from '../application/reviews.service';
import { type Submission, routingForSubmission } from '../application/routing';
import { REVIEWS, type ReviewDocument } from '../application/review-document';
import { reviewsProjection } from './projections';

export const approvalsService: ServiceSpec = {
  name: 'approvals',
  reads: ['approvals'],
  projections: [reviewsProjection],
  /** The audit trail reads a review by the predicate and the disclosure of the review queries. */
  readAccess: readAccessByStreamType({
    [REVIEW_STREAM_TYPE]: documentAccess<ReviewDocument>(REVIEWS, (caller, doc, kernel) => (seesReview(kernel.config.org, caller, doc) ? reviewDisclosure(caller, doc) : 'none')),
  }),
  reactors: [
    reactor<DomainEvent<'ProposalSubmitted', Submission>>({
      // One round per submission; the decider ignores a round it already opened (redelivery).
      name: 'open-review',
      canHandle: ['ProposalSubmitted'],
      async react(event, kernel) {
        const submission = event.data;
        const { org, policy } = kernel.config;
        const command: OpenReview = {
          type: 'OpenReview',
          data: {
            proposalId: submission.proposalId,
            round: submission.revision,
            proposerId: submission.proposerId,
            proposerUnitId: submission.proposerUnitId,
            scopeUnitIds: submission.scopeUnitIds,
            ...routingForSubmission(org, policy, submission),
          },
          metadata: reactionMetadata(event, kernel.now()),
        };
        await kernel.execute(reviewDecider, REVIEW_STREAM_TYPE, reviewStreamId(submission.proposalId), command);
      },
    }),
    reactor<DomainEvent<'ProposalWithdrawn', { readonly proposalId: string }>>({
      // SAGA-withdraw: a withdrawn proposal's review closes; nothing is decided on it afterwards.
      // Redelivery and a withdrawal after a rejection (final) record nothing, by the decider.
      name: 'close-review',
      canHandle: ['ProposalWithdrawn'],
      async react(event, kernel) {
        const { proposalId } = event.data;
        const command: CloseReview = {
          type: 'CloseReview',
          data: { proposalId, reason: 'withdrawn' },
          metadata: reactionMetadata(event, kernel.now()),
        };
        await kernel.execute(reviewDecider, REVIEW_STREAM_TYPE, reviewStreamId(proposalId), command);
      },
    }),
  ],
};
