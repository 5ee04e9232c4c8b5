import { invalidInputOf } from '@dotpha/testkit';
import { loadOrgChart } from './org-chart';

type Json = Record<string, any>;

/** A province with one department and one office under it. */
function minimal(): Json {
  const leader = (id: string, unitId: string) => ({ id, name: `Cán bộ ${id}`, unitId, roles: ['proposer', 'unit-head', 'collective'] });
  return {
    instance: { code: 'tm', name: 'Tỉnh Mẫu' },
    units: [
      { id: 'p', name: 'UBND tỉnh', parentId: null, level: 'tỉnh', headId: 'u-p', deputyIds: [] },
      { id: 'd', name: 'Sở', parentId: 'p', level: 'sở', headId: 'u-d', deputyIds: ['u-d2'] },
      { id: 'o', name: 'Phòng', parentId: 'd', level: 'phòng', headId: 'u-o', deputyIds: [] },
    ],
    users: [
      leader('u-p', 'p'),
      leader('u-d', 'd'),
      { id: 'u-d2', name: 'Phó Giám đốc', unitId: 'd', roles: ['proposer', 'collective'], title: 'Phó Giám đốc Sở' },
      leader('u-o', 'o'),
    ],
  };
}

const problemsOf = (data: unknown) => invalidInputOf(() => loadOrgChart(data)).details.problems as string[];

describe('loading organisation data', () => {
  it('accepts valid data and defaults the managing unit to the parent', () => {
    const org = loadOrgChart(minimal());
    expect(org.unit('o').managedByUnitId).toBe('d');
    expect(org.unit('p').managedByUnitId).toBeNull();
    expect(org.user('u-d2').title).toBe('Phó Giám đốc Sở');
    expect(org.members('d').map((u) => u.id)).toEqual(['u-d', 'u-d2']);
  });

  it('§3: takes any level label, since levels differ by place and change with reforms', () => {
    const data = minimal();
    data.units[1].level = 'đặc khu';
    expect(loadOrgChart(data).unit('d').level).toBe('đặc khu');
  });

  it('lists every problem at once, with where it is', () => {
    const data = minimal();
    data.instance.code = 'Tỉnh Mẫu';
    delete data.units[1].name;
    data.users[0].roles = ['mayor'];
    const error = invalidInputOf(() => loadOrgChart(data));
    expect(error.message).toMatch(/^organisation data is invalid: /);
    expect(error.details.problems).toEqual([
      'instance.code must match /^[a-z0-9][a-z0-9-]{0,31}$/',
      'units[1].name must be a non-empty string',
      'users[0].roles[0] must be one of proposer, unit-head, collective, authority, supervisor, evaluator, inspector, organization-office, city-committee, analyst, admin',
    ]);
  });

  it('refuses references to unknown units and users', () => {
    const data = minimal();
    data.units[2].parentId = 'x';
    data.units[2].managedByUnitId = 'y';
    data.units[1].deputyIds = ['u-ghost'];
    data.users[3].unitId = 'z';
    expect(problemsOf(data)).toEqual(
      expect.arrayContaining([
        "user 'u-o'.unitId refers to unknown unit 'z'",
        "unit 'o'.parentId refers to unknown unit 'x'",
        "unit 'o'.managedByUnitId refers to unknown unit 'y'",
        "unit 'd'.deputyIds refers to unknown user 'u-ghost'",
      ]),
    );
  });

  it("refuses a head or deputy who is not a member of the unit or lacks the post's role", () => {
    const data = minimal();
    data.units[2].headId = 'u-d';
    data.users[2].roles = ['proposer'];
    expect(problemsOf(data)).toEqual([
      "unit 'd'.deputyIds 'u-d2' must hold the role 'collective'",
      "unit 'o'.headId 'u-d' must belong to the unit",
    ]);
  });

  it('refuses a head listed as a deputy and repeated deputies', () => {
    const data = minimal();
    data.units[1].deputyIds = ['u-d', 'u-d2', 'u-d2'];
    data.users[1].roles.push('collective');
    data.users[1].roles = [...new Set(data.users[1].roles)];
    expect(problemsOf(data)).toEqual([
      "unit 'd'.deputyIds must not include the head",
      "unit 'd'.deputyIds must not repeat a deputy",
    ]);
  });

  it('refuses cycles in the hierarchy and in who manages whom', () => {
    const data = minimal();
    data.units[0].parentId = 'o';
    expect(problemsOf(data)).toEqual(expect.arrayContaining(["unit 'p'.parentId leads into a cycle"]));
    const managed = minimal();
    managed.units[1].managedByUnitId = 'o';
    expect(problemsOf(managed)).toEqual(["unit 'd'.managedByUnitId leads into a cycle", "unit 'o'.managedByUnitId leads into a cycle"]);
  });

  it('refuses duplicate ids and unknown fields', () => {
    const data = minimal();
    data.units.push({ ...data.units[2], managedbyUnitId: 'p' });
    data.users.push({ ...data.users[3] });
    expect(problemsOf(data)).toEqual(['units[3].managedbyUnitId is not a known field']);
    delete data.units[3].managedbyUnitId;
    expect(problemsOf(data)).toEqual(["unit 'o' is defined more than once", "user 'u-o' is defined more than once"]);
  });

  it('refuses data that is not the expected shape', () => {
    expect(problemsOf(null)).toEqual(['data must be an object with instance, units and users']);
    expect(problemsOf({ instance: { code: 'tm', name: 'Tỉnh Mẫu' }, units: [], users: {} })).toEqual([
      'units must be a non-empty array',
      'users must be a non-empty array',
    ]);
    const data = minimal();
    delete data.units[0].parentId;
    data.units[1].deputyIds = 'u-d2';
    expect(problemsOf(data)).toEqual(['units[0].parentId must be a unit id, or null at the top', 'units[1].deputyIds must be an array of user ids']);
  });
});
