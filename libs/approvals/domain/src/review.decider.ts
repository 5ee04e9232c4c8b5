import { type CommandMetadata, Forbidden, IllegalTransition, InvalidInput, RuleViolation, deciderOf } from '@dotpha/kernel';
import { tallyOf } from './collective-vote';
import type {
  ApproveProposal,
  AuthorizeHeadOverride,
  CloseReview,
  ConsultPartyCommittee,
  EscalateReview,
  OpenReview,
  RecordCollectiveVote,
  RejectProposal,
  RequestRevision,
  ReviewCommand,
  TallyCollectiveVote,
} from './commands';
import { isOverdue } from './deadlines';
import { APPROVAL_DECISIONS, type ApprovalDecision, CLOSE_REASONS, type DecidedBy, type ReviewEvent, VOTES } from './events';
import * as input from './input';
import { checkPlan } from './plan';
import { checkRouting } from './routing';
import {
  type ReviewRound,
  type ReviewState,
  chairsOf,
  collectiveDecides,
  decidersOf,
  evolveReview,
  hasVotes,
  initialReviewState,
  meetingChairsOf,
  phaseOf,
} from './review.state';

type OpenRound = ReviewRound & { readonly status: 'open' };

const illegal = (state: ReviewState, command: ReviewCommand): never => {
  throw new IllegalTransition('Review', phaseOf(state), command.type);
};

/** Every decision on a round names the proposal and the round. */
const roundOf = (review: ReviewRound) => ({ proposalId: review.proposalId, round: review.round });

const isOpen = (state: ReviewState): state is OpenRound => state.status === 'open';

const openRound = (state: ReviewState, command: ReviewCommand): OpenRound => (isOpen(state) ? state : illegal(state, command));

function assertActs(allowed: readonly string[], review: ReviewRound, command: ReviewCommand): void {
  const { userId } = command.metadata.actor;
  if (!allowed.includes(userId)) {
    const where = `round ${review.round} at unit '${review.routing.reviewerUnitId}'`;
    throw new Forbidden(`'${userId}' may not ${command.type} in ${where}`, { userId, command: command.type });
  }
}

const assertDecider = (review: ReviewRound, command: ReviewCommand) =>
  assertActs(decidersOf(review), review, command);

function openReview(command: OpenReview, state: ReviewState): ReviewEvent[] {
  const { data, metadata } = command;
  const proposalId = input.text(data.proposalId, 'proposalId');
  const round = input.positiveInteger(data.round, 'round');
  if (state.status !== 'not-opened') {
    if (proposalId !== state.proposalId) {
      throw new InvalidInput(`this stream reviews proposal '${state.proposalId}'`, { field: 'proposalId' });
    }
    // A redelivered submission: that round, or a later one, is already open.
    if (round <= state.round) return [];
    if (state.status !== 'revision-requested') return illegal(state, command);
  }
  const proposerId = input.text(data.proposerId, 'proposerId');
  return [
    {
      type: 'ReviewOpened',
      data: {
        proposalId,
        round,
        proposerId,
        proposerUnitId: input.text(data.proposerUnitId, 'proposerUnitId'),
        scopeUnitIds: input.ids(data.scopeUnitIds, 'scopeUnitIds'),
        ...checkRouting(data, proposerId, metadata.now),
        // D73-4b: not a setting any more; the field stays in the published event.
        requirePartyConsultation: true,
        openedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function consultPartyCommittee(command: ConsultPartyCommittee, state: ReviewState): ReviewEvent[] {
  const review = openRound(state, command);
  assertDecider(review, command);
  const { data, metadata } = command;
  const consultedAt = input.optional(data.consultedAt, (at) => input.instant(at, 'consultedAt')) ?? metadata.now.toISOString();
  if (Date.parse(consultedAt) > metadata.now.getTime()) {
    throw new InvalidInput('consultedAt lies in the future', { field: 'consultedAt' });
  }
  if (consultedAt < review.routedAt) {
    throw new RuleViolation('D73-4', 'the reviewing level consults its party committee after it received this round');
  }
  return [
    {
      type: 'PartyCommitteeConsulted',
      data: {
        ...roundOf(review),
        unitId: review.routing.reviewerUnitId,
        opinion: input.text(data.opinion, 'opinion'),
        consultedAt,
        recordedBy: metadata.actor.userId,
      },
    },
  ];
}

function recordCollectiveVote(command: RecordCollectiveVote, state: ReviewState): ReviewEvent[] {
  const review = openRound(state, command);
  if (review.tally) return illegal(state, command);
  const { data, metadata } = command;
  const memberId = input.text(data.memberId, 'memberId');
  const vote = input.oneOf(data.vote, VOTES, 'vote');
  if (memberId === review.proposerId) {
    throw new RuleViolation('D73-8.1a', 'a proposing deputy does not vote on their own proposal');
  }
  if (!review.routing.collectiveMemberIds.includes(memberId)) {
    throw new RuleViolation('D73-8.1a', `'${memberId}' is not a member of the collective`, { memberId });
  }
  if (review.votes[memberId]) throw new RuleViolation('D73-8.1a', `'${memberId}' has already voted`, { memberId });
  assertActs([memberId, ...chairsOf(review)], review, command);
  return [
    {
      type: 'CollectiveVoteRecorded',
      data: {
        ...roundOf(review),
        memberId,
        vote,
        recordedBy: metadata.actor.userId,
        recordedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function tallyCollectiveVote(command: TallyCollectiveVote, state: ReviewState): ReviewEvent[] {
  const review = openRound(state, command);
  if (review.tally) return illegal(state, command);
  const closeMeeting = input.optional(command.data.closeMeeting, (c) => input.flag(c, 'closeMeeting')) ?? false;
  // Any chair counts a vote every member has cast; only the one who chairs the meeting closes it.
  assertActs(closeMeeting ? meetingChairsOf(review) : chairsOf(review), review, command);
  return [
    {
      type: 'CollectiveVoteTallied',
      data: {
        ...roundOf(review),
        ...tallyOf(review, closeMeeting),
        talliedAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

function authorizeHeadOverride(command: AuthorizeHeadOverride, state: ReviewState): ReviewEvent[] {
  const review = openRound(state, command);
  if (review.tally?.result !== 'rejected' || review.overridden) return illegal(state, command);
  const { headId } = review.routing;
  // Nobody takes personal responsibility for overruling the collective on their own proposal.
  assertActs(headId === review.proposerId ? [] : [headId], review, command);
  return [
    {
      type: 'HeadOverrideAuthorized',
      data: {
        ...roundOf(review),
        headId,
        writtenAuthorization: input.text(command.data.writtenAuthorization, 'writtenAuthorization'),
        personalResponsibility: true,
        authorizedAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

function escalateReview(command: EscalateReview, state: ReviewState): ReviewEvent[] {
  const review = openRound(state, command);
  assertDecider(review, command);
  const { data, metadata } = command;
  const reasons = input.text(data.reasons, 'reasons');
  // Passing on a case the level may decide itself is the shirking D73-6 forbids.
  if (review.routing.authorityCoversScope) {
    throw new RuleViolation('C14-2.3c', 'the managing level decides within its authority; only a case beyond it goes upward');
  }
  const routing = checkRouting(data, review.proposerId, metadata.now);
  if (routing.reviewerUnitId === review.routing.reviewerUnitId) {
    throw new InvalidInput('an escalation goes to another unit', { field: 'reviewerUnitId' });
  }
  return [
    {
      type: 'ReviewEscalated',
      data: {
        ...roundOf(review),
        reasons,
        fromUnitId: review.routing.reviewerUnitId,
        ...routing,
        escalatedBy: metadata.actor.userId,
        overdue: isOverdue(review, metadata.now),
        escalatedAt: metadata.now.toISOString(),
      },
    },
  ];
}

const noVoteHeld = () => new RuleViolation('D73-8.1a', 'the collective decides by vote; none has been held');

/** A vote under way is tallied before anyone decides: the outcome is the collective's (D73-8.1b). */
function assertCollectiveSettled(review: OpenRound): void {
  if (hasVotes(review) && !review.tally) {
    throw new RuleViolation('D73-8.1b', "the collective's vote is to be tallied before deciding");
  }
}

/** A revision request or a rejection may not undo an approving vote or the head's override. */
function assertNotApprovedByCollective(review: OpenRound, command: ReviewCommand): void {
  if (review.overridden) illegal(review, command);
  assertCollectiveSettled(review);
  if (review.tally?.result === 'approved') {
    throw new RuleViolation('D73-8.1b', 'the collective voted to approve; the decision follows its vote');
  }
}

/** HCM3815-2: the collective that decided is named; D73-10b: so is the head who answers for it. */
const decidedBy = (review: ReviewRound, metadata: CommandMetadata): DecidedBy => {
  const collective = review.tally !== null && !review.overridden;
  const { headId } = review.routing;
  return {
    unitId: review.routing.reviewerUnitId,
    reviewerId: metadata.actor.userId,
    collective,
    override: review.overridden,
    collectiveMemberIds: collective ? review.routing.collectiveMemberIds : [],
    headId: headId === review.proposerId ? null : headId,
  };
};

function requestRevision(command: RequestRevision, state: ReviewState): ReviewEvent[] {
  const review = openRound(state, command);
  assertDecider(review, command);
  assertNotApprovedByCollective(review, command);
  const { metadata } = command;
  return [
    {
      type: 'RevisionRequested',
      data: {
        ...roundOf(review),
        proposerId: review.proposerId,
        reviewerUnitId: review.routing.reviewerUnitId,
        reasons: input.text(command.data.reasons, 'reasons'),
        requestedBy: metadata.actor.userId,
        overdue: isOverdue(review, metadata.now),
        requestedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function rejectProposal(command: RejectProposal, state: ReviewState): ReviewEvent[] {
  const review = openRound(state, command);
  assertDecider(review, command);
  assertNotApprovedByCollective(review, command);
  if (collectiveDecides(review) && !review.tally) throw noVoteHeld();
  const { metadata } = command;
  return [
    {
      type: 'ProposalRejected',
      data: {
        ...roundOf(review),
        proposerId: review.proposerId,
        proposerUnitId: review.proposerUnitId,
        reasons: input.text(command.data.reasons, 'reasons'),
        decidedBy: decidedBy(review, metadata),
        legalBasis: input.text(command.data.legalBasis, 'legalBasis'),
        overdue: isOverdue(review, metadata.now),
        rejectedAt: metadata.now.toISOString(),
      },
    },
  ];
}

const ATTESTED = ['notContraryToConstitution', 'notContraryToPartyCharter', 'notContraryToLaw'] as const;

const isDecision = (value: string): value is ApprovalDecision => (APPROVAL_DECISIONS as readonly string[]).includes(value);

/** Approval where the collective decides needs its approving vote, or the head's override of its rejection. */
function assertCollectiveApproves(review: OpenRound, command: ApproveProposal): void {
  if (!collectiveDecides(review)) return;
  assertCollectiveSettled(review);
  if (!review.tally) throw noVoteHeld();
  if (review.tally.result === 'approved') return;
  if (!review.overridden) {
    throw new RuleViolation('D73-8.1c', 'the collective rejected it; only the head, authorising it in writing, may approve');
  }
  assertActs([review.routing.headId], review, command);
}

function approveProposal(command: ApproveProposal, state: ReviewState): ReviewEvent[] {
  const review = openRound(state, command);
  assertDecider(review, command);
  const { data, metadata } = command;
  if (!ATTESTED.every((clause) => data.attestation?.[clause] === true)) {
    throw new RuleViolation('C14-2.3d', 'approval attests conformity with the Constitution, the Party Charter and the law');
  }
  const { decision } = data;
  if (!isDecision(decision)) throw new RuleViolation('C14-2.3e', "the decision is 'implementation' or 'pilot'", { decision });
  const plan = checkPlan(decision, data.plan, metadata.now);
  const reasons = input.text(data.reasons, 'reasons');
  const legalBasis = input.text(data.legalBasis, 'legalBasis');
  if (!review.routing.authorityCoversScope) {
    throw new RuleViolation('C14-2.3c', "the scope is beyond the reviewer's authority: escalate to the directly managing level");
  }
  // D73-4b: mandatory whatever an old ReviewOpened said about the instance's policy.
  if (!review.consultation) {
    throw new RuleViolation('D73-4', 'the same-level party committee is consulted before approving');
  }
  assertCollectiveApproves(review, command);
  return [
    {
      type: 'ProposalApproved',
      data: {
        ...roundOf(review),
        proposerId: review.proposerId,
        proposerUnitId: review.proposerUnitId,
        decision,
        reasons,
        decidedBy: decidedBy(review, metadata),
        legalBasis,
        attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
        plan,
        overdue: isOverdue(review, metadata.now),
        decidedAt: metadata.now.toISOString(),
      },
    },
  ];
}

/**
 * SAGA-withdraw: a withdrawn proposal's review ends whatever stage it reached, so that no decision
 * follows. A redelivered withdrawal finds it closed and changes nothing; a rejection is final and
 * stays as it is; a proposal withdrawn before any review opened has nothing to close.
 */
function closeReview(command: CloseReview, state: ReviewState): ReviewEvent[] {
  const { data, metadata } = command;
  const proposalId = input.text(data.proposalId, 'proposalId');
  const reason = input.oneOf(data.reason, CLOSE_REASONS, 'reason');
  if (state.status === 'not-opened' || state.status === 'closed' || state.status === 'rejected') return [];
  if (proposalId !== state.proposalId) {
    throw new InvalidInput(`this stream reviews proposal '${state.proposalId}'`, { field: 'proposalId' });
  }
  assertActs([state.proposerId], state, command);
  return [
    {
      type: 'ReviewClosed',
      data: {
        proposalId,
        round: state.round,
        reason,
        afterDecision: state.status === 'open' ? null : state.status,
        closedAt: metadata.now.toISOString(),
      },
    },
  ];
}

/** The review of one proposal across its rounds, stream `review-<proposalId>`. */
export const reviewDecider = deciderOf<ReviewState, ReviewCommand, ReviewEvent>({
  initialState: initialReviewState,
  evolve: evolveReview,
  commands: {
    OpenReview: openReview,
    ConsultPartyCommittee: consultPartyCommittee,
    RecordCollectiveVote: recordCollectiveVote,
    TallyCollectiveVote: tallyCollectiveVote,
    AuthorizeHeadOverride: authorizeHeadOverride,
    EscalateReview: escalateReview,
    RequestRevision: requestRevision,
    RejectProposal: rejectProposal,
    ApproveProposal: approveProposal,
    CloseReview: closeReview,
  },
});
