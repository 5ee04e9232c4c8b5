import { admissibleLiability, protectedPersonIds } from './liability';

const positive = { followedApprovedPlan: true, pureMotive: true, commonGood: true, noSelfInterest: true };

describe('liability rules as the evaluator screen offers them', () => {
  it('D73-10b: each person the plan names is protected once, the approving head too', () => {
    const people = { proposerId: 'u-p', coProposerIds: ['u-co', 'u-impl'], implementerIds: ['u-impl', 'u-head'], approvingHeadId: 'u-head' };
    expect(protectedPersonIds('exempted', people)).toEqual(['u-p', 'u-co', 'u-impl', 'u-head']);
    expect(protectedPersonIds('upheld', people)).toEqual([]);
  });

  it('C14-2.4e: only a substantiated finding removes the protection; without it the outcome decides (D73-11)', () => {
    const basis = { outcome: 'not-achieved' as const, damageCaused: true, motive: positive };
    expect(admissibleLiability({ ...basis, abuseSubstantiated: true })).toMatchObject({ allowed: ['upheld'], clause: 'C14-2.4e' });
    expect(admissibleLiability({ ...basis, abuseSubstantiated: false })).toMatchObject({ allowed: ['excluded', 'exempted', 'reduced'], clause: 'D73-11' });
  });
});
