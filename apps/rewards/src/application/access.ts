import { Injectable } from '@nestjs/common';
import { OrgChart, type Role } from '@dotpha/org';
import type { ProposalPeople } from '@dotpha/rewards-domain';
import { type Caller, type Disclosure, disclosureTo, requireJurisdiction } from '@dotpha/service-runtime';

/**
 * The organization office grants recognition across the instance and the city committee reviews
 * it periodically (C14-2.5a): both act on and read every recognition of the instance.
 */
export const RECOGNITION_INSTANCE_ROLES: readonly Role[] = ['organization-office', 'city-committee'];

/** A cadre's record is personal: besides the cadre and the heads above them, only those who keep or inspect records. */
const RECORD_INSTANCE_ROLES: readonly Role[] = ['organization-office', 'inspector'];

export const REPORT_INSTANCE_ROLES: readonly Role[] = ['organization-office', 'city-committee', 'analyst'];
export const REPORT_JURISDICTION_ROLES: readonly Role[] = ['authority', 'unit-head'];

/** Who may see or act on what in rewards, from the instance's organisation chart. */
@Injectable()
export class Access {
  constructor(private readonly org: OrgChart) {}

  /** Commands on a recognition: instance-wide roles anywhere, the others within their jurisdiction (else 404, as unknown). */
  requireRecognitionScope(caller: Caller, proposerUnitId: string, proposalId: string): void {
    if (!RECOGNITION_INSTANCE_ROLES.includes(caller.role)) requireJurisdiction(this.org, caller, proposerUnitId, 'recognition', proposalId);
  }

  /**
   * The rule of disclosure (disclosure.ts) on a recognition: in clear for the people it is about
   * (the proposer and whom it reaches, D73-10b) and the bodies that decide it across the instance
   * (the organisation office grants, the city committee reviews); redacted for anyone else.
   */
  recognitionDisclosure(caller: Caller, recognition: { readonly proposerId: string; readonly people?: ProposalPeople | null }): Disclosure {
    const people = recognition.people ?? null;
    return disclosureTo(caller, {
      people: [recognition.proposerId, ...(people ? [...people.coProposerIds, ...people.implementerIds, people.approvingHeadId] : [])],
      deciderRoles: RECOGNITION_INSTANCE_ROLES,
    });
  }

  /**
   * A cadre's record is read in clear by everyone who may read it at all (seesCadreRecord): the
   * cadre, those who keep or inspect records, and the heads who manage the cadre, whose personnel
   * record it is; a colleague reads none of it.
   */
  cadreRecordDisclosure(): Disclosure {
    return 'full';
  }

  /** The periodic reports (figures, no restricted text) of a unit: the report roles within their scope. */
  seesReport(caller: Caller, unitId: string): boolean {
    if (![...REPORT_INSTANCE_ROLES, ...REPORT_JURISDICTION_ROLES].includes(caller.role)) return false;
    const scope = this.reportScope(caller);
    return scope === null || scope.has(unitId);
  }

  seesRecognition(caller: Caller, recognition: { readonly proposerId: string; readonly proposerUnitId: string }): boolean {
    return caller.user.id === recognition.proposerId || RECOGNITION_INSTANCE_ROLES.includes(caller.role) || this.inJurisdiction(caller, recognition.proposerUnitId);
  }

  /**
   * The cadre themself, the heads up the management chain of any unit the cadre belonged to when
   * a fact arose (not colleagues of the same unit), the organization office and the inspectors.
   */
  seesCadreRecord(caller: Caller, userId: string, unitIds: readonly string[]): boolean {
    if (caller.user.id === userId || RECORD_INSTANCE_ROLES.includes(caller.role)) return true;
    return unitIds.some((unitId) => this.headChain(unitId).includes(caller.user.id));
  }

  /** Units whose figures a report shows the caller: null for the whole instance. */
  reportScope(caller: Caller): ReadonlySet<string> | null {
    return REPORT_INSTANCE_ROLES.includes(caller.role) ? null : new Set(this.org.jurisdiction(caller.user.id));
  }

  /** The cadre's current unit, when they are still in the organisation. */
  currentUnitOf(userId: string): string | undefined {
    return this.org.users.find((u) => u.id === userId)?.unitId;
  }

  unitName(unitId: string): string | null {
    return this.knows(unitId) ? this.org.unit(unitId).name : null;
  }

  knows(unitId: string): boolean {
    return this.org.units.some((u) => u.id === unitId);
  }

  // Facts may name units the chart no longer has (reforms merge units): those are nobody's jurisdiction.
  private inJurisdiction(caller: Caller, unitId: string): boolean {
    return this.knows(unitId) && this.org.inJurisdiction(caller.user.id, unitId);
  }

  private headChain(unitId: string): string[] {
    const heads: string[] = [];
    for (let at = this.knows(unitId) ? unitId : null; at !== null; at = this.org.escalationTarget(at)) heads.push(this.org.unit(at).headId);
    return heads;
  }
}
