import { type Role, ROLES, isRole } from './roles';
import { Problems, isRecord } from './validation';

export interface Instance {
  /** Short code of the province or city, used in topics and stream metadata, e.g. `tm`. */
  readonly code: string;
  readonly name: string;
}

export interface Unit {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  /** A free label ('tỉnh', 'sở', 'xã', ...): levels differ by place and change with reforms. */
  readonly level: string;
  readonly headId: string;
  readonly deputyIds: readonly string[];
  /** The unit that manages this unit's cadres ("cấp nào quản lý cán bộ cấp đó"); null at the top. */
  readonly managedByUnitId: string | null;
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly unitId: string;
  readonly roles: readonly Role[];
  readonly title?: string;
  /** Where the user's notices are e-mailed (C14-2.4f); none: in the console only. */
  readonly email?: string;
}

export interface OrgData {
  readonly instance: Instance;
  readonly units: readonly Unit[];
  readonly users: readonly User[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const INSTANCE_CODE = /^[a-z0-9][a-z0-9-]{0,31}$/;
const NAME_LENGTH = 300;
const name = { maxLength: NAME_LENGTH } as const;
const id = { pattern: ID } as const;

/**
 * Checks an instance's organisation data (plain JSON) and returns it typed, with
 * `managedByUnitId` defaulted to the parent. Refuses with InvalidInput listing every problem.
 */
export function validateOrgData(raw: unknown): OrgData {
  const problems = new Problems('organisation data');
  if (!isRecord(raw)) {
    problems.add('data', 'must be an object with instance, units and users');
    problems.throwIfAny();
  }
  const data = raw as Record<string, unknown>;
  problems.onlyKeys(data, ['instance', 'units', 'users'], 'data');
  const instance = readInstance(data.instance, problems);
  const units = readList(data.units, 'units', problems, readUnit);
  const users = readList(data.users, 'users', problems, readUser);
  problems.throwIfAny();

  checkReferences(units, users, problems);
  problems.throwIfAny();
  return { instance, units, users };
}

function readList<T>(value: unknown, key: string, problems: Problems, read: (raw: unknown, path: string, p: Problems) => T): T[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(key, 'must be a non-empty array');
    return [];
  }
  return value.map((item, i) => read(item, `${key}[${i}]`, problems));
}

function readInstance(raw: unknown, problems: Problems): Instance {
  if (!isRecord(raw)) {
    problems.add('instance', 'must be an object with code and name');
    return { code: '', name: '' };
  }
  problems.onlyKeys(raw, ['code', 'name'], 'instance');
  return {
    code: problems.string(raw, 'code', 'instance', { pattern: INSTANCE_CODE }) ?? '',
    name: problems.string(raw, 'name', 'instance', name) ?? '',
  };
}

function readUnit(raw: unknown, path: string, problems: Problems): Unit {
  if (!isRecord(raw)) {
    problems.add(path, 'must be an object');
    return { id: '', name: '', parentId: null, level: '', headId: '', deputyIds: [], managedByUnitId: null };
  }
  problems.onlyKeys(raw, ['id', 'name', 'parentId', 'level', 'headId', 'deputyIds', 'managedByUnitId'], path);
  problems.expect(raw.parentId !== undefined, `${path}.parentId`, 'must be a unit id, or null at the top');
  const parentId = raw.parentId == null ? null : (problems.string(raw, 'parentId', path, id) ?? null);
  const managedBy = raw.managedByUnitId ?? undefined;
  const deputyIds = raw.deputyIds ?? [];
  problems.expect(
    Array.isArray(deputyIds) && deputyIds.every((d) => typeof d === 'string'),
    `${path}.deputyIds`,
    'must be an array of user ids',
  );
  return {
    id: problems.string(raw, 'id', path, id) ?? '',
    name: problems.string(raw, 'name', path, name) ?? '',
    parentId,
    level: problems.string(raw, 'level', path, name) ?? '',
    headId: problems.string(raw, 'headId', path, id) ?? '',
    deputyIds: Array.isArray(deputyIds) ? (deputyIds as string[]) : [],
    managedByUnitId: managedBy === undefined ? parentId : (problems.string(raw, 'managedByUnitId', path, id) ?? null),
  };
}

function readUser(raw: unknown, path: string, problems: Problems): User {
  if (!isRecord(raw)) {
    problems.add(path, 'must be an object');
    return { id: '', name: '', unitId: '', roles: [] };
  }
  problems.onlyKeys(raw, ['id', 'name', 'unitId', 'roles', 'title', 'email'], path);
  const roles = raw.roles;
  if (problems.expect(Array.isArray(roles) && roles.length > 0, `${path}.roles`, 'must be a non-empty array')) {
    (roles as unknown[]).forEach((role, i) =>
      problems.expect(isRole(role), `${path}.roles[${i}]`, `must be one of ${ROLES.join(', ')}`),
    );
    problems.expect(new Set(roles as unknown[]).size === (roles as unknown[]).length, `${path}.roles`, 'must not repeat a role');
  }
  const title = problems.string(raw, 'title', path, { ...name, optional: true });
  const email = problems.string(raw, 'email', path, { pattern: /^[^\s@<>,;]+@[^\s@<>,;]+$/, maxLength: 254, optional: true });
  return {
    id: problems.string(raw, 'id', path, id) ?? '',
    name: problems.string(raw, 'name', path, name) ?? '',
    unitId: problems.string(raw, 'unitId', path, id) ?? '',
    roles: Array.isArray(roles) ? (roles as Role[]) : [],
    ...(title === undefined ? {} : { title }),
    ...(email === undefined ? {} : { email }),
  };
}

function checkReferences(units: readonly Unit[], users: readonly User[], problems: Problems): void {
  const unitsById = new Map(units.map((u) => [u.id, u]));
  const usersById = new Map(users.map((u) => [u.id, u]));
  duplicates(units.map((u) => u.id)).forEach((d) => problems.add(`unit '${d}'`, 'is defined more than once'));
  duplicates(users.map((u) => u.id)).forEach((d) => problems.add(`user '${d}'`, 'is defined more than once'));

  for (const user of users) {
    problems.expect(unitsById.has(user.unitId), `user '${user.id}'.unitId`, `refers to unknown unit '${user.unitId}'`);
  }
  for (const unit of units) {
    const at = `unit '${unit.id}'`;
    for (const [key, ref] of [['parentId', unit.parentId], ['managedByUnitId', unit.managedByUnitId]] as const) {
      if (ref !== null) problems.expect(unitsById.has(ref), `${at}.${key}`, `refers to unknown unit '${ref}'`);
    }
    const member = (userId: string, key: string, role: Role): void => {
      const user = usersById.get(userId);
      if (!problems.expect(user !== undefined, `${at}.${key}`, `refers to unknown user '${userId}'`)) return;
      // Routing and jurisdiction start from the proposer's own unit, so its leaders must belong to it.
      problems.expect(user!.unitId === unit.id, `${at}.${key}`, `'${userId}' must belong to the unit`);
      problems.expect(user!.roles.includes(role), `${at}.${key}`, `'${userId}' must hold the role '${role}'`);
    };
    member(unit.headId, 'headId', 'unit-head');
    unit.deputyIds.forEach((deputyId) => member(deputyId, 'deputyIds', 'collective'));
    problems.expect(!unit.deputyIds.includes(unit.headId), `${at}.deputyIds`, 'must not include the head');
    problems.expect(duplicates(unit.deputyIds).length === 0, `${at}.deputyIds`, 'must not repeat a deputy');
  }
  for (const key of ['parentId', 'managedByUnitId'] as const) {
    for (const unit of cyclic(units, (u) => u[key], unitsById)) problems.add(`unit '${unit}'.${key}`, 'leads into a cycle');
  }
}

function duplicates(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((value, i) => ids.indexOf(value) !== i))];
}

/** Units from which following `up` never reaches the top. */
function cyclic(units: readonly Unit[], up: (u: Unit) => string | null, byId: ReadonlyMap<string, Unit>): string[] {
  return units
    .filter((start) => {
      const seen = new Set<string>();
      for (let at: Unit | undefined = start; at; at = byId.get(up(at) ?? '')) {
        if (seen.has(at.id)) return true;
        seen.add(at.id);
      }
      return false;
    })
    .map((u) => u.id);
}
