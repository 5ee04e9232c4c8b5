import { ROLES, type Role } from '@dotpha/org';
import { YEAR, achievedAssessment, evaluationConsultation, pilotApproval, proposalContent } from './fixtures';
import type { ServiceName } from './platform';

/**
 * Who may issue which command (DOMAIN.md §2), endpoint by endpoint: the table that
 * authorization.e2e.spec.ts runs over HTTP for every role, in both modes (issue 4).
 *
 * `allowed` is §2 as the services state it: each domain lib's `commandRoles`, widened by the
 * runtime's `actsAs` (any cadre may act as `proposer` of their own proposal, except an `analyst`
 * or an `admin`, docs/domain-conventions.md). The spec checks that the two never drift apart.
 */

/** Whoever may act as proposer: every role but the read-only analyst and the operator. */
export const CADRES: readonly Role[] = ROLES.filter((r) => r !== 'analyst' && r !== 'admin');
const REVIEWERS: readonly Role[] = ['unit-head', 'collective', 'authority'];

/** What a command acts on, which says how the spec finds a real target and the streams it must not touch. */
export type TargetKind =
  | 'new-proposal' // creates a proposal of the caller's unit
  | 'own-proposal' // the caller's own proposal
  | 'new-registration' // creates a registration of the caller's unit
  | 'registration' // a unit's registration for the year
  | 'review' // an open review
  | 'pilot' // a running pilot
  | 'evaluation' // an open evaluation
  | 'recognition' // a recommended recognition
  | 'store'; // the whole event store of a service

export interface CommandEndpoint {
  readonly service: ServiceName;
  readonly method: 'POST' | 'PUT';
  /** As the controller declares it, after /api/v1. */
  readonly route: string;
  /** The domain command behind it (the key of the context's `commandRoles`). */
  readonly command: string;
  readonly target: TargetKind;
  readonly allowed: readonly Role[];
  /** A body the endpoint accepts, so a refusal can only come from who is asking. */
  readonly body: unknown;
  /** How the service words a role refusal when it does not name the role. */
  readonly refusal?: RegExp;
}

/** Every command endpoint of the five services (and the runtime's one, hosted by each). */
export const ENDPOINTS: readonly CommandEndpoint[] = [
  // ---- proposals: the proposer's own proposal; registrations (§4.1) ----
  { service: 'proposals', method: 'POST', route: '/proposals', command: 'DraftProposal', target: 'new-proposal', allowed: CADRES, body: proposalContent('Đề xuất (bảng phân quyền)') },
  { service: 'proposals', method: 'PUT', route: '/proposals/:proposalId', command: 'ReviseProposal', target: 'own-proposal', allowed: CADRES, body: proposalContent('Đề xuất (bảng phân quyền, sửa)') },
  { service: 'proposals', method: 'POST', route: '/proposals/:proposalId/submit', command: 'SubmitProposal', target: 'own-proposal', allowed: CADRES, body: {} },
  { service: 'proposals', method: 'POST', route: '/proposals/:proposalId/withdraw', command: 'WithdrawProposal', target: 'own-proposal', allowed: CADRES, body: { reason: 'Rút để làm lại.' } },
  { service: 'proposals', method: 'POST', route: '/registrations', command: 'RegisterInitiative', target: 'new-registration', allowed: ['unit-head'], body: { year: YEAR, title: 'Sáng kiến đăng ký', field: 'administrative-reform', summary: 'Đăng ký sáng kiến năm.' } },
  { service: 'proposals', method: 'POST', route: '/registrations/:unitId/:year/:initiativeId/approve', command: 'ApproveRegistration', target: 'registration', allowed: ['city-committee'], body: { reasons: 'Phù hợp định hướng.' } },
  { service: 'proposals', method: 'POST', route: '/registrations/:unitId/:year/:initiativeId/reject', command: 'RejectRegistration', target: 'registration', allowed: ['city-committee'], body: { reasons: 'Chưa phù hợp định hướng.' } },

  // ---- approvals: the reviewing level (§4.3) ----
  { service: 'approvals', method: 'POST', route: '/reviews/:proposalId/consult', command: 'ConsultPartyCommittee', target: 'review', allowed: REVIEWERS, body: { opinion: 'Cấp ủy đồng ý về chủ trương.' } },
  { service: 'approvals', method: 'POST', route: '/reviews/:proposalId/votes', command: 'RecordCollectiveVote', target: 'review', allowed: REVIEWERS, body: { vote: 'against' } },
  { service: 'approvals', method: 'POST', route: '/reviews/:proposalId/tally', command: 'TallyCollectiveVote', target: 'review', allowed: REVIEWERS, body: {} },
  { service: 'approvals', method: 'POST', route: '/reviews/:proposalId/override', command: 'AuthorizeHeadOverride', target: 'review', allowed: ['unit-head', 'authority'], body: { writtenAuthorization: 'Tôi cho phép thực hiện và chịu trách nhiệm cá nhân.' } },
  { service: 'approvals', method: 'POST', route: '/reviews/:proposalId/escalate', command: 'EscalateReview', target: 'review', allowed: REVIEWERS, body: { reasons: 'Phạm vi vượt thẩm quyền.' } },
  { service: 'approvals', method: 'POST', route: '/reviews/:proposalId/request-revision', command: 'RequestRevision', target: 'review', allowed: REVIEWERS, body: { reasons: 'Bổ sung lộ trình.' } },
  { service: 'approvals', method: 'POST', route: '/reviews/:proposalId/reject', command: 'RejectProposal', target: 'review', allowed: REVIEWERS, body: { reasons: 'Không khả thi.' } },
  { service: 'approvals', method: 'POST', route: '/reviews/:proposalId/approve', command: 'ApproveProposal', target: 'review', allowed: REVIEWERS, body: pilotApproval },

  // ---- monitoring: the pilot's proposer, its supervisor, leaders over its unit (§4.4) ----
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/start', command: 'StartPilot', target: 'pilot', allowed: CADRES, body: {} },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/progress', command: 'ReportProgress', target: 'pilot', allowed: CADRES, body: { kpiValues: [{ kpiId: 'k-days', value: 9 }], narrative: 'Báo cáo tiến độ.' } },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/checks', command: 'RecordCheck', target: 'pilot', allowed: ['supervisor'], body: { findings: 'Đúng tiến độ.' } },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/flags', command: 'FlagIssue', target: 'pilot', allowed: ['supervisor'], body: { category: 'risk', description: 'Nguy cơ chậm tiến độ.' } },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/support', command: 'ProvideSupport', target: 'pilot', allowed: ['supervisor', 'unit-head', 'collective', 'authority'], body: { kind: 'guidance', description: 'Hướng dẫn nghiệp vụ.' } },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/adjust', command: 'AdjustPilot', target: 'pilot', allowed: ['supervisor', 'authority'], body: { reasons: ['Điều chỉnh chỉ tiêu.'], changes: { kpiTargets: [{ kpiId: 'k-days', target: 12 }] } } },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/suspend', command: 'SuspendPilot', target: 'pilot', allowed: ['supervisor', 'authority'], body: { reasons: ['Tạm dừng để rà soát.'] } },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/resume', command: 'ResumePilot', target: 'pilot', allowed: ['supervisor', 'authority'], body: { reasons: ['Đã rà soát xong.'] } },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/terminate', command: 'TerminatePilot', target: 'pilot', allowed: ['supervisor', 'authority'], body: { reasons: ['Dừng thí điểm.'] } },
  { service: 'monitoring', method: 'POST', route: '/pilots/:proposalId/complete', command: 'CompletePilot', target: 'pilot', allowed: ['supervisor'], body: {} },

  // ---- evaluation: the implementer reports, the evaluator decides (§4.5) ----
  { service: 'evaluation', method: 'POST', route: '/evaluations/:proposalId/results', command: 'ReportResults', target: 'evaluation', allowed: CADRES, body: { report: 'Kết quả thực hiện (văn bản).' } },
  { service: 'evaluation', method: 'POST', route: '/evaluations/:proposalId/consult', command: 'ConsultPartyCommittee', target: 'evaluation', allowed: ['evaluator', 'unit-head'], body: evaluationConsultation },
  { service: 'evaluation', method: 'POST', route: '/evaluations/:proposalId/assessment', command: 'AssessOutcome', target: 'evaluation', allowed: ['evaluator'], body: achievedAssessment },
  { service: 'evaluation', method: 'POST', route: '/evaluations/:proposalId/liability', command: 'DecideLiability', target: 'evaluation', allowed: ['evaluator'], body: { liability: 'none', reasons: ['Hoàn thành.'] } },
  { service: 'evaluation', method: 'POST', route: '/evaluations/:proposalId/abuse-referrals', command: 'ReferAbuse', target: 'evaluation', allowed: ['evaluator', 'supervisor', 'authority', 'inspector'], body: { grounds: ['negativity'], description: 'Chuyển Ủy ban Kiểm tra xem xét.' } },
  { service: 'evaluation', method: 'POST', route: '/evaluations/:proposalId/close', command: 'CloseEvaluation', target: 'evaluation', allowed: ['evaluator'], body: {} },

  // ---- rewards: the organization office recognises; leaders spread and regulate a model (§4.6) ----
  { service: 'rewards', method: 'POST', route: '/recognitions/:proposalId/grant', command: 'GrantRecognition', target: 'recognition', allowed: ['organization-office'], body: { awards: { bonusPoints: 2, commendation: { level: 'praise', form: 'Giấy khen' } }, proportionality: { scale: 'unit', effectiveness: 'moderate', influence: 'unit', justification: 'Tương xứng quy mô đơn vị.' } } },
  { service: 'rewards', method: 'POST', route: '/recognitions/:proposalId/decline', command: 'DeclineRecognition', target: 'recognition', allowed: ['organization-office'], body: { reasons: ['Chưa đủ điều kiện khen thưởng.'] } },
  { service: 'rewards', method: 'POST', route: '/recognitions/:proposalId/replication', command: 'RecommendReplication', target: 'recognition', allowed: ['authority', 'city-committee', 'organization-office'], body: { targetUnitIds: ['tm-so-tai-chinh'], reviewPeriod: `${YEAR}`, reasons: ['Hiệu quả rõ rệt.'] } },
  { service: 'rewards', method: 'POST', route: '/recognitions/:proposalId/institutionalization', command: 'ProposeInstitutionalization', target: 'recognition', allowed: ['authority', 'city-committee'], body: { level: 'local', addressedTo: 'Hội đồng nhân dân tỉnh', instrument: 'Quy định về liên thông hồ sơ', reasons: ['Mô hình đã nhân rộng.'] } },

  // ---- the runtime every service hosts: only an admin verifies the whole store ----
  { service: 'proposals', method: 'POST', route: '/audit/verify', command: 'VerifyAllStreams', target: 'store', allowed: ['admin'], body: {}, refusal: /only an admin/ },
];

/** `POST /reviews/:proposalId/approve`: how a test names an endpoint. */
export const nameOf = (e: CommandEndpoint) => `${e.method} ${e.route}`;
