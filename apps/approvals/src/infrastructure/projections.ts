import { assertNever, projection } from '@dotpha/kernel';
import { type ReviewEvent, approvalsEventDefinitions, initialReviewState, reviewDecider } from '@dotpha/approvals-domain';
import { REVIEWS, type ReviewDocument } from '../application/review-document';

export const reviewsProjection = projection<ReviewDocument, ReviewEvent>({
  name: 'reviews',
  collection: REVIEWS,
  canHandle: approvalsEventDefinitions.map((d) => d.type),
  key: (e) => e.data.proposalId,
  apply: (current, event) => {
    const state = reviewDecider.evolve(current ?? initialReviewState(), event);
    if (state.status === 'not-opened') throw new Error(`${event.type} of '${event.streamId}' came before its ReviewOpened`);
    return { ...state, ...trail(current, event), position: event.streamPosition, lastChangedAt: event.occurredAt };
  },
});

function trail(previous: ReviewDocument | undefined, event: ReviewEvent): Pick<ReviewDocument, 'escalations' | 'outcome'> {
  const escalations = previous?.escalations ?? [];
  const outcome = previous?.outcome ?? null;
  switch (event.type) {
    case 'ReviewOpened':
      // A new round: escalations stay as the proposal's trail, the last round's outcome does not.
      return { escalations, outcome: null };
    case 'ReviewEscalated': {
      const { round, fromUnitId, reviewerUnitId, escalatedBy, overdue, escalatedAt } = event.data;
      return { escalations: [...escalations, { round, fromUnitId, toUnitId: reviewerUnitId, escalatedBy, overdue, escalatedAt }], outcome };
    }
    case 'RevisionRequested': {
      const { round, reasons, requestedBy, overdue, requestedAt } = event.data;
      return { escalations, outcome: { kind: 'revision-requested', round, reasons, requestedBy, overdue, at: requestedAt } };
    }
    case 'ProposalRejected': {
      const { round, reasons, decidedBy, legalBasis, overdue, rejectedAt } = event.data;
      return { escalations, outcome: { kind: 'rejected', round, reasons, decidedBy, legalBasis, overdue, at: rejectedAt } };
    }
    case 'ProposalApproved': {
      const { round, reasons, decision, decidedBy, legalBasis, plan, overdue, decidedAt } = event.data;
      return { escalations, outcome: { kind: 'approved', round, reasons, decision, decidedBy, legalBasis, plan, overdue, at: decidedAt } };
    }
    // A closure keeps the outcome it came after (SAGA-withdraw: afterDecision says which).
    case 'ReviewClosed':
    case 'PartyCommitteeConsulted':
    case 'CollectiveVoteRecorded':
    case 'CollectiveVoteTallied':
    case 'HeadOverrideAuthorized':
      return { escalations, outcome };
    default:
      return assertNever(event, 'review event');
  }
}
