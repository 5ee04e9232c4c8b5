import { isDeepStrictEqual } from 'util';
import { Forbidden, IllegalTransition, InvalidInput, NotFound, RuleViolation, deciderOf } from '@dotpha/kernel';
import { requireOneOf, requireText } from '../input';
import { COVERAGES } from '../people';
import { recordApproval } from './approval';
import type {
  DraftProposal,
  ProposalCommand,
  RecordReviewOutcome,
  ReviseProposal,
  SubmitProposal,
  WithdrawProposal,
} from './commands';
import { checkContent, contentOf } from './content';
import type { ProposalEvent } from './events';
import { DECIDED, EDITABLE, REVIEW_OUTCOMES, REVIEW_OUTCOME_NAMES } from './lifecycle';
import { type Proposal, type ProposalState, evolveProposal, initialProposalState } from './proposal.state';
import { completeReport } from './report';

function draftProposal(command: DraftProposal, state: ProposalState): readonly ProposalEvent[] {
  if (state.status !== 'none') throw new IllegalTransition('proposal', state.status, command.type);
  const { proposalId, proposerUnitId } = command.data;
  const content = contentOf(command.data);
  checkContent(content, command.metadata.actor.userId);
  return [
    {
      type: 'ProposalDrafted',
      data: {
        proposalId: requireText(proposalId, 'proposalId'),
        proposerId: command.metadata.actor.userId,
        proposerUnitId: requireText(proposerUnitId, 'proposerUnitId'),
        ...content,
        draftedAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

function reviseProposal(command: ReviseProposal, state: ProposalState): readonly ProposalEvent[] {
  const proposal = editableByProposer(command, state);
  const content = contentOf(command.data);
  checkContent(content, proposal.proposerId);
  // A repeated save of the same form is not a new fact.
  if (isDeepStrictEqual(content, proposal.content)) return [];
  const revisedAt = command.metadata.now.toISOString();
  return [{ type: 'ProposalRevised', data: { proposalId: proposal.proposalId, ...content, revisedAt } }];
}

function submitProposal(command: SubmitProposal, state: ProposalState): readonly ProposalEvent[] {
  const proposal = editableByProposer(command, state);
  const { proposalId, proposerId, proposerUnitId, content } = proposal;
  const coverage = requireOneOf(command.data.coverage, COVERAGES, 'coverage');
  // D73-2: Decree 73 (Art. 2, as summarised by legal news sites) covers leaders and managers; an
  // instance running it takes proposals from the cadres its org chart covers, and no one else.
  if (coverage === 'leaders-and-managers' && command.data.proposerCovered !== true) {
    throw new RuleViolation('D73-2', 'under this instance\'s policy only leaders and managers may submit a proposal', {
      coverage,
      proposerId,
    });
  }
  const legalBasis = requireText(command.data.legalBasis, 'legalBasis');
  return [
    {
      type: 'ProposalSubmitted',
      data: {
        proposalId,
        revision: proposal.revision + 1,
        proposerId,
        proposerUnitId,
        ...content,
        report: completeReport(content.report),
        legalBasis,
        submittedAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

function withdrawProposal(command: WithdrawProposal, state: ProposalState): readonly ProposalEvent[] {
  const proposal = byProposer(command, existing(command, state));
  if (proposal.status === 'withdrawn' || DECIDED.includes(proposal.status)) {
    throw new IllegalTransition('proposal', proposal.status, command.type);
  }
  const { proposalId, proposerId, proposerUnitId, status } = proposal;
  const { reason } = command.data;
  return [
    {
      type: 'ProposalWithdrawn',
      data: {
        proposalId,
        proposerId,
        proposerUnitId,
        previousStatus: status,
        ...(reason === undefined ? {} : { reason: requireText(reason, 'reason') }),
        withdrawnAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

function recordReviewOutcome(command: RecordReviewOutcome, state: ProposalState): readonly ProposalEvent[] {
  const proposal = existing(command, state);
  const { round } = command.data;
  const outcome = requireOneOf(command.data.outcome, REVIEW_OUTCOME_NAMES, 'outcome');
  if (!Number.isInteger(round) || round < 1) throw new InvalidInput('round must be a positive integer', { round });
  const at = new Date(command.data.at);
  if (Number.isNaN(at.getTime())) throw new InvalidInput(`at '${command.data.at}' is not a timestamp`, { at: command.data.at });
  // SAGA-withdraw: the proposal stream is the arbiter. Whatever approvals decided after the
  // proposer withdrew is not the proposal's any more: nothing is recorded, so nothing downstream
  // (a pilot) can follow. Not an error either: the approvals context closes its review on the
  // withdrawal, and a refusal here would only park the event as a dead letter.
  if (proposal.status === 'withdrawn') return [];
  if (proposal.recordedOutcomes.some((r) => r.round === round && r.outcome === outcome)) return [];
  if (!REVIEW_OUTCOMES[outcome].from.includes(proposal.status)) {
    throw new IllegalTransition('proposal', proposal.status, `${command.type}(${outcome})`);
  }
  const data = { proposalId: proposal.proposalId, outcome, round, at: at.toISOString() };
  if (outcome !== 'approved-implementation' && outcome !== 'approved-pilot') {
    return [{ type: 'ProposalReviewOutcomeRecorded', data }];
  }
  const { approval } = command.data;
  if (!approval) throw new InvalidInput(`an ${outcome} outcome carries the approval`, { outcome });
  if (`approved-${approval.decision}` !== outcome) {
    throw new InvalidInput(`the approval decides '${approval.decision}', not '${outcome}'`, { outcome, decision: approval.decision });
  }
  const { proposerId, proposerUnitId } = proposal;
  const recorded = recordApproval(approval, { proposerId, proposerUnitId, coProposerIds: proposal.content.coProposerIds });
  return [{ type: 'ProposalReviewOutcomeRecorded', data: { ...data, approval: recorded } }];
}

function existing(command: ProposalCommand, state: ProposalState): Proposal {
  const { proposalId } = command.data;
  if (state.status === 'none') throw new NotFound('proposal', proposalId);
  if (state.proposalId !== proposalId) {
    throw new InvalidInput(`this stream holds proposal '${state.proposalId}', not '${proposalId}'`, { proposalId });
  }
  return state;
}

/** Only the cadre who made the proposal may change, submit or withdraw it. */
function byProposer(command: ProposalCommand, proposal: Proposal): Proposal {
  if (command.metadata.actor.userId !== proposal.proposerId) {
    throw new Forbidden(`only the proposer may ${command.type}`, { proposalId: proposal.proposalId, command: command.type });
  }
  return proposal;
}

function editableByProposer(command: ReviseProposal | SubmitProposal, state: ProposalState): Proposal {
  const proposal = byProposer(command, existing(command, state));
  if (!EDITABLE.includes(proposal.status)) throw new IllegalTransition('proposal', proposal.status, command.type);
  return proposal;
}

export const proposalDecider = deciderOf<ProposalState, ProposalCommand, ProposalEvent>({
  initialState: initialProposalState,
  evolve: evolveProposal,
  commands: {
    DraftProposal: draftProposal,
    ReviseProposal: reviseProposal,
    SubmitProposal: submitProposal,
    WithdrawProposal: withdrawProposal,
    RecordReviewOutcome: recordReviewOutcome,
  },
});
