/** The bodies the system tests send: one complete proposal, one pilot approval, one assessment, built here only. */

export const YEAR = new Date().getUTCFullYear();
export const today = new Date().toISOString().slice(0, 10);
export const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export const SUPERVISOR = 'u-skhcn-thanh-tra';

/** A complete proposal (every §4.2 section), so a draft made from it can be submitted. */
export function proposalContent(title: string, scopeUnitIds: string[] = [], isScheme = false) {
  return {
    title,
    field: 'administrative-reform',
    problemType: 'regulated-but-unsuitable',
    isScheme,
    report: {
      necessity: 'Thủ tục kéo dài, cản trở người dân.',
      basis: 'Kết luận 14-KL/TW; Nghị định 73/2023/NĐ-CP.',
      impactForecast: { positive: 'Giảm thời gian xử lý.', negative: 'Tăng hậu kiểm năm đầu.', expectedEffectiveness: 'Rút ngắn 50% thời gian.' },
      feasibility: 'Có sẵn hạ tầng dữ liệu.',
      currentSituation: 'Hồ sơ qua nhiều khâu.',
      content: 'Liên thông một cửa.',
      objectives: [{ description: 'Rút ngắn thời gian xử lý', targets: [{ indicator: 'Số ngày xử lý', target: '10', unit: 'ngày' }] }],
      implementationPlan: { milestones: [{ name: 'Ban hành quy trình', dueDate: inDays(60) }], roadmap: 'Thí điểm 6 tháng.' },
      resources: { people: '2 công chức' },
      organization: 'Đơn vị đề xuất chủ trì.',
      recommendations: 'Đề nghị cho thí điểm.',
    },
    attachments: [],
    scopeUnitIds,
  };
}

export const attestation = { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true };

export const KPI_DAYS = { id: 'k-days', name: 'Số ngày xử lý hồ sơ', unit: 'ngày', target: 10, direction: 'at-most' };
export const KPI_ONLINE = { id: 'k-online', name: 'Tỷ lệ hồ sơ trực tuyến', unit: '%', target: 80, direction: 'at-least' };

/** Approves a pilot of 180 days from today, with one milestone in 60, watched by SUPERVISOR. */
export function pilotApprovalWith(kpis: readonly object[], funding: number) {
  return {
    decision: 'pilot',
    reasons: 'Đúng thẩm quyền, cần thiết và khả thi.',
    attestation,
    plan: {
      scope: 'Thí điểm tại đơn vị đề xuất',
      startDate: today,
      endDate: inDays(180),
      kpis,
      milestones: [{ id: 'm-quy-trinh', name: 'Ban hành quy trình', dueDate: inDays(60) }],
      resources: [{ kind: 'funding', description: 'Kinh phí thí điểm', amount: funding }],
      supervisorId: SUPERVISOR,
    },
  };
}

export const pilotApproval = pilotApprovalWith([KPI_DAYS], 50_000_000);

export const positiveMotive = { followedApprovedPlan: true, pureMotive: true, commonGood: true, noSelfInterest: true };

export const achievedAssessment = {
  outcome: 'achieved',
  notable: false,
  damage: { caused: false },
  causes: [],
  motive: positiveMotive,
  assessment: 'Hoàn thành đúng phương án được duyệt.',
};

export const evaluationConsultation = { committeeUnitId: 'tm-tinh-uy', opinion: 'supports', summary: 'Cấp ủy cùng cấp đồng ý đánh giá.' };
