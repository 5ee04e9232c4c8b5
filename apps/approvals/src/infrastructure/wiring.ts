import type { DomainEvent } from '@dotpha/kernel';
import { type ReadAccess, type ServiceSpec, reactionMetadata, reactor, storedStream } from '@dotpha/service-runtime';
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
  async readAccess(caller, streamId, kernel): Promise<ReadAccess> {
    const stream = await storedStream(kernel.store, streamId);
    if (stream?.type !== REVIEW_STREAM_TYPE) return 'none';
    const doc = await kernel.readModels.get<ReviewDocument>(REVIEWS, stream.key);
    return doc && seesReview(kernel.config.org, caller, doc.data) ? reviewDisclosure(caller, doc.data) : 'none';
  },
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
