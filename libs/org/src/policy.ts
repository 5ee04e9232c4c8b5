import { DEFAULT_TIME_ZONE, isIsoDate, isTimeZone } from './calendar';
import type { OrgData } from './org-data';
import { Problems, isRecord } from './validation';

/** C14-2.3b: Hà Nội 67-KH/TU sends a head's proposal to the unit's collective, Decree 73 to the superior head. */
export const HEAD_PROPOSAL_ROUTES = ['collective', 'superior-head'] as const;
export type HeadProposalRoute = (typeof HEAD_PROPOSAL_ROUTES)[number];

/**
 * D73-2: who the protection covers. Decree 73 (Art. 2, as published) applies to cadres holding
 * leadership and management posts (and state-capital representatives); Conclusion 14 and the local
 * plans (TP.HCM 3815, Hà Nội 67) reach every cadre, civil servant and public employee.
 */
export const COVERAGES = ['all-staff', 'leaders-and-managers'] as const;
export type Coverage = (typeof COVERAGES)[number];

/** The legal basis a record names when the instance does not set its own (D73-2). */
export const DEFAULT_LEGAL_BASIS: Readonly<Record<Coverage, string>> = {
  'all-staff': 'Kết luận 14-KL/TW ngày 22/9/2021 của Bộ Chính trị',
  'leaders-and-managers': 'Nghị định 73/2023/NĐ-CP ngày 29/9/2023 của Chính phủ',
};

/** Deadlines in working days (DOMAIN.md §4.3, §4.5). */
export interface Deadlines {
  /** D73-8.1a: from receiving the plan to the collective's decision. */
  readonly review: number;
  /** D73-eval: from the end of the pilot to the written results report. */
  readonly resultsReport: number;
  /** D73-eval: from receiving the results report to the collective's evaluation. */
  readonly evaluation: number;
  /** C14-2.4f: for the cadre to answer an assessment in writing before liability is decided. */
  readonly answer: number;
}

export interface InstancePolicy {
  /** HCM3815-1: initiatives each agency registers per year. */
  readonly minRegistrationsPerYear: number;
  readonly headProposalRoute: HeadProposalRoute;
  /**
   * D73-4, D73-4b: the same-level party committee is consulted before approving and before
   * evaluating. Not a setting: kept so that an old configuration naming it still reads, and one
   * that tries to switch it off is refused at start.
   */
  readonly requirePartyConsultation: true;
  readonly coverage: Coverage;
  /** Named on every decision and liability record (D73-2). */
  readonly legalBasis: string;
  /** IANA time zone in which working days are counted (TZ-working-days). */
  readonly timeZone: string;
  readonly deadlines: Deadlines;
  /** How far (as a fraction of the target) a KPI may miss before it raises a flag. */
  readonly kpiTolerance: number;
  /** ISO dates, sorted, without duplicates. */
  readonly publicHolidays: readonly string[];
}

export type PolicyInput = {
  readonly [K in keyof InstancePolicy]?: K extends 'deadlines' ? Partial<Deadlines> : K extends 'requirePartyConsultation' ? boolean : InstancePolicy[K];
};

/**
 * C14-2.3b: Decree 73 Art. 7 sends a state-body head's own proposal to the head of the superior
 * employing agency; that is the default, Hà Nội 67-KH/TU's collective route is the instance's choice.
 */
export const DEFAULT_POLICY: InstancePolicy = {
  minRegistrationsPerYear: 1,
  headProposalRoute: 'superior-head',
  requirePartyConsultation: true,
  coverage: 'all-staff',
  legalBasis: DEFAULT_LEGAL_BASIS['all-staff'],
  timeZone: DEFAULT_TIME_ZONE,
  deadlines: { review: 7, resultsReport: 5, evaluation: 7, answer: 5 },
  kpiTolerance: 0.1,
  publicHolidays: [],
};

const MAX_DEADLINE = 365;

/** Validates an instance's settings (as stored or sent by an admin) and fills the defaults. */
export function policyFrom(input: PolicyInput = {}): InstancePolicy {
  const problems = new Problems('instance policy');
  const raw: unknown = input;
  if (!isRecord(raw)) {
    problems.add('policy', 'must be an object');
    problems.throwIfAny();
  }
  const given = raw as Record<string, unknown>;
  problems.onlyKeys(given, Object.keys(DEFAULT_POLICY), 'policy');
  const coverage = input.coverage ?? DEFAULT_POLICY.coverage;
  const legalBasis = input.legalBasis ?? DEFAULT_LEGAL_BASIS[coverage] ?? DEFAULT_POLICY.legalBasis;
  const policy = { ...DEFAULT_POLICY, ...input, legalBasis, deadlines: { ...DEFAULT_POLICY.deadlines, ...input.deadlines } };

  const isCount = (value: unknown, max = Infinity): boolean =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
  problems.expect(isCount(policy.minRegistrationsPerYear), 'policy.minRegistrationsPerYear', 'must be a non-negative integer');
  problems.expect(
    (HEAD_PROPOSAL_ROUTES as readonly unknown[]).includes(policy.headProposalRoute),
    'policy.headProposalRoute',
    `must be one of ${HEAD_PROPOSAL_ROUTES.join(', ')}`,
  );
  problems.expect(
    policy.requirePartyConsultation === true,
    'policy.requirePartyConsultation',
    'cannot be switched off: Decree 73 (Art. 4, D73-4b) makes consulting the same-level party committee mandatory',
  );
  problems.expect((COVERAGES as readonly unknown[]).includes(policy.coverage), 'policy.coverage', `must be one of ${COVERAGES.join(', ')}`);
  problems.expect(typeof policy.legalBasis === 'string' && policy.legalBasis.trim() !== '', 'policy.legalBasis', 'must be a non-empty text');
  problems.expect(isTimeZone(policy.timeZone), 'policy.timeZone', 'must be an IANA time zone, e.g. Asia/Ho_Chi_Minh');
  if (problems.expect(isRecord(given.deadlines ?? {}), 'policy.deadlines', 'must be an object')) {
    problems.onlyKeys(policy.deadlines, Object.keys(DEFAULT_POLICY.deadlines), 'policy.deadlines');
    for (const [key, value] of Object.entries(policy.deadlines)) {
      const ok = isCount(value, MAX_DEADLINE) && value > 0;
      problems.expect(ok, `policy.deadlines.${key}`, `must be a whole number of working days from 1 to ${MAX_DEADLINE}`);
    }
  }
  const tolerance: unknown = policy.kpiTolerance;
  const isFraction = typeof tolerance === 'number' && tolerance >= 0 && tolerance <= 1;
  problems.expect(isFraction, 'policy.kpiTolerance', 'must be a fraction from 0 to 1');
  const holidays: unknown = policy.publicHolidays;
  if (problems.expect(Array.isArray(holidays), 'policy.publicHolidays', 'must be an array of ISO dates')) {
    (holidays as unknown[]).forEach((day, i) =>
      problems.expect(isIsoDate(day), `policy.publicHolidays[${i}]`, 'must be an ISO date (YYYY-MM-DD)'),
    );
  }
  problems.throwIfAny();

  return { ...policy, requirePartyConsultation: true, publicHolidays: [...new Set(policy.publicHolidays)].sort() };
}

/**
 * D73-2: whether the protection and its procedure cover a user. Under `leaders-and-managers` only
 * those holding a leadership or management post are covered: the head and the deputies of a unit.
 */
export function isCovered(userId: string, chart: Pick<OrgData, 'units' | 'users'>, policy: Pick<InstancePolicy, 'coverage'>): boolean {
  if (policy.coverage === 'all-staff') return chart.users.some((u) => u.id === userId);
  return chart.units.some((unit) => unit.headId === userId || unit.deputyIds.includes(userId));
}
