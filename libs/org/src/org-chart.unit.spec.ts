import { NotFound } from '@dotpha/kernel';
import sample from '../data/sample-province.json';
import { loadOrgChart } from './org-chart';
import { policyFrom } from './policy';
import { ROLES } from './roles';

const org = loadOrgChart(sample);
const toCollective = policyFrom({ headProposalRoute: 'collective' });
const toSuperiorHead = policyFrom({ headProposalRoute: 'superior-head' });

describe('the sample province', () => {
  it('has at least three levels of units', () => {
    const depth = (unitId: string): number => {
      const { parentId } = org.unit(unitId);
      return parentId === null ? 1 : 1 + depth(parentId);
    };
    expect(org.instance).toEqual({ code: 'tm', name: 'Tỉnh Mẫu' });
    expect(org.units.length).toBeGreaterThanOrEqual(12);
    expect(Math.max(...org.units.map((u) => depth(u.id)))).toBeGreaterThanOrEqual(3);
  });

  it('has users for every role of DOMAIN.md §2', () => {
    const held = new Set(org.users.flatMap((u) => u.roles));
    expect(ROLES.filter((role) => !held.has(role))).toEqual([]);
  });

  it('has proposers who are not leaders in several units', () => {
    const leaders = new Set(org.units.flatMap((u) => [u.headId, ...u.deputyIds]));
    const staffUnits = new Set(org.users.filter((u) => !leaders.has(u.id) && u.roles.includes('proposer')).map((u) => u.unitId));
    expect(staffUnits.size).toBeGreaterThanOrEqual(5);
  });

  it('D73-8.1b: has collectives where a vote can tie', () => {
    expect(org.votingCollective('tm-so-tai-chinh')).toHaveLength(2);
    expect(org.votingCollective('tm-so-khcn')).toHaveLength(4);
    expect(org.votingCollective('tm-so-xay-dung', 'u-sxd-pgd-1')).toHaveLength(2);
  });
});

describe('routing a proposal', () => {
  it("C14-2.3a: a cadre's proposal goes to the head of their own unit", () => {
    expect(org.route({ proposerId: 'u-cds-chuyen-vien' }, toCollective)).toEqual({
      route: 'unit-head',
      reviewerUnitId: 'tm-skhcn-cds',
      reviewerIds: ['u-cds-truong-phong'],
      collectiveMemberIds: ['u-cds-truong-phong', 'u-cds-pho-phong'],
    });
  });

  it("C14-2.3a, D73-8.1a: a deputy's proposal goes to the head; the deputy is left out of the collective", () => {
    expect(org.route({ proposerId: 'u-skhcn-pgd-2' }, toSuperiorHead)).toEqual({
      route: 'unit-head',
      reviewerUnitId: 'tm-so-khcn',
      reviewerIds: ['u-skhcn-giam-doc'],
      collectiveMemberIds: ['u-skhcn-giam-doc', 'u-skhcn-pgd-1', 'u-skhcn-pgd-3'],
    });
  });

  it("C14-2.3b: a head's proposal goes to the unit's collective when the policy says collective", () => {
    const collective = ['u-skhcn-giam-doc', 'u-skhcn-pgd-1', 'u-skhcn-pgd-2', 'u-skhcn-pgd-3'];
    expect(org.route({ proposerId: 'u-skhcn-giam-doc' }, toCollective)).toEqual({
      route: 'collective',
      reviewerUnitId: 'tm-so-khcn',
      reviewerIds: collective,
      collectiveMemberIds: collective,
    });
  });

  it("C14-2.3b (D73-7c): a head's proposal goes to the head of the managing unit when the policy says superior-head", () => {
    expect(org.route({ proposerId: 'u-skhcn-giam-doc' }, toSuperiorHead)).toEqual({
      route: 'superior-head',
      reviewerUnitId: 'tm-ubnd',
      reviewerIds: ['u-ubnd-chu-tich'],
      collectiveMemberIds: ['u-ubnd-chu-tich', 'u-ubnd-pct-1', 'u-ubnd-pct-2', 'u-ubnd-pct-3', 'u-ubnd-pct-4'],
    });
  });

  it('C14-2.3b, C14-2.3c: the superior is the unit that manages the cadres, which may not be the parent', () => {
    expect(org.unit('tm-tthcc').parentId).toBe('tm-vp-ubnd');
    expect(org.route({ proposerId: 'u-tthcc-giam-doc' }, toSuperiorHead).reviewerUnitId).toBe('tm-ubnd');
  });

  it("C14-2.3b: at the top of the instance a head's proposal goes to the collective whatever the policy", () => {
    expect(org.route({ proposerId: 'u-tu-bi-thu' }, toSuperiorHead)).toMatchObject({
      route: 'collective',
      reviewerUnitId: 'tm-tinh-uy',
      reviewerIds: ['u-tu-bi-thu', 'u-tu-pho-bi-thu'],
    });
  });

  it('C14-2.3a: a submitted proposal is routed from the unit it was drafted in, not the current one', () => {
    expect(org.route({ proposerId: 'u-cds-chuyen-vien', proposerUnitId: 'tm-so-tai-chinh' }, toCollective)).toMatchObject({
      route: 'unit-head',
      reviewerIds: ['u-stc-giam-doc'],
    });
  });

  it('refuses an unknown proposer or unit', () => {
    expect(() => org.route({ proposerId: 'u-nobody' }, toCollective)).toThrow(NotFound);
    expect(() => org.route({ proposerId: 'u-cds-chuyen-vien', proposerUnitId: 'tm-nowhere' }, toCollective)).toThrow(NotFound);
  });
});

describe('jurisdiction', () => {
  it('§3: a user acts within their unit and the units it manages', () => {
    expect(org.jurisdiction('u-snv-giam-doc')).toEqual(['tm-so-noi-vu', 'tm-snv-ccvc']);
    expect(org.inJurisdiction('u-snv-giam-doc', 'tm-snv-ccvc')).toBe(true);
    expect(org.inJurisdiction('u-snv-giam-doc', 'tm-so-khcn')).toBe(false);
    expect(org.inJurisdiction('u-ccvc-chuyen-vien', 'tm-so-noi-vu')).toBe(false);
  });

  it('§3: reaches the units managed through other units', () => {
    expect(org.inJurisdiction('u-ubnd-chu-tich', 'tm-dt-kinh-te')).toBe(true);
    expect(org.jurisdiction('u-tu-bi-thu')).toHaveLength(org.units.length);
  });

  it('§3: a unit whose cadres another unit manages is in the managing unit\'s jurisdiction, not its parent\'s', () => {
    expect(org.inJurisdiction('u-vp-chanh-van-phong', 'tm-tthcc')).toBe(false);
    expect(org.inJurisdiction('u-ubnd-pct-1', 'tm-tthcc')).toBe(true);
    expect(org.jurisdiction('u-vp-quan-tri')).toEqual(['tm-vp-ubnd']);
  });

  it('refuses unknown users and units', () => {
    expect(() => org.inJurisdiction('u-nobody', 'tm-ubnd')).toThrow(NotFound);
    expect(() => org.inJurisdiction('u-ubnd-chu-tich', 'tm-nowhere')).toThrow(NotFound);
  });
});

describe('escalation and authority', () => {
  it('C14-2.3c: a level escalates to the level that directly manages it', () => {
    expect(org.escalationTarget('tm-snv-ccvc')).toBe('tm-so-noi-vu');
    expect(org.escalationTarget('tm-tthcc')).toBe('tm-ubnd');
    expect(org.escalationTarget('tm-tinh-uy')).toBeNull();
  });

  it("C14-2.3c: a unit's authority covers a scope only when it manages every unit in it", () => {
    expect(org.covers('tm-so-noi-vu', ['tm-snv-ccvc'], 'tm-snv-ccvc')).toBe(true);
    expect(org.covers('tm-so-noi-vu', ['tm-snv-ccvc', 'tm-so-khcn'], 'tm-snv-ccvc')).toBe(false);
    expect(org.covers('tm-ubnd', ['tm-snv-ccvc', 'tm-so-khcn'], 'tm-snv-ccvc')).toBe(true);
  });

  it("C14-2.3c: an empty scope means the proposer's own unit", () => {
    expect(org.covers('tm-snv-ccvc', [], 'tm-snv-ccvc')).toBe(true);
    expect(org.covers('tm-skhcn-cds', [], 'tm-snv-ccvc')).toBe(false);
  });

  it('refuses a scope naming an unknown unit', () => {
    expect(() => org.covers('tm-ubnd', ['tm-nowhere'], 'tm-ubnd')).toThrow(NotFound);
  });
});
