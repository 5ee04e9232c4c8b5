import { isIsoDate } from './calendar';
import { Problems, isRecord } from './validation';

/** C14-2.3b: Hà Nội 67-KH/TU sends a head's proposal to the unit's collective, Decree 73 to the superior head. */
export const HEAD_PROPOSAL_ROUTES = ['collective', 'superior-head'] as const;
export type HeadProposalRoute = (typeof HEAD_PROPOSAL_ROUTES)[number];

/** Deadlines in working days (DOMAIN.md §4.3, §4.5). */
export interface Deadlines {
  /** D73-8.1a: from receiving the plan to the collective's decision. */
  readonly review: number;
  /** D73-eval: from the end of the pilot to the written results report. */
  readonly resultsReport: number;
  /** D73-eval: from the results report to the collective's evaluation. */
  readonly evaluation: number;
}

export interface InstancePolicy {
  /** HCM3815-1: initiatives each agency registers per year. */
  readonly minRegistrationsPerYear: number;
  readonly headProposalRoute: HeadProposalRoute;
  /** D73-4: consult the same-level party committee before approving and before evaluating. */
  readonly requirePartyConsultation: boolean;
  readonly deadlines: Deadlines;
  /** How far (as a fraction of the target) a KPI may miss before it raises a flag. */
  readonly kpiTolerance: number;
  /** ISO dates, sorted, without duplicates. */
  readonly publicHolidays: readonly string[];
}

export type PolicyInput = {
  readonly [K in keyof InstancePolicy]?: K extends 'deadlines' ? Partial<Deadlines> : InstancePolicy[K];
};

export const DEFAULT_POLICY: InstancePolicy = {
  minRegistrationsPerYear: 1,
  headProposalRoute: 'collective',
  requirePartyConsultation: true,
  deadlines: { review: 7, resultsReport: 5, evaluation: 7 },
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
  const policy = { ...DEFAULT_POLICY, ...input, deadlines: { ...DEFAULT_POLICY.deadlines, ...input.deadlines } };

  const isCount = (value: unknown, max = Infinity): boolean =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
  problems.expect(isCount(policy.minRegistrationsPerYear), 'policy.minRegistrationsPerYear', 'must be a non-negative integer');
  problems.expect(
    (HEAD_PROPOSAL_ROUTES as readonly unknown[]).includes(policy.headProposalRoute),
    'policy.headProposalRoute',
    `must be one of ${HEAD_PROPOSAL_ROUTES.join(', ')}`,
  );
  problems.expect(typeof policy.requirePartyConsultation === 'boolean', 'policy.requirePartyConsultation', 'must be a boolean');
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

  return { ...policy, publicHolidays: [...new Set(policy.publicHolidays)].sort() };
}
