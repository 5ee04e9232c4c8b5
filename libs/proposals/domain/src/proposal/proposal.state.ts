import { assertNever } from '@dotpha/kernel';
import { type ProposalContent, contentOf } from './content';
import type { ProposalEvent } from './events';
import { type ProposalStatus, REVIEW_OUTCOMES, type ReviewOutcome } from './lifecycle';

export interface Proposal {
  readonly status: ProposalStatus;
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly content: ProposalContent;
  /** Submissions so far. */
  readonly revision: number;
  /** Outcomes already recorded, so a redelivered report from approvals changes nothing. */
  readonly recordedOutcomes: readonly { readonly round: number; readonly outcome: ReviewOutcome }[];
}

export type ProposalState = { readonly status: 'none' } | Proposal;

export const initialProposalState = (): ProposalState => ({ status: 'none' });

export function evolveProposal(state: ProposalState, event: ProposalEvent): ProposalState {
  switch (event.type) {
    case 'ProposalDrafted': {
      const { proposalId, proposerId, proposerUnitId } = event.data;
      const content = contentOf(event.data);
      return { status: 'draft', proposalId, proposerId, proposerUnitId, content, revision: 0, recordedOutcomes: [] };
    }
    case 'ProposalRevised':
      return { ...started(state), content: contentOf(event.data) };
    case 'ProposalSubmitted':
      return { ...started(state), status: 'submitted', content: contentOf(event.data), revision: event.data.revision };
    case 'ProposalWithdrawn':
      return { ...started(state), status: 'withdrawn' };
    case 'ProposalReviewOutcomeRecorded': {
      const proposal = started(state);
      const { round, outcome } = event.data;
      return {
        ...proposal,
        status: REVIEW_OUTCOMES[outcome].to,
        recordedOutcomes: [...proposal.recordedOutcomes, { round, outcome }],
      };
    }
    default:
      return assertNever(event, 'proposal event');
  }
}

function started(state: ProposalState): Proposal {
  if (state.status === 'none') throw new Error('a proposal stream starts with ProposalDrafted');
  return state;
}
