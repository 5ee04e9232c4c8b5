import { InvalidInput } from '@dotpha/kernel';
import { type InspectionCaseFactsView, type ProposalFactsView, type RecognitionView, emptyProposalFacts } from './read-models';
import { type ReportInputs, computeReport, parsePeriod, toCsv } from './periodic-report';

const NOW = new Date('2026-09-15T03:00:00.000Z');
const H1 = parsePeriod('H1-2026');

const proposal = (proposalId: string, facts: Partial<ProposalFactsView>): ProposalFactsView => ({
  ...emptyProposalFacts(proposalId), unitId: 'unit-a', field: 'administrative-reform', proposerId: 'u-proposer', ...facts,
});
const recognition = (proposalId: string, facts: Partial<RecognitionView>): RecognitionView => ({
  proposalId, proposerId: 'u-proposer', proposerUnitId: 'unit-a', status: 'recommended', outcome: 'achieved', notable: false, praiseOnly: false, people: null,
  recommendedAt: null, barred: null, referrals: [], grant: null, decline: null, replications: [], institutionalizations: [], lastChangedAt: '2026-01-01T00:00:00.000Z', ...facts,
});
const prohibitedAct = (caseId: string, unitId: string, openedAt: string, kind = 'prohibited-act'): InspectionCaseFactsView => ({
  caseId, kind, unitId, proposalId: null, subjectIds: ['u-x'], openedAt, finding: null,
});

const inputs = (over: Partial<ReportInputs>): ReportInputs => ({
  period: H1, year: null, scope: 'instance', units: null, unitId: null, field: null, timeZone: 'Asia/Ho_Chi_Minh', now: NOW,
  proposals: [], recognitions: [], cases: [],
  unitName: (unitId) => `Tên ${unitId}`,
  person: (userId) => ({ name: `Ông/Bà ${userId}`, unitId: 'unit-a' }),
  ...over,
});

describe('Periodic report (C14-2.5d, C14-2.5a, HN24-shirk, D73-6)', () => {
  it.each([
    ['H1-2026', '2026-01-01', '2026-06-30'],
    ['H2-2026', '2026-07-01', '2026-12-31'],
    ['2026', '2026-01-01', '2026-12-31'],
    ['2026-03-01..2026-03-31', '2026-03-01', '2026-03-31'],
  ])('C14-2.5d: the period %s runs from %s to %s', (label, from, to) => {
    expect(parsePeriod(label)).toEqual({ label, from, to });
  });

  it.each(['H3-2026', '2026-13-01..2026-12-31', '2026-06-30..2026-01-01', 'last year'])('C14-2.5d: %p is not a period', (label) => {
    expect(() => parsePeriod(label)).toThrow(InvalidInput);
  });

  it('C14-2.5a, C14-2.5d: counts each step of the life cycle in the half-year it happened, by unit and field', () => {
    const report = computeReport(inputs({
      proposals: [
        proposal('p-1', { submittedAt: '2026-01-10T02:00:00.000Z', approved: { decision: 'pilot', at: '2026-02-01T02:00:00.000Z' }, pilotEnd: { ending: 'completed', at: '2026-05-01T02:00:00.000Z' }, outcome: { outcome: 'achieved', at: '2026-06-01T02:00:00.000Z' }, liabilities: [{ liability: 'none', at: '2026-06-02T02:00:00.000Z' }] }),
        proposal('p-2', { unitId: 'unit-b', field: 'socio-economic', submittedAt: '2026-03-10T02:00:00.000Z', rejectedAt: '2026-03-20T02:00:00.000Z' }),
        proposal('p-3', { submittedAt: '2026-03-10T02:00:00.000Z', approved: { decision: 'implementation', at: '2026-04-01T02:00:00.000Z' }, pilotEnd: { ending: 'terminated', at: '2026-08-01T02:00:00.000Z' } }),
        // 30 June 20:00 UTC is already 1 July in Vietnam: the second half-year.
        proposal('p-4', { submittedAt: '2026-06-30T20:00:00.000Z' }),
      ],
      recognitions: [
        recognition('p-1', {
          status: 'granted', recommendedAt: '2026-06-01T03:00:00.000Z',
          grant: { awards: { bonusPoints: 3 }, proportionality: { scale: 'unit', effectiveness: 'high', influence: 'unit', justification: 'x' }, grantedBy: 'u-o', grantedAt: '2026-06-10T03:00:00.000Z' },
          replications: [{ replicationId: 'r', targetUnitIds: [], reviewPeriod: '2026-H1', reasons: ['x'], recommendedBy: 'u', recommendedAt: '2026-06-20T03:00:00.000Z' }],
        }),
      ],
    }));
    expect(report.totals).toMatchObject({
      submitted: 3, approvedForPilot: 1, approvedForImplementation: 1, rejected: 1, pilotsCompleted: 1, pilotsTerminated: 0, outcomesAchieved: 1,
      liabilityDecisions: 1, recommended: 1, recognitionsGranted: 1, bonusPoints: 3, replications: 1,
    });
    expect(report.byUnit.map((u) => [u.unitId, u.unitName, u.submitted])).toEqual([['unit-a', 'Tên unit-a', 2], ['unit-b', 'Tên unit-b', 1]]);
    expect(report.byField.map((f) => [f.field, f.submitted, f.recognitionsGranted])).toEqual([['administrative-reform', 2, 1], ['socio-economic', 1, 0]]);
    const h2 = computeReport(inputs({ period: parsePeriod('H2-2026'), proposals: [proposal('p-4', { submittedAt: '2026-06-30T20:00:00.000Z' })] }));
    expect(h2.totals.submitted).toBe(1);
  });

  it('C14-2.5d: a unit filter counts the units given (the unit and those it manages); a field filter that field only', () => {
    const proposals = [
      proposal('p-1', { unitId: 'unit-a', submittedAt: '2026-01-10T02:00:00.000Z' }),
      proposal('p-2', { unitId: 'unit-a1', field: 'socio-economic', submittedAt: '2026-01-10T02:00:00.000Z' }),
      proposal('p-3', { unitId: 'unit-b', submittedAt: '2026-01-10T02:00:00.000Z' }),
    ];
    expect(computeReport(inputs({ proposals, units: new Set(['unit-a', 'unit-a1']), unitId: 'unit-a' })).totals.submitted).toBe(2);
    expect(computeReport(inputs({ proposals, field: 'socio-economic' })).byUnit.map((u) => u.unitId)).toEqual(['unit-a1']);
  });

  it('HN24-shirk: the steps past due with no decision are listed per person', () => {
    const report = computeReport(inputs({
      period: parsePeriod('2026'),
      proposals: [
        proposal('p-review', { openReview: { dueBy: '2026-09-01T10:00:00.000Z', responsibleIds: ['u-head'], round: 1 } }),
        proposal('p-not-yet', { openReview: { dueBy: '2026-09-20T10:00:00.000Z', responsibleIds: ['u-head'], round: 1 } }),
        proposal('p-report', { openResultsReport: { dueBy: '2026-08-01T10:00:00.000Z', responsibleIds: ['u-proposer'], round: null } }),
        proposal('p-eval', { unitId: 'unit-b', openEvaluation: { dueBy: '2026-08-10T10:00:00.000Z', responsibleIds: ['u-head'], round: null } }),
        // Decided: nothing open, nothing overdue.
        proposal('p-decided', { approved: { decision: 'pilot', at: '2026-08-01T00:00:00.000Z' } }),
      ],
    }));
    expect(report.overdue).toEqual([
      { userId: 'u-head', name: 'Ông/Bà u-head', unitId: 'unit-a', steps: [
        { kind: 'evaluation', proposalId: 'p-eval', unitId: 'unit-b', dueBy: '2026-08-10T10:00:00.000Z' },
        { kind: 'review', proposalId: 'p-review', unitId: 'unit-a', dueBy: '2026-09-01T10:00:00.000Z' },
      ] },
      { userId: 'u-proposer', name: 'Ông/Bà u-proposer', unitId: 'unit-a', steps: [{ kind: 'results-report', proposalId: 'p-report', unitId: 'unit-a', dueBy: '2026-08-01T10:00:00.000Z' }] },
    ]);
    expect(report.totals.overdueSteps).toBe(3);
    expect(report.byUnit.map((u) => [u.unitId, u.overdueSteps])).toEqual([['unit-a', 2], ['unit-b', 1]]);
  });

  it('D73-6: prohibited-act reports are counted per unit in the period they were opened; abuse referrals are not', () => {
    const report = computeReport(inputs({
      cases: [
        prohibitedAct('c-1', 'unit-a', '2026-02-01T00:00:00.000Z'),
        prohibitedAct('c-2', 'unit-a', '2026-03-01T00:00:00.000Z'),
        prohibitedAct('c-3', 'unit-b', '2026-04-01T00:00:00.000Z'),
        prohibitedAct('c-4', 'unit-b', '2026-08-01T00:00:00.000Z'),
        prohibitedAct('c-5', 'unit-b', '2026-04-01T00:00:00.000Z', 'abuse-referral'),
      ],
    }));
    expect(report.prohibitedActs).toEqual([{ unitId: 'unit-a', unitName: 'Tên unit-a', reports: 2 }, { unitId: 'unit-b', unitName: 'Tên unit-b', reports: 1 }]);
    expect(report.totals.prohibitedActReports).toBe(3);
    expect(computeReport(inputs({ units: new Set(['unit-b']), cases: [prohibitedAct('c-1', 'unit-a', '2026-02-01T00:00:00.000Z')] })).prohibitedActs).toEqual([]);
  });

  it('C14-2.5d: the CSV has one header row with Vietnamese column names, UTF-8 with a byte-order mark, and inert cells', () => {
    const report = computeReport(inputs({
      proposals: [proposal('p-1', { unitId: 'unit-a', submittedAt: '2026-01-10T02:00:00.000Z' })],
      unitName: () => '=HYPERLINK("x")',
    }));
    const csv = toCsv(report);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, total, unit] = csv.slice(1).split('\r\n');
    expect(header.split(',').slice(0, 7)).toEqual(['Kỳ báo cáo', 'Từ ngày', 'Đến ngày', 'Phân loại', 'Mã', 'Tên', 'Đề xuất đã nộp']);
    expect(total.startsWith('H1-2026,2026-01-01,2026-06-30,Tổng,tất cả,,1,')).toBe(true);
    expect(unit).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
