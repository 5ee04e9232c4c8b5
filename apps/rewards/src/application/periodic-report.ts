import { InvalidInput } from '@dotpha/kernel';
import { localDate } from '@dotpha/org';
import type { ReportFigures, ReportPeriod } from '@dotpha/rewards-domain';
import type { InspectionCaseFactsView, ProposalFactsView, RecognitionView } from './read-models';

/** A real calendar date, YYYY-MM-DD (not 2026-13-01 nor 2026-02-30). */
function isDate(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/**
 * C14-2.5d: a half-year ('H1-2026', 'H2-2026'), a year ('2026') or a range of local dates
 * ('2026-01-01..2026-03-31'), both ends included.
 */
export function parsePeriod(label: string): ReportPeriod {
  const half = /^H([12])-(\d{4})$/.exec(label);
  if (half) {
    const [, h, year] = half;
    return h === '1' ? { label, from: `${year}-01-01`, to: `${year}-06-30` } : { label, from: `${year}-07-01`, to: `${year}-12-31` };
  }
  if (/^\d{4}$/.test(label)) return { label, from: `${label}-01-01`, to: `${label}-12-31` };
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(label);
  if (range && isDate(range[1]) && isDate(range[2])) {
    if (range[1] > range[2]) throw new InvalidInput(`the period starts after it ends: ${label}`);
    return { label, from: range[1], to: range[2] };
  }
  throw new InvalidInput(`'${label}' is not a period: H1-2026, H2-2026, 2026 or 2026-01-01..2026-06-30`, { period: label });
}

/** The figures of one unit, one field or the whole report. */
export interface PeriodCounts extends ReportFigures {
  // Recognition (C14-2.5c), as the report counted them before issue 11.
  readonly recommended: number;
  readonly granted: number;
  readonly declined: number;
  readonly barred: number;
  readonly bonusPoints: number;
}

const FIGURES: readonly (keyof PeriodCounts)[] = [
  'submitted', 'approvedForImplementation', 'approvedForPilot', 'rejected', 'pilotsCompleted', 'pilotsTerminated', 'outcomesAchieved',
  'outcomesPartiallyAchieved', 'outcomesNotAchieved', 'liabilityDecisions', 'recommended', 'granted', 'recognitionsGranted', 'declined',
  'barred', 'bonusPoints', 'replications', 'institutionalizations', 'overdueSteps', 'prohibitedActReports',
];
export const ZERO: PeriodCounts = Object.fromEntries(FIGURES.map((f) => [f, 0])) as unknown as PeriodCounts;

export type OverdueKind = 'review' | 'results-report' | 'evaluation';

export interface OverdueStep {
  readonly kind: OverdueKind;
  readonly proposalId: string;
  readonly unitId: string | null;
  readonly dueBy: string;
}

/** HN24-shirk: the steps a person let pass their due date, still not taken. */
export interface OverduePerson {
  readonly userId: string;
  readonly name: string | null;
  readonly unitId: string | null;
  readonly steps: readonly OverdueStep[];
}

export interface PeriodicReport {
  readonly period: ReportPeriod;
  /** Kept for callers that still ask by `?year=`. */
  readonly year: number | null;
  /** 'instance': the whole instance; 'jurisdiction': the caller's units only. */
  readonly scope: 'instance' | 'jurisdiction';
  readonly unitId: string | null;
  readonly field: string | null;
  readonly totals: PeriodCounts;
  readonly byUnit: readonly (PeriodCounts & { readonly unitId: string; readonly unitName: string | null })[];
  /** 'unknown' where the proposal's submission has not reached rewards. */
  readonly byField: readonly (PeriodCounts & { readonly field: string })[];
  readonly overdue: readonly OverduePerson[];
  /** D73-6: prohibited-act reports (inspection cases of kind 'prohibited-act') opened in the period, per unit. */
  readonly prohibitedActs: readonly { readonly unitId: string; readonly unitName: string | null; readonly reports: number }[];
  readonly generatedAt: string;
}

export interface ReportInputs {
  readonly period: ReportPeriod;
  readonly year: number | null;
  readonly scope: 'instance' | 'jurisdiction';
  /** The units counted (the caller's jurisdiction, narrowed by `unitId`); null = every unit. */
  readonly units: ReadonlySet<string> | null;
  readonly unitId: string | null;
  readonly field: string | null;
  readonly timeZone: string;
  readonly now: Date;
  readonly proposals: readonly ProposalFactsView[];
  readonly recognitions: readonly RecognitionView[];
  readonly cases: readonly InspectionCaseFactsView[];
  readonly unitName: (unitId: string) => string | null;
  readonly person: (userId: string) => { readonly name: string; readonly unitId: string } | null;
}

/** C14-2.5a, C14-2.5d, HN24-shirk, D73-6: the figures of a period, by unit and field. */
export function computeReport(input: ReportInputs): PeriodicReport {
  const { period, units, timeZone, now } = input;
  const inPeriod = (at: string | null | undefined): number => {
    if (!at) return 0;
    const day = localDate(at, timeZone);
    return day >= period.from && day <= period.to ? 1 : 0;
  };
  const fieldOf = new Map(input.proposals.map((p) => [p.proposalId, p.field]));
  const counted = (unitId: string | null, field: string | null) =>
    (units === null || (unitId !== null && units.has(unitId))) && (input.field === null || field === input.field);

  let totals = ZERO;
  const byUnit = new Map<string, PeriodCounts>();
  const byField = new Map<string, PeriodCounts>();
  const tally = (unitId: string | null, field: string | null, counts: Partial<PeriodCounts>) => {
    if (Object.values(counts).every((n) => !n)) return;
    const full = { ...ZERO, ...counts };
    totals = add(totals, full);
    const u = unitId ?? 'unknown';
    const f = field ?? 'unknown';
    byUnit.set(u, add(byUnit.get(u) ?? ZERO, full));
    byField.set(f, add(byField.get(f) ?? ZERO, full));
  };

  // The steps of each proposal's life cycle, each in the period it happened.
  const overdue = new Map<string, OverdueStep[]>();
  const periodEnd = `${period.to}`;
  for (const p of input.proposals) {
    if (!counted(p.unitId, p.field)) continue;
    const outcome = p.outcome && inPeriod(p.outcome.at) ? p.outcome.outcome : null;
    const steps: [OverdueKind, ProposalFactsView['openReview']][] = [['review', p.openReview], ['results-report', p.openResultsReport], ['evaluation', p.openEvaluation]];
    let overdueSteps = 0;
    for (const [kind, step] of steps) {
      // HN24-shirk: due before now and within (or before the end of) the period, and not taken yet.
      if (!step || !(Date.parse(step.dueBy) < now.getTime()) || localDate(step.dueBy, timeZone) > periodEnd) continue;
      overdueSteps++;
      for (const userId of step.responsibleIds.length ? step.responsibleIds : ['unknown']) {
        overdue.set(userId, [...(overdue.get(userId) ?? []), { kind, proposalId: p.proposalId, unitId: p.unitId, dueBy: step.dueBy }]);
      }
    }
    tally(p.unitId, p.field, {
      submitted: inPeriod(p.submittedAt),
      approvedForImplementation: p.approved?.decision === 'implementation' ? inPeriod(p.approved.at) : 0,
      approvedForPilot: p.approved?.decision === 'pilot' ? inPeriod(p.approved.at) : 0,
      rejected: inPeriod(p.rejectedAt),
      pilotsCompleted: p.pilotEnd?.ending === 'completed' ? inPeriod(p.pilotEnd.at) : 0,
      pilotsTerminated: p.pilotEnd?.ending === 'terminated' ? inPeriod(p.pilotEnd.at) : 0,
      outcomesAchieved: outcome === 'achieved' ? 1 : 0,
      outcomesPartiallyAchieved: outcome === 'partially-achieved' ? 1 : 0,
      outcomesNotAchieved: outcome === 'not-achieved' ? 1 : 0,
      liabilityDecisions: p.liabilities.filter((l) => inPeriod(l.at)).length,
      overdueSteps,
    });
  }

  for (const r of input.recognitions) {
    const field = fieldOf.get(r.proposalId) ?? null;
    if (!counted(r.proposerUnitId, field)) continue;
    const granted = inPeriod(r.grant?.grantedAt);
    tally(r.proposerUnitId, field, {
      recommended: inPeriod(r.recommendedAt),
      granted,
      recognitionsGranted: granted,
      declined: inPeriod(r.decline?.declinedAt),
      barred: inPeriod(r.barred?.barredAt),
      replications: r.replications.filter((x) => inPeriod(x.recommendedAt)).length,
      institutionalizations: r.institutionalizations.filter((x) => inPeriod(x.proposedAt)).length,
      bonusPoints: granted ? r.grant?.awards.bonusPoints ?? 0 : 0,
    });
  }

  // D73-6: a prohibited-act report counts in the unit where the act was reported; it has no field.
  const prohibited = new Map<string, number>();
  for (const c of input.cases) {
    if (c.kind !== 'prohibited-act' || !inPeriod(c.openedAt)) continue;
    if (units !== null && !(c.unitId !== null && units.has(c.unitId))) continue;
    if (input.field !== null) {
      const field = c.proposalId ? fieldOf.get(c.proposalId) ?? null : null;
      if (field !== input.field) continue;
    }
    const unitId = c.unitId ?? 'unknown';
    prohibited.set(unitId, (prohibited.get(unitId) ?? 0) + 1);
    totals = add(totals, { ...ZERO, prohibitedActReports: 1 });
    byUnit.set(unitId, add(byUnit.get(unitId) ?? ZERO, { ...ZERO, prohibitedActReports: 1 }));
  }

  const byKey = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => a.localeCompare(b));
  return {
    period,
    year: input.year,
    scope: input.scope,
    unitId: input.unitId,
    field: input.field,
    totals,
    byUnit: byKey(byUnit).map(([unitId, c]) => ({ unitId, unitName: input.unitName(unitId), ...c })),
    byField: byKey(byField).map(([field, c]) => ({ field, ...c })),
    overdue: byKey(overdue).map(([userId, steps]) => {
      const person = input.person(userId);
      return { userId, name: person?.name ?? null, unitId: person?.unitId ?? null, steps: [...steps].sort((a, b) => a.dueBy.localeCompare(b.dueBy)) };
    }),
    prohibitedActs: byKey(prohibited).map(([unitId, reports]) => ({ unitId, unitName: input.unitName(unitId), reports })),
    generatedAt: now.toISOString(),
  };
}

function add(a: PeriodCounts, b: PeriodCounts): PeriodCounts {
  return Object.fromEntries(FIGURES.map((k) => [k, a[k] + b[k]])) as unknown as PeriodCounts;
}

/** What a sent report states (the PeriodicReportSent figures). */
export function figuresOf(counts: PeriodCounts): ReportFigures {
  const { recommended: _r, granted: _g, declined: _d, barred: _b, bonusPoints: _p, ...figures } = counts;
  return figures;
}

/** The figures with their Vietnamese names, in the order the CSV and the PDF show them. */
export const COLUMNS: readonly [keyof PeriodCounts, string][] = [
  ['submitted', 'Đề xuất đã nộp'],
  ['approvedForImplementation', 'Phê duyệt triển khai'],
  ['approvedForPilot', 'Phê duyệt thí điểm'],
  ['rejected', 'Không phê duyệt'],
  ['pilotsCompleted', 'Thí điểm hoàn thành'],
  ['pilotsTerminated', 'Thí điểm chấm dứt'],
  ['outcomesAchieved', 'Kết quả đạt'],
  ['outcomesPartiallyAchieved', 'Kết quả đạt một phần'],
  ['outcomesNotAchieved', 'Kết quả không đạt'],
  ['liabilityDecisions', 'Quyết định về trách nhiệm'],
  ['recommended', 'Đề nghị khen thưởng'],
  ['recognitionsGranted', 'Được khen thưởng, ghi nhận'],
  ['declined', 'Không chấp thuận khen thưởng'],
  ['barred', 'Tạm dừng khen thưởng'],
  ['bonusPoints', 'Điểm cộng'],
  ['replications', 'Đề nghị nhân rộng'],
  ['institutionalizations', 'Đề xuất thể chế hóa'],
  ['overdueSteps', 'Bước quá hạn'],
  ['prohibitedActReports', 'Phản ánh hành vi bị cấm'],
];

const cell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
};

/**
 * C14-2.5d: the report as one CSV table with a header row (UTF-8 with a byte-order mark, so that
 * spreadsheet programs read the Vietnamese right): the totals, each unit, each field, then each
 * person with overdue steps. Cells that a spreadsheet would run as a formula are quoted inert.
 */
export function toCsv(report: PeriodicReport): string {
  const header = ['Kỳ báo cáo', 'Từ ngày', 'Đến ngày', 'Phân loại', 'Mã', 'Tên', ...COLUMNS.map(([, name]) => name), 'Các bước quá hạn'];
  const { label, from, to } = report.period;
  const row = (kind: string, id: string, name: string | null, counts: PeriodCounts | null, steps = '') =>
    [label, from, to, kind, id, name, ...COLUMNS.map(([k]) => (counts ? counts[k] : null)), steps].map(cell).join(',');
  const lines = [
    header.map(cell).join(','),
    row('Tổng', report.unitId ?? 'tất cả', report.field ?? null, report.totals),
    ...report.byUnit.map((u) => row('Đơn vị', u.unitId, u.unitName, u)),
    ...report.byField.map((f) => row('Lĩnh vực', f.field, null, f)),
    ...report.overdue.map((p) => row('Cá nhân quá hạn', p.userId, p.name, null, p.steps.map((s) => `${s.kind} ${s.proposalId} hạn ${s.dueBy}`).join('; '))),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
