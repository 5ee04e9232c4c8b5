import { readFileSync } from 'fs';
import { loadOrgChart, policyFrom } from '@dotpha/org';
import { SAMPLE_ORG_FILE } from '@dotpha/service-runtime';
import { reviewDueBy, routingForSubmission } from './routing';

const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));

const submission = (proposerId: string, submittedAt = '2026-03-02T08:00:00.000Z') => ({
  proposalId: 'p-1',
  revision: 1,
  proposerId,
  proposerUnitId: org.user(proposerId).unitId,
  scopeUnitIds: [],
  submittedAt,
});

describe('routing a submission', () => {
  it("C14-2.3b: by default a head's own proposal goes to the head of the superior unit, whose collective votes on it", () => {
    const routing = routingForSubmission(org, policyFrom({}), submission('u-dt-chu-tich'));
    expect(routing).toMatchObject({
      route: 'superior-head',
      reviewerUnitId: 'tm-ubnd',
      reviewerIds: ['u-ubnd-chu-tich'],
      headId: 'u-ubnd-chu-tich',
      collectiveMemberIds: ['u-ubnd-chu-tich', 'u-ubnd-pct-1', 'u-ubnd-pct-2', 'u-ubnd-pct-3', 'u-ubnd-pct-4'],
    });
  });

  it("C14-2.3b: where the instance follows Hà Nội 67-KH/TU the head's own proposal goes to the unit's collective, without the head", () => {
    const routing = routingForSubmission(org, policyFrom({ headProposalRoute: 'collective' }), submission('u-dt-chu-tich'));
    expect(routing).toMatchObject({ route: 'collective', reviewerUnitId: 'tm-phuong-dong-thanh', collectiveMemberIds: ['u-dt-pct-1', 'u-dt-pct-2'] });
  });
});

describe('review due dates', () => {
  const policy = policyFrom({});

  it('TZ-working-days: a plan received on a Friday morning in Vietnam counts from Friday and falls due at the end of the local day', () => {
    // 08:00 on Friday 6 March in Hà Nội: 7 working days later is Tuesday 17 March, ending at 24:00 there (17:00 UTC).
    expect(reviewDueBy('2026-03-06T01:00:00.000Z', policy)).toBe('2026-03-17T16:59:59.999Z');
    // 06:30 on Friday in Hà Nội is still Thursday in UTC: it counts from Friday all the same.
    expect(reviewDueBy('2026-03-05T23:30:00.000Z', policy)).toBe('2026-03-17T16:59:59.999Z');
  });

  it('TZ-working-days: weekends and the public holidays of the policy are not working days', () => {
    const withHoliday = policyFrom({ publicHolidays: ['2026-03-10'] });
    expect(reviewDueBy('2026-03-06T01:00:00.000Z', withHoliday)).toBe('2026-03-18T16:59:59.999Z');
  });

  it("TZ-working-days: the instance's own time zone counts", () => {
    const utc = policyFrom({ timeZone: 'UTC' });
    expect(reviewDueBy('2026-03-05T23:30:00.000Z', utc)).toBe('2026-03-16T23:59:59.999Z');
  });
});
