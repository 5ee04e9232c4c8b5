import { meta } from '@dotpha/testkit';
import type { ApproveProposal, EscalateReview, OpenReview, RecordCollectiveVote } from './commands';
import type {
  ApprovedPlan,
  CollectiveTally,
  CollectiveVoteRecorded,
  CollectiveVoteTallied,
  DecidedBy,
  HeadOverrideAuthorized,
  PartyCommitteeConsulted,
  ProposalApproved,
  ProposalRejected,
  ReviewEscalated,
  ReviewOpened,
  RevisionRequested,
  Routing,
  Vote,
} from './events';

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

export const upperRouting: Routing = {
  reviewerUnitId: 'unit-province',
  route: 'unit-head',
  reviewerIds: [UPPER_HEAD],
  collectiveMemberIds: [UPPER_HEAD],
  headId: UPPER_HEAD,
  authorityCoversScope: true,
  dueBy: '2026-03-16T10:00:00.000Z',
};

type Opening = Omit<OpenReview['data'], keyof Routing> & Partial<Routing>;

const opening = (overrides: Partial<Opening & Routing>): Opening & Routing => ({
  proposalId: 'p-1',
  round: 1,
  proposerId: PROPOSER,
  proposerUnitId: 'unit-dept',
  scopeUnitIds: [],
  ...unitHeadRouting,
  requirePartyConsultation: true,
  ...overrides,
});

export const openReview = (overrides: Partial<Opening & Routing> = {}, at = OPENED_AT): OpenReview => ({
  type: 'OpenReview',
  data: opening(overrides),
  metadata: meta({ userId: PROPOSER, role: 'proposer', at }),
});

export const opened = (overrides: Partial<Opening & Routing> = {}, openedAt = OPENED_AT): ReviewOpened => ({
  type: 'ReviewOpened',
  data: { ...opening(overrides), openedAt },
});

export const consulted = (consultedAt = LATER, round = 1): PartyCommitteeConsulted => ({
  type: 'PartyCommitteeConsulted',
  data: { proposalId: 'p-1', round, unitId: 'unit-dept', opinion: 'Đồng ý chủ trương', consultedAt, recordedBy: HEAD },
});

export const vote = (memberId: string, choice: Vote, by = HEAD): RecordCollectiveVote => ({
  type: 'RecordCollectiveVote',
  data: { memberId, vote: choice },
  metadata: as(by),
});

export const voted = (memberId: string, choice: Vote): CollectiveVoteRecorded => ({
  type: 'CollectiveVoteRecorded',
  data: { proposalId: 'p-1', round: 1, memberId, vote: choice, recordedBy: HEAD, recordedAt: LATER },
});

export const tallied = (tally: CollectiveTally): CollectiveVoteTallied => ({
  type: 'CollectiveVoteTallied',
  data: { proposalId: 'p-1', round: 1, ...tally, talliedAt: LATER },
});

/** Head, deputy 1 and deputy 2 vote; the given votes in that order. */
export const collectiveVoted = (head: Vote, first: Vote, second: Vote) => [
  voted(HEAD, head),
  voted(DEPUTY_1, first),
  voted(DEPUTY_2, second),
];

export const rejectedByCollective = (): CollectiveVoteTallied =>
  tallied({ for: 1, against: 2, abstain: 0, members: 3, headVote: 'for', tie: false, result: 'rejected' });

export const approvedByCollective = (): CollectiveVoteTallied =>
  tallied({ for: 3, against: 0, abstain: 0, members: 3, headVote: 'for', tie: false, result: 'approved' });

export const byReviewer: DecidedBy = { unitId: 'unit-dept', reviewerId: HEAD, collective: false, override: false, collectiveMemberIds: [] };
export const byCollective: DecidedBy = { ...byReviewer, collective: true, collectiveMemberIds: [HEAD, DEPUTY_1, DEPUTY_2] };
export const byOverride: DecidedBy = { ...byReviewer, override: true };

export const overridden = (): HeadOverrideAuthorized => ({
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

export const escalated = (routing: Routing = upperRouting): ReviewEscalated => ({
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

export const revisionRequested = (round = 1): RevisionRequested => ({
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

export const pilotPlan: ApprovedPlan = {
  scope: 'Một cửa liên thông tại 3 phường',
  startDate: '2026-04-01',
  endDate: '2026-09-30',
  kpis: [{ id: 'k-1', name: 'Thời gian giải quyết hồ sơ', unit: 'ngày', target: 3, direction: 'at-most' }],
  milestones: [{ id: 'm-1', name: 'Vận hành thử', dueDate: '2026-05-15' }],
  resources: [{ kind: 'funding', description: 'Kinh phí thí điểm', amount: 150_000_000 }],
  supervisorId: 'u-supervisor',
};

export const approve = (overrides: Partial<ApproveProposal['data']> = {}, by = HEAD, at = LATER): ApproveProposal => ({
  type: 'ApproveProposal',
  data: {
    decision: 'pilot',
    reasons: 'Giải quyết điểm nghẽn thủ tục',
    attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
    plan: pilotPlan,
    ...overrides,
  },
  metadata: as(by, at),
});

export const approved = (overrides: Partial<ProposalApproved['data']> = {}): ProposalApproved => ({
  type: 'ProposalApproved',
  data: {
    proposalId: 'p-1',
    round: 1,
    proposerId: PROPOSER,
    proposerUnitId: 'unit-dept',
    decision: 'pilot',
    reasons: 'Giải quyết điểm nghẽn thủ tục',
    decidedBy: byReviewer,
    attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
    plan: pilotPlan,
    overdue: false,
    decidedAt: LATER,
    ...overrides,
  },
});

export const rejected = (): ProposalRejected => ({
  type: 'ProposalRejected',
  data: {
    proposalId: 'p-1',
    round: 1,
    proposerId: PROPOSER,
    proposerUnitId: 'unit-dept',
    reasons: 'Chưa đủ căn cứ',
    decidedBy: byReviewer,
    overdue: false,
    rejectedAt: LATER,
  },
});
