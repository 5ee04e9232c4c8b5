import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { meta, samplePlan } from '@dotpha/testkit';
import type { ApprovalDecision, ApprovalFacts } from './approval';
import type { ProposalContent } from './content';
import type { ProposalEvent } from './events';
import type { ProposalStatus, ReviewOutcome } from './lifecycle';
import type { ProposalReport } from './report';

/** Test data for the proposal specs: a cadre of the sample province's digital transformation office. */
export const PROPOSAL_ID = 'p-2026-001';
export const PROPOSER = 'u-cds-chuyen-vien';
export const PROPOSER_UNIT = 'tm-skhcn-cds';
export const DRAFTED_AT = '2026-03-02T08:00:00.000Z';
export const CO_PROPOSER = 'u-cds-pho-phong';
export const APPROVING_HEAD = 'u-skhcn-giam-doc';
export const ALL_STAFF_BASIS = DEFAULT_LEGAL_BASIS['all-staff'];

export const asProposer = (at?: string) => meta({ userId: PROPOSER, role: 'proposer', ...(at ? { at } : {}) });
export const asSomeoneElse = () => meta({ userId: 'u-cds-truong-phong', role: 'unit-head' });
export const bySystem = () => meta({ userId: 'svc-proposals', role: 'system' });

export function fullReport(): ProposalReport {
  return {
    necessity: 'Thủ tục cấp phép hạ tầng viễn thông kéo dài 45 ngày, cản trở phủ sóng 5G.',
    basis: 'Kết luận 14-KL/TW; Luật Viễn thông 2023; thực tiễn tại các tỉnh đã thí điểm.',
    impactForecast: {
      positive: 'Rút thời gian cấp phép xuống 10 ngày làm việc.',
      negative: 'Tăng khối lượng hậu kiểm cho Sở trong năm đầu.',
      expectedEffectiveness: 'Phủ sóng 5G toàn tỉnh sớm hơn 18 tháng.',
    },
    feasibility: 'Có sẵn cơ sở dữ liệu quy hoạch hạ tầng; nhân lực đã được đào tạo.',
    currentSituation: 'Hồ sơ đi qua 4 cơ quan, mỗi nơi thẩm định riêng.',
    content: 'Cấp phép theo cơ chế một cửa liên thông, hậu kiểm thay tiền kiểm.',
    objectives: [
      {
        description: 'Rút ngắn thời gian cấp phép',
        targets: [{ indicator: 'Thời gian cấp phép trung bình', target: '10', unit: 'ngày làm việc' }],
      },
    ],
    implementationPlan: {
      milestones: [
        { name: 'Ban hành quy trình liên thông', dueDate: '2026-06-30' },
        { name: 'Sơ kết 6 tháng', dueDate: '2026-12-31' },
      ],
      roadmap: 'Thí điểm tại phường Đông Thành, sau đó nhân rộng.',
    },
    resources: { people: '3 công chức chuyên trách', funding: '200 triệu đồng' },
    organization: 'Phòng Chuyển đổi số chủ trì, phối hợp Sở Xây dựng và UBND phường Đông Thành.',
    recommendations: 'Đề nghị UBND tỉnh cho phép thí điểm trong 12 tháng.',
  };
}

export function content(overrides: Partial<ProposalContent> = {}): ProposalContent {
  return {
    title: 'Cấp phép hạ tầng viễn thông một cửa liên thông',
    field: 'administrative-reform',
    problemType: 'regulated-but-unsuitable',
    isScheme: true,
    report: fullReport(),
    attachments: [{ name: 'Dự thảo quy trình', uri: 'doc://tm/p-2026-001/quy-trinh.pdf' }],
    scopeUnitIds: [],
    coProposerIds: [],
    ...overrides,
  };
}

export function drafted(overrides: Partial<ProposalContent> = {}): ProposalEvent<'ProposalDrafted'> {
  return {
    type: 'ProposalDrafted',
    data: { proposalId: PROPOSAL_ID, proposerId: PROPOSER, proposerUnitId: PROPOSER_UNIT, ...content(overrides), draftedAt: DRAFTED_AT },
  };
}

export function revised(overrides: Partial<ProposalContent>, revisedAt = DRAFTED_AT): ProposalEvent<'ProposalRevised'> {
  return { type: 'ProposalRevised', data: { proposalId: PROPOSAL_ID, ...content(overrides), revisedAt } };
}

export function submitted(revision = 1, overrides: Partial<ProposalContent> = {}): ProposalEvent<'ProposalSubmitted'> {
  const { report, ...rest } = content(overrides);
  return {
    type: 'ProposalSubmitted',
    data: {
      proposalId: PROPOSAL_ID,
      revision,
      proposerId: PROPOSER,
      proposerUnitId: PROPOSER_UNIT,
      ...rest,
      report: report as ProposalReport,
      legalBasis: ALL_STAFF_BASIS,
      submittedAt: DRAFTED_AT,
    },
  };
}

/** What approvals decided on a pilot, as the hand-off handler passes it on. */
export function approvalFacts(decision: ApprovalDecision = 'pilot', implementerIds: readonly string[] = ['u-cds-truong-phong']): ApprovalFacts {
  return {
    decision,
    plan: { ...samplePlan('u-skhcn-thanh-tra'), implementerIds },
    decidedBy: {
      unitId: 'tm-so-khcn',
      reviewerId: APPROVING_HEAD,
      headId: APPROVING_HEAD,
      collective: true,
      override: false,
      collectiveMemberIds: [APPROVING_HEAD, 'u-skhcn-pgd-1'],
    },
    legalBasis: ALL_STAFF_BASIS,
  };
}

export function outcome(kind: ReviewOutcome, round = 1, at = '2026-03-05T09:00:00.000Z', coProposerIds: readonly string[] = []): ProposalEvent<'ProposalReviewOutcomeRecorded'> {
  const data = { proposalId: PROPOSAL_ID, outcome: kind, round, at };
  if (kind !== 'approved-pilot' && kind !== 'approved-implementation') return { type: 'ProposalReviewOutcomeRecorded', data };
  const facts = approvalFacts(kind === 'approved-pilot' ? 'pilot' : 'implementation');
  const people = { proposerId: PROPOSER, coProposerIds, implementerIds: facts.plan.implementerIds, approvingHeadId: APPROVING_HEAD };
  return { type: 'ProposalReviewOutcomeRecorded', data: { ...data, approval: { ...facts, proposerUnitId: PROPOSER_UNIT, people } } };
}

/** Events that bring a proposal into each state. */
export const historyTo: Readonly<Record<ProposalStatus, () => ProposalEvent[]>> = {
  draft: () => [drafted()],
  submitted: () => [drafted(), submitted()],
  'under-review': () => [drafted(), submitted(), outcome('review-opened')],
  'revision-requested': () => [...historyTo['under-review'](), outcome('revision-requested')],
  escalated: () => [...historyTo['under-review'](), outcome('escalated')],
  'approved-implementation': () => [...historyTo['under-review'](), outcome('approved-implementation')],
  'approved-pilot': () => [...historyTo['under-review'](), outcome('approved-pilot')],
  rejected: () => [...historyTo['under-review'](), outcome('rejected')],
  withdrawn: () => [
    drafted(),
    {
      type: 'ProposalWithdrawn',
      data: {
        proposalId: PROPOSAL_ID,
        proposerId: PROPOSER,
        proposerUnitId: PROPOSER_UNIT,
        previousStatus: 'draft',
        withdrawnAt: DRAFTED_AT,
      },
    },
  ],
};
