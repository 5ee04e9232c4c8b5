import { NotFound } from '@dotpha/kernel';
import { type Instance, type OrgData, type Unit, type User, validateOrgData } from './org-data';
import type { InstancePolicy } from './policy';

export type ReviewRoute = 'unit-head' | 'collective' | 'superior-head';

/** Where a proposal goes (C14-2.3a, C14-2.3b) and who votes there (D73-8.1a). */
export interface ProposalRouting {
  readonly route: ReviewRoute;
  readonly reviewerUnitId: string;
  readonly reviewerIds: readonly string[];
  readonly collectiveMemberIds: readonly string[];
}

/** An instance's organisation, validated, with the questions the services ask of it. */
export class OrgChart {
  private readonly unitsById: ReadonlyMap<string, Unit>;
  private readonly usersById: ReadonlyMap<string, User>;
  private readonly managedDirectly: ReadonlyMap<string, readonly string[]>;

  private constructor(private readonly data: OrgData) {
    this.unitsById = new Map(data.units.map((u) => [u.id, u]));
    this.usersById = new Map(data.users.map((u) => [u.id, u]));
    const managed = new Map<string, string[]>();
    for (const { id, managedByUnitId: manager } of data.units) {
      if (manager !== null) managed.set(manager, [...(managed.get(manager) ?? []), id]);
    }
    this.managedDirectly = managed;
  }

  /** Refuses bad data with InvalidInput listing every problem. */
  static load(raw: unknown): OrgChart {
    return new OrgChart(validateOrgData(raw));
  }

  get instance(): Instance {
    return this.data.instance;
  }

  get units(): readonly Unit[] {
    return this.data.units;
  }

  get users(): readonly User[] {
    return this.data.users;
  }

  unit(unitId: string): Unit {
    const unit = this.unitsById.get(unitId);
    if (!unit) throw new NotFound('unit', unitId);
    return unit;
  }

  user(userId: string): User {
    const user = this.usersById.get(userId);
    if (!user) throw new NotFound('user', userId);
    return user;
  }

  members(unitId: string): readonly User[] {
    const { id } = this.unit(unitId);
    return this.data.users.filter((u) => u.unitId === id);
  }

  /** The unit and every unit it manages, directly or through the units it manages. */
  managedUnits(unitId: string): readonly string[] {
    const found = [this.unit(unitId).id];
    for (let i = 0; i < found.length; i++) found.push(...(this.managedDirectly.get(found[i]) ?? []));
    return found;
  }

  /** §3: a user acts within their unit and the units it manages. */
  jurisdiction(userId: string): readonly string[] {
    return this.managedUnits(this.user(userId).unitId);
  }

  inJurisdiction(userId: string, unitId: string): boolean {
    return this.manages(this.user(userId).unitId, unitId);
  }

  /** C14-2.3c: the directly managing level a unit escalates to; null at the top of the instance. */
  escalationTarget(unitId: string): string | null {
    return this.unit(unitId).managedByUnitId;
  }

  /**
   * C14-2.3c: whether a unit's authority covers a proposal's scope, i.e. it manages every unit in it.
   * An empty scope means the proposer's own unit.
   */
  covers(unitId: string, scopeUnitIds: readonly string[], proposerUnitId: string): boolean {
    const scope = scopeUnitIds.length > 0 ? scopeUnitIds : [proposerUnitId];
    return scope.every((scopeUnitId) => this.manages(unitId, scopeUnitId));
  }

  /** D73-8.1a: the head and the deputies, minus a deputy who made the proposal. */
  votingCollective(unitId: string, proposerId?: string): readonly string[] {
    const unit = this.unit(unitId);
    return [unit.headId, ...unit.deputyIds.filter((id) => id !== proposerId)];
  }

  /**
   * C14-2.3a/b: a proposal goes to the head of the proposer's unit; the head's own proposal goes
   * to the unit's collective or to the head of the managing unit, as the instance decides.
   * `proposerUnitId` defaults to the proposer's current unit (a submitted proposal keeps the unit
   * it was drafted in).
   */
  route(
    proposer: { readonly proposerId: string; readonly proposerUnitId?: string },
    policy: Pick<InstancePolicy, 'headProposalRoute'>,
  ): ProposalRouting {
    const { proposerId } = proposer;
    const { unitId } = this.user(proposerId);
    const unit = this.unit(proposer.proposerUnitId ?? unitId);
    if (unit.headId !== proposerId) return this.reviewAt('unit-head', unit, proposerId);
    const superior = unit.managedByUnitId;
    // At the top of the instance there is no superior head: the collective is the only body left.
    if (policy.headProposalRoute === 'superior-head' && superior !== null) {
      return this.reviewAt('superior-head', this.unit(superior), proposerId);
    }
    return this.reviewAt('collective', unit, proposerId);
  }

  private reviewAt(route: ReviewRoute, unit: Unit, proposerId: string): ProposalRouting {
    const collectiveMemberIds = this.votingCollective(unit.id, proposerId);
    return {
      route,
      reviewerUnitId: unit.id,
      reviewerIds: route === 'collective' ? collectiveMemberIds : [unit.headId],
      collectiveMemberIds,
    };
  }

  /** Walks up the management chain from `unitId`: the chain is short, the unit list may be long. */
  private manages(managerUnitId: string, unitId: string): boolean {
    const managerId = this.unit(managerUnitId).id;
    for (let at: string | null = this.unit(unitId).id; at !== null; at = this.unit(at).managedByUnitId) {
      if (at === managerId) return true;
    }
    return false;
  }
}

export function loadOrgChart(raw: unknown): OrgChart {
  return OrgChart.load(raw);
}
