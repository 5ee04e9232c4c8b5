import { meta, samplePlan } from '@dotpha/testkit';
import type { ApproveProposal, CloseReview, EscalateReview, OpenReview, RecordCollectiveVote } from './commands';
import type { ApprovedPlan, CollectiveTally, ReviewEvent, DecidedBy, Routing, Vote } from './events';

/** Spec fixtures: a department whose head and two deputies review proposal p-1. */
export const PROPOSER = 'u-proposer';
export const HEAD = 'u-head';
export const DEPUTY_1 = 'u-deputy-1';
export const DEPUTY_2 = 'u-deputy-2';
export const DEPUTY_3 = 'u-deputy-3';
export const OUTSIDER = 'u-outsider';
export const UPPER_HEAD = 'u-upper-head';

export const OPENED_AT = '2026-03-02T08:00:00.000Z';
export const LATER = '2026-03-05T08:00:00.000Z';
/** 7 working days after OPENED_AT. */
export const DUE_BY = '2026-03-11T10:00:00.000Z';
export const AFTER_DUE = '2026-03-12T08:00:00.000Z';

export const LEGAL_BASIS = 'Kết luận 14-KL/TW ngày 22/9/2021 của Bộ Chính trị';

export const as = (userId: string, at = LATER, role = 'unit-head') => meta({ userId, role, at });

export const unitHeadRouting: Routing = {
  reviewerUnitId: 'unit-dept',
  route: 'unit-head',
  reviewerIds: [HEAD],
  collectiveMemberIds: [HEAD, DEPUTY_1, DEPUTY_2],
  headId: HEAD,
  authorityCoversScope: true,
  dueBy: DUE_BY,
};

export const collectiveRouting: Routing = { ...unitHeadRouting, route: 'collective' };

/** A unit without deputies: its collective is the head alone, who decides alone (D73-8.1a). */
export const headAloneRouting: Routing = { ...unitHeadRouting, collectiveMemberIds: [HEAD] };

export const upperRouting: Routing = {
  reviewerUnitId: 'unit-province',
  route: 'unit-head',
  reviewerIds: [UPPER_HEAD],
  collectiveMemberIds: [UPPER_HEAD],
  headId: UPPER_HEAD,
  authorityCoversScope: true,
  dueBy: '2026-03-16T10:00:00.000Z',
};

type Opening = OpenReview['data'];

const opening = (overrides: Partial<Opening>): Opening => ({
  proposalId: 'p-1',
  round: 1,
  proposerId: PROPOSER,
  proposerUnitId: 'unit-dept',
  scopeUnitIds: [],
  ...unitHeadRouting,
  ...overrides,
});

export const openReview = (overrides: Partial<Opening> = {}, at = OPENED_AT): OpenReview => ({
  type: 'OpenReview',
  data: opening(overrides),
  metadata: meta({ userId: PROPOSER, role: 'proposer', at }),
});

/** `requirePartyConsultation: false` is what a ReviewOpened of an instance that switched it off said. */
export const opened = (
  overrides: Partial<Opening> & { readonly requirePartyConsultation?: boolean } = {},
  openedAt = OPENED_AT,
): ReviewEvent<'ReviewOpened'> => ({
  type: 'ReviewOpened',
  data: { requirePartyConsultation: true, ...opening(overrides), openedAt },
});

export const consulted = (consultedAt = LATER, round = 1): ReviewEvent<'PartyCommitteeConsulted'> => ({
  type: 'PartyCommitteeConsulted',
  data: { proposalId: 'p-1', round, unitId: 'unit-dept', opinion: 'Đồng ý chủ trương', consultedAt, recordedBy: HEAD },
});

export const vote = (memberId: string, choice: Vote, by = HEAD): RecordCollectiveVote => ({
  type: 'RecordCollectiveVote',
  data: { memberId, vote: choice },
  metadata: as(by),
});

export const voted = (memberId: string, choice: Vote): ReviewEvent<'CollectiveVoteRecorded'> => ({
  type: 'CollectiveVoteRecorded',
  data: { proposalId: 'p-1', round: 1, memberId, vote: choice, recordedBy: HEAD, recordedAt: LATER },
});

export const tallied = (tally: CollectiveTally): ReviewEvent<'CollectiveVoteTallied'> => ({
  type: 'CollectiveVoteTallied',
  data: { proposalId: 'p-1', round: 1, ...tally, talliedAt: LATER },
});

/** Head, deputy 1 and deputy 2 vote; the given votes in that order. */
export const collectiveVoted = (head: Vote, first: Vote, second: Vote) => [
  voted(HEAD, head),
  voted(DEPUTY_1, first),
  voted(DEPUTY_2, second),
];

/** Every member of a collective of three voted. */
const allThreeVoted = { members: 3, participated: 3, quorum: true, tie: false, closedByHead: false } as const;

export const rejectedByCollective = (): ReviewEvent<'CollectiveVoteTallied'> =>
  tallied({ for: 1, against: 2, abstain: 0, ...allThreeVoted, headVote: 'for', result: 'rejected' });

export const approvedByCollective = (): ReviewEvent<'CollectiveVoteTallied'> =>
  tallied({ for: 3, against: 0, abstain: 0, ...allThreeVoted, headVote: 'for', result: 'approved' });

/** The collective of three (head and two deputies) voted for, unanimously. */
export const collectiveApprovedVote = () => [...collectiveVoted('for', 'for', 'for'), approvedByCollective()];

export const byReviewer: DecidedBy = {
  unitId: 'unit-dept',
  reviewerId: HEAD,
  collective: false,
  override: false,
  collectiveMemberIds: [],
  headId: HEAD,
};
export const byCollective: DecidedBy = { ...byReviewer, collective: true, collectiveMemberIds: [HEAD, DEPUTY_1, DEPUTY_2] };
export const byOverride: DecidedBy = { ...byReviewer, override: true };

export const overridden = (): ReviewEvent<'HeadOverrideAuthorized'> => ({
  type: 'HeadOverrideAuthorized',
  data: {
    proposalId: 'p-1',
    round: 1,
    headId: HEAD,
    writtenAuthorization: 'Văn bản số 12/UQ: người đứng đầu cho phép thực hiện',
    personalResponsibility: true,
    authorizedAt: LATER,
  },
});

export const escalate = (routing: Routing = upperRouting, by = HEAD): EscalateReview => ({
  type: 'EscalateReview',
  data: { ...routing, reasons: 'Phạm vi vượt thẩm quyền của sở' },
  metadata: as(by),
});

export const escalated = (routing: Routing = upperRouting): ReviewEvent<'ReviewEscalated'> => ({
  type: 'ReviewEscalated',
  data: {
    proposalId: 'p-1',
    round: 1,
    reasons: 'Phạm vi vượt thẩm quyền của sở',
    fromUnitId: 'unit-dept',
    ...routing,
    escalatedBy: HEAD,
    overdue: false,
    escalatedAt: LATER,
  },
});

export const revisionRequested = (round = 1): ReviewEvent<'RevisionRequested'> => ({
  type: 'RevisionRequested',
  data: {
    proposalId: 'p-1',
    round,
    proposerId: PROPOSER,
    reviewerUnitId: 'unit-dept',
    reasons: 'Bổ sung dự báo tác động',
    requestedBy: HEAD,
    overdue: false,
    requestedAt: LATER,
  },
});

export const pilotPlan: ApprovedPlan = { ...samplePlan('u-supervisor'), implementerIds: [] };

export const approve = (overrides: Partial<ApproveProposal['data']> = {}, by = HEAD, at = LATER): ApproveProposal => ({
  type: 'ApproveProposal',
  data: {
    decision: 'pilot',
    reasons: 'Giải quyết điểm nghẽn thủ tục',
    attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
    plan: pilotPlan,
    legalBasis: LEGAL_BASIS,
    ...overrides,
  },
  metadata: as(by, at),
});

export const approved = (overrides: Partial<ReviewEvent<'ProposalApproved'>['data']> = {}): ReviewEvent<'ProposalApproved'> => ({
  type: 'ProposalApproved',
  data: {
    proposalId: 'p-1',
    round: 1,
    proposerId: PROPOSER,
    proposerUnitId: 'unit-dept',
    decision: 'pilot',
    reasons: 'Giải quyết điểm nghẽn thủ tục',
    decidedBy: byCollective,
    legalBasis: LEGAL_BASIS,
    attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
    plan: pilotPlan,
    overdue: false,
    decidedAt: LATER,
    ...overrides,
  },
});

export const rejected = (decidedBy: DecidedBy = byCollective): ReviewEvent<'ProposalRejected'> => ({
  type: 'ProposalRejected',
  data: {
    proposalId: 'p-1',
    round: 1,
    proposerId: PROPOSER,
    proposerUnitId: 'unit-dept',
    reasons: 'Chưa đủ căn cứ',
    decidedBy,
    legalBasis: LEGAL_BASIS,
    overdue: false,
    rejectedAt: LATER,
  },
});

export const closeReview = (at = LATER, by = PROPOSER): CloseReview => ({
  type: 'CloseReview',
  data: { proposalId: 'p-1', reason: 'withdrawn' },
  metadata: meta({ userId: by, role: 'proposer', at }),
});

export const closed = (afterDecision: ReviewEvent<'ReviewClosed'>['data']['afterDecision'] = null, closedAt = LATER): ReviewEvent<'ReviewClosed'> => ({
  type: 'ReviewClosed',
  data: { proposalId: 'p-1', round: 1, reason: 'withdrawn', afterDecision, closedAt },
});
