import { InvalidInput } from '@dotpha/kernel';
import { DEFAULT_POLICY, type PolicyInput, policyFrom } from './policy';

function problemsOf(input: unknown): readonly string[] {
  try {
    policyFrom(input as PolicyInput);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInput);
    return (error as InvalidInput).details.problems as string[];
  }
  throw new Error('expected the policy to be refused');
}

describe('instance policy', () => {
  it('HCM3815-1: each agency registers at least one initiative a year unless the instance says otherwise', () => {
    expect(policyFrom().minRegistrationsPerYear).toBe(1);
    expect(policyFrom({ minRegistrationsPerYear: 2 }).minRegistrationsPerYear).toBe(2);
  });

  it("C14-2.3b: a head's proposal goes to the collective unless the instance follows Decree 73", () => {
    expect(policyFrom().headProposalRoute).toBe('collective');
    expect(policyFrom({ headProposalRoute: 'superior-head' }).headProposalRoute).toBe('superior-head');
  });

  it('D73-4: consulting the same-level party committee is required by default', () => {
    expect(policyFrom().requirePartyConsultation).toBe(true);
  });

  it('D73-8.1a, D73-eval: deadlines default to 7, 5 and 7 working days; a partial override keeps the rest', () => {
    expect(policyFrom().deadlines).toEqual({ review: 7, resultsReport: 5, evaluation: 7 });
    expect(policyFrom({ deadlines: { review: 10 } }).deadlines).toEqual({ review: 10, resultsReport: 5, evaluation: 7 });
  });

  it('defaults to a 10% KPI tolerance and no holidays', () => {
    expect(policyFrom()).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY.kpiTolerance).toBe(0.1);
  });

  it('sorts the public holidays and drops duplicates', () => {
    expect(policyFrom({ publicHolidays: ['2026-09-02', '2026-04-30', '2026-09-02'] }).publicHolidays).toEqual(['2026-04-30', '2026-09-02']);
  });

  it('refuses bad values, naming each one', () => {
    const problems = problemsOf({
      minRegistrationsPerYear: -1,
      headProposalRoute: 'president',
      requirePartyConsultation: 'yes',
      deadlines: { review: 0, evaluation: 2.5 },
      kpiTolerance: 10,
      publicHolidays: ['2026-02-30'],
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'policy.minRegistrationsPerYear',
      'policy.headProposalRoute',
      'policy.requirePartyConsultation',
      'policy.deadlines.review',
      'policy.deadlines.evaluation',
      'policy.kpiTolerance',
      'policy.publicHolidays[0]',
    ]);
  });

  it('refuses unknown settings rather than silently using a default', () => {
    expect(problemsOf({ headProposalRoutes: 'superior-head', deadlines: { reviw: 3 } })).toEqual([
      'policy.headProposalRoutes is not a known field',
      'policy.deadlines.reviw is not a known field',
    ]);
    expect(problemsOf(null)).toEqual(['policy must be an object']);
  });
});
