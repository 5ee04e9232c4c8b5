import { invalidInputOf } from '@dotpha/testkit';
import { readFileSync } from 'fs';
import { join } from 'path';
import { loadOrgChart } from './org-chart';
import { DEFAULT_POLICY, type PolicyInput, isCovered, policyFrom } from './policy';

const problemsOf = (input: unknown) => invalidInputOf(() => policyFrom(input as PolicyInput)).details.problems as string[];

describe('instance policy', () => {
  it('HCM3815-1: each agency registers at least one initiative a year unless the instance says otherwise', () => {
    expect(policyFrom().minRegistrationsPerYear).toBe(1);
    expect(policyFrom({ minRegistrationsPerYear: 2 }).minRegistrationsPerYear).toBe(2);
  });

  it("C14-2.3b: a head's proposal goes to the superior head (Decree 73 Art. 7) unless the instance follows Hà Nội 67's collective route", () => {
    expect(policyFrom().headProposalRoute).toBe('superior-head');
    expect(policyFrom({ headProposalRoute: 'collective' }).headProposalRoute).toBe('collective');
  });

  it('D73-4: consulting the same-level party committee is required by default', () => {
    expect(policyFrom().requirePartyConsultation).toBe(true);
    expect(policyFrom({ requirePartyConsultation: true }).requirePartyConsultation).toBe(true);
  });

  it('D73-4b: an instance configuration that switches party consultation off is refused, with the reason', () => {
    expect(problemsOf({ requirePartyConsultation: false })).toEqual([
      'policy.requirePartyConsultation cannot be switched off: Decree 73 (Art. 4, D73-4b) makes consulting the same-level party committee mandatory',
    ]);
  });

  it('D73-2: coverage is all staff by default, leaders and managers under Decree 73; the legal basis follows unless set', () => {
    expect(policyFrom().coverage).toBe('all-staff');
    expect(policyFrom().legalBasis).toMatch(/Kết luận 14-KL\/TW/);
    expect(policyFrom({ coverage: 'leaders-and-managers' }).legalBasis).toMatch(/Nghị định 73\/2023\/NĐ-CP/);
    expect(policyFrom({ legalBasis: 'Kế hoạch 3815/KH-UBND' }).legalBasis).toBe('Kế hoạch 3815/KH-UBND');
    expect(problemsOf({ coverage: 'everyone', legalBasis: ' ' }).map((p) => p.split(' ')[0])).toEqual(['policy.coverage', 'policy.legalBasis']);
  });

  it('D73-2: under leaders-and-managers only heads and deputies are covered; all-staff covers every user', () => {
    const chart = loadOrgChart(JSON.parse(readFileSync(join(__dirname, '..', 'data', 'sample-province.json'), 'utf8')));
    const leaders = policyFrom({ coverage: 'leaders-and-managers' });
    expect(isCovered('u-skhcn-giam-doc', chart, leaders)).toBe(true);
    expect(isCovered('u-skhcn-pgd-1', chart, leaders)).toBe(true);
    expect(isCovered('u-cds-chuyen-vien', chart, leaders)).toBe(false);
    expect(isCovered('u-cds-chuyen-vien', chart, policyFrom())).toBe(true);
    expect(isCovered('nobody', chart, policyFrom())).toBe(false);
  });

  it('TZ-working-days: working days are counted in Asia/Ho_Chi_Minh unless the instance names another zone', () => {
    expect(policyFrom().timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(policyFrom({ timeZone: 'Asia/Bangkok' }).timeZone).toBe('Asia/Bangkok');
    expect(problemsOf({ timeZone: 'Asia/Hanoi-City' }).map((p) => p.split(' ')[0])).toEqual(['policy.timeZone']);
  });

  it('D73-8.1a, D73-eval, C14-2.4f: deadlines default to 7, 5, 7 and 5 working days; a partial override keeps the rest', () => {
    expect(policyFrom().deadlines).toEqual({ review: 7, resultsReport: 5, evaluation: 7, answer: 5 });
    expect(policyFrom({ deadlines: { review: 10 } }).deadlines).toEqual({ review: 10, resultsReport: 5, evaluation: 7, answer: 5 });
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
