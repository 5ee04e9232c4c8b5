import type { Command } from '@dotpha/kernel';
import type { Coverage } from '../people';
import type { ApprovalFacts } from './approval';
import type { ProposalContent } from './content';
import type { ReviewOutcome } from './lifecycle';

interface ProposalRef {
  readonly proposalId: string;
}

/** The actor is the proposer; the application fills `proposerUnitId` from the organisation chart. */
export type DraftProposal = Command<'DraftProposal', ProposalRef & ProposalContent & { readonly proposerUnitId: string }>;
/** Replaces the whole content, as the proposer's form holds it. */
export type ReviseProposal = Command<'ReviseProposal', ProposalRef & ProposalContent>;
/**
 * D73-2: the application states the instance's coverage, whether the org chart covers the
 * proposer under it, and the legal basis the instance runs under.
 */
export type SubmitProposal = Command<
  'SubmitProposal',
  ProposalRef & { readonly coverage: Coverage; readonly proposerCovered: boolean; readonly legalBasis: string }
>;
export type WithdrawProposal = Command<'WithdrawProposal', ProposalRef & { readonly reason?: string }>;
/**
 * Issued by the application when the approvals context reports on the review; `at` is when the
 * approvals fact happened. `round` must identify the review round (a new one per opened review).
 */
export type RecordReviewOutcome = Command<
  'RecordReviewOutcome',
  ProposalRef & {
    readonly outcome: ReviewOutcome;
    readonly round: number;
    readonly at: string;
    /** Required with an approved outcome: what approvals decided (SAGA-withdraw). */
    readonly approval?: ApprovalFacts;
  }
>;

export type ProposalCommand = DraftProposal | ReviseProposal | SubmitProposal | WithdrawProposal | RecordReviewOutcome;
