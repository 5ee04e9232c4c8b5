import { Inject, Injectable } from '@nestjs/common';
import { Forbidden, InvalidInput } from '@dotpha/kernel';
import { OrgChart } from '@dotpha/org';
import {
  REPORT_STREAM_TYPE, type ReportRecipients, commandRoles, periodicReportDecider, reportStreamId,
} from '@dotpha/rewards-domain';
import { type Caller, RUNTIME_CONFIG, type RuntimeConfig, ServiceKernel, commandMetadata, requireRole } from '@dotpha/service-runtime';
import type { InspectionCaseFactsView, ProposalFactsView, RecognitionView } from './read-models';
import { REPORT_INSTANCE_ROLES, REPORT_JURISDICTION_ROLES, Access } from './access';
import { type PeriodicReport, computeReport, figuresOf, parsePeriod } from './periodic-report';

export interface ReportQuery {
  readonly period?: string;
  readonly year?: number;
  readonly unitId?: string;
  readonly field?: string;
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly kernel: ServiceKernel,
    private readonly access: Access,
    private readonly org: OrgChart,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /** C14-2.5a, C14-2.5d: the figures of a period by unit and field, overdue steps per person (HN24-shirk), prohibited acts (D73-6). */
  async periodic(caller: Caller, query: ReportQuery): Promise<PeriodicReport> {
    requireRole(caller, [...REPORT_INSTANCE_ROLES, ...REPORT_JURISDICTION_ROLES], 'read the periodic review');
    if ((query.period === undefined) === (query.year === undefined)) throw new InvalidInput('name the period: ?period=H1-2026|H2-2026|2026|2026-01-01..2026-06-30 (or ?year=2026)');
    const period = parsePeriod(query.period ?? String(query.year));
    const scope = this.access.reportScope(caller);
    let units: ReadonlySet<string> | null = scope;
    if (query.unitId !== undefined) {
      if (!this.access.knows(query.unitId)) throw new InvalidInput(`unknown unit '${query.unitId}'`, { unitId: query.unitId });
      if (scope && !scope.has(query.unitId)) throw new Forbidden(`unit '${query.unitId}' is outside your jurisdiction`);
      // The unit and the units it manages (§3).
      units = new Set(this.org.managedUnits(query.unitId));
    }
    const [proposals, recognitions, cases] = await Promise.all([
      this.kernel.readModels.find<ProposalFactsView>('proposal-facts'),
      this.kernel.readModels.find<RecognitionView>('recognitions'),
      this.kernel.readModels.find<InspectionCaseFactsView>('inspection-cases'),
    ]);
    return computeReport({
      period,
      year: query.year ?? null,
      scope: scope ? 'jurisdiction' : 'instance',
      units,
      unitId: query.unitId ?? null,
      field: query.field ?? null,
      timeZone: this.config.policy.timeZone,
      now: this.kernel.now(),
      proposals: proposals.map((d) => d.data),
      recognitions: recognitions.map((d) => d.data),
      cases: cases.map((d) => d.data),
      unitName: (unitId) => this.access.unitName(unitId),
      person: (userId) => {
        const user = this.org.users.find((u) => u.id === userId);
        return user ? { name: user.name, unitId: user.unitId } : null;
      },
    });
  }

  /**
   * C14-2.5d: the unit's report for the period goes upward to the superior party committee and the
   * organisation office, recorded as PeriodicReportSent with the figures as sent.
   */
  async send(caller: Caller, query: { readonly period: string; readonly unitId: string; readonly field?: string }) {
    requireRole(caller, commandRoles.SendPeriodicReport, 'send the periodic report');
    if (!this.access.knows(query.unitId)) throw new InvalidInput(`unknown unit '${query.unitId}'`, { unitId: query.unitId });
    // A unit head sends the reports of the units they manage; the organisation office any unit's.
    if (caller.role === 'unit-head' && !this.org.inJurisdiction(caller.user.id, query.unitId)) {
      throw new Forbidden(`unit '${query.unitId}' is outside your jurisdiction`);
    }
    // Figures as the instance sees them (the sender's own view may be narrower than the unit's).
    const report = await this.periodic({ ...caller, role: 'organization-office' }, { period: query.period, unitId: query.unitId, field: query.field });
    const recipients = this.recipients(query.unitId);
    const result = await this.kernel.execute(periodicReportDecider, REPORT_STREAM_TYPE, reportStreamId(query.unitId, report.period.label), {
      type: 'SendPeriodicReport',
      data: { unitId: query.unitId, period: report.period, field: query.field ?? null, recipients, figures: figuresOf(report.totals) },
      metadata: commandMetadata(caller, this.kernel.now()),
    });
    return { unitId: query.unitId, period: report.period, recipients, streamId: result.streamId, position: result.position };
  }

  /**
   * Who the report goes up to, from the organisation chart. The chart has no kind of unit, so the
   * superior party committee is the top of the unit's parent chain (the provincial party committee,
   * Tỉnh ủy, in the sample province), the unit itself excluded; the organisation office is every
   * user holding the role.
   */
  private recipients(unitId: string): ReportRecipients {
    let top = this.org.unit(unitId);
    while (top.parentId !== null) top = this.org.unit(top.parentId);
    const organizationOfficeIds = this.org.users.filter((u) => u.roles.includes('organization-office')).map((u) => u.id);
    return { partyCommittee: top.id === unitId ? null : { unitId: top.id, headId: top.headId }, organizationOfficeIds };
  }
}
