import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { NotFound, type PageParams, RuleViolation } from '@dotpha/kernel';
import { OrgChart, type Role } from '@dotpha/org';
import {
  type InitiativeKey, type RegistrationCommand, REGISTRATION_STREAM_TYPE, assignmentStreamId, commandRoles, proposalDecider,
  proposalStreamId, registrationDecider, registrationShortfalls, registrationStreamId,
} from '@dotpha/proposals-domain';
import { type Caller, type ListPage, ServiceKernel, commandMetadata, requireJurisdiction, requireRole } from '@dotpha/service-runtime';
import type { InitiativeView, RegistrationView } from './read-models';
import { type RegistrationSort, registrationListQuery } from './registration-list';

/** An initiative as its unit registers it: the unit is the caller's, the id is made here. */
export type InitiativeRegistration = Omit<Extract<RegistrationCommand, { type: 'RegisterInitiative' }>['data'], 'unitId' | 'initiativeId'>;

/** HCM3815-1: the city committee follows up the agencies that owe a registration; analytics report it. */
export const SHORTFALL_READERS: readonly Role[] = ['city-committee', 'analyst'];

export interface RegisteredInitiativeView extends InitiativeView {
  readonly unitId: string;
  readonly year: number;
}

export interface MissingRegistrations {
  readonly year: number;
  readonly minimum: number;
  readonly units: readonly { readonly unitId: string; readonly unitName: string; readonly registered: number; readonly missing: number }[];
}

@Injectable()
export class RegistrationsService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  async register(caller: Caller, initiative: InitiativeRegistration) {
    const { year, title, field, summary, ...answers } = initiative;
    requireRole(caller, commandRoles.RegisterInitiative, 'RegisterInitiative');
    await this.checkAnswers(caller.unitId, answers.assignmentId, answers.proposalIds ?? []);
    return this.run(caller, {
      type: 'RegisterInitiative',
      data: { unitId: caller.unitId, year, initiativeId: randomUUID(), title, field, summary, ...answers },
    });
  }

  /**
   * HN67-assign: the named assignment exists, and the named proposals exist and come from the
   * registering unit or the units it manages.
   */
  private async checkAnswers(unitId: string, assignmentId: string | undefined, proposalIds: readonly string[]): Promise<void> {
    if (assignmentId !== undefined && (await this.kernel.store.streamVersion(assignmentStreamId(assignmentId))) === 0) {
      throw new NotFound('assignment', assignmentId);
    }
    const units = this.org.managedUnits(unitId);
    for (const proposalId of proposalIds) {
      const proposal = await this.kernel.state(proposalDecider, proposalStreamId(proposalId));
      if (proposal.status === 'none') throw new NotFound('proposal', proposalId);
      if (!units.includes(proposal.proposerUnitId)) {
        throw new RuleViolation('HN67-assign', 'a registration names only proposals of its own unit or the units it manages', { proposalId });
      }
    }
  }

  /** A decision needs the unit's registrations for that year to exist. */
  approve(caller: Caller, key: InitiativeKey, reasons?: string) {
    return this.run(caller, { type: 'ApproveRegistration', data: { ...key, ...(reasons ? { reasons } : {}) } }, true);
  }

  reject(caller: Caller, key: InitiativeKey, reasons: string) {
    return this.run(caller, { type: 'RejectRegistration', data: { ...key, reasons } }, true);
  }

  /** One page of the year's registrations the caller sees, by unit (seesRegistration as a query: registration-list.ts), their initiatives flattened. */
  async list(caller: Caller, year: number, filter: PageParams<RegistrationSort> = {}): Promise<ListPage<RegisteredInitiativeView>> {
    const page = await this.kernel.readModels.page<RegistrationView>('registrations', registrationListQuery(this.org, caller, year, filter));
    return { ...page, items: page.items.flatMap(({ data: r }) => r.initiatives.map((initiative) => ({ unitId: r.unitId, year: r.year, ...initiative }))) };
  }

  /**
   * The agencies that have not registered the policy minimum for `year`. Which units count as
   * agencies is data, never a hard-coded level: by default those the caller's unit manages
   * directly (the agencies answering to the city committee), or every unit of `level` in the
   * caller's jurisdiction.
   */
  async missing(caller: Caller, year: number, level?: string): Promise<MissingRegistrations> {
    requireRole(caller, SHORTFALL_READERS, 'view missing registrations');
    const units = level
      ? this.org.jurisdiction(caller.user.id).map((id) => this.org.unit(id)).filter((u) => u.level === level)
      : this.org.units.filter((u) => u.managedByUnitId === caller.unitId);
    const facts = (await this.forYear(year)).flatMap((r) => r.facts);
    const minimum = this.kernel.config.policy.minRegistrationsPerYear;
    const names = new Map(units.map((u) => [u.id, u.name]));
    return {
      year,
      minimum,
      units: registrationShortfalls(units, facts, year, minimum).map((s) => ({ ...s, unitName: names.get(s.unitId) ?? s.unitId })),
    };
  }

  /** A unit outside the caller's jurisdiction reads like one that never registered. */
  async history(caller: Caller, unitId: string, year: number) {
    const events = seesRegistration(this.org, caller, unitId) ? await this.kernel.history(registrationStreamId(unitId, year)) : [];
    if (events.length === 0) throw new NotFound('registration', `${unitId}/${year}`);
    return events;
  }

  private async forYear(year: number): Promise<RegistrationView[]> {
    return (await this.kernel.readModels.find<RegistrationView>('registrations', { year })).map((d) => d.data);
  }

  private async run(caller: Caller, command: Omit<RegistrationCommand, 'metadata'>, existing = false) {
    requireRole(caller, commandRoles[command.type], command.type);
    const { unitId, year, initiativeId } = command.data;
    requireJurisdiction(this.org, caller, unitId, 'registration', `${unitId}/${year}`);
    const result = await this.kernel.execute(registrationDecider, REGISTRATION_STREAM_TYPE, registrationStreamId(unitId, year), (registration) => {
      if (existing && registration.unitId === null) throw new NotFound('registration', `${unitId}/${year}`);
      return { ...command, metadata: commandMetadata(caller, this.kernel.now()) } as RegistrationCommand;
    });
    return { initiativeId, streamId: result.streamId, position: result.position };
  }
}

/**
 * A unit's registrations are read within the jurisdiction over the unit: the queries and the audit
 * trail read by this one predicate. A registration holds no restricted text.
 */
export function seesRegistration(org: OrgChart, caller: Caller, unitId: string): boolean {
  return org.units.some((u) => u.id === unitId) && org.inJurisdiction(caller.user.id, unitId);
}
