import { Injectable } from '@nestjs/common';
import { type Caller, ServiceKernel, requireRole } from '@dotpha/service-runtime';
import type { ProposalFactsView, RecognitionView } from '../infrastructure/projections';
import { Access, REPORT_INSTANCE_ROLES, REPORT_JURISDICTION_ROLES } from './access';

export interface PeriodCounts {
  readonly recommended: number;
  readonly granted: number;
  readonly declined: number;
  readonly barred: number;
  readonly replications: number;
  readonly institutionalizations: number;
  readonly bonusPoints: number;
}

/** C14-2.5a: the periodic review (sơ kết, tổng kết) of recognitions and models, by unit and by field. */
export interface PeriodicReport {
  readonly year: number;
  /** The whole instance, or the caller's jurisdiction. */
  readonly scope: 'instance' | 'jurisdiction';
  readonly totals: PeriodCounts;
  readonly byUnit: readonly (PeriodCounts & { readonly unitId: string; readonly unitName: string | null })[];
  /** 'unknown' where the proposal's submission has not reached rewards. */
  readonly byField: readonly (PeriodCounts & { readonly field: string })[];
}

const ZERO: PeriodCounts = { recommended: 0, granted: 0, declined: 0, barred: 0, replications: 0, institutionalizations: 0, bonusPoints: 0 };

@Injectable()
export class ReportsService {
  constructor(private readonly kernel: ServiceKernel, private readonly access: Access) {}

  async periodic(caller: Caller, year: number): Promise<PeriodicReport> {
    requireRole(caller, [...REPORT_INSTANCE_ROLES, ...REPORT_JURISDICTION_ROLES], 'read the periodic review');
    const scope = this.access.reportScope(caller);
    const [recognitions, facts] = await Promise.all([
      this.kernel.readModels.find<RecognitionView>('recognitions'),
      this.kernel.readModels.find<ProposalFactsView>('proposal-facts'),
    ]);
    const fieldOf = new Map(facts.map((d) => [d.id, d.data.field]));
    let totals = ZERO;
    const byUnit = new Map<string, PeriodCounts>();
    const byField = new Map<string, PeriodCounts>();
    for (const { data: r } of recognitions) {
      if (scope && !scope.has(r.proposerUnitId)) continue;
      const counts = countsIn(r, String(year));
      if (Object.values(counts).every((n) => n === 0)) continue;
      const field = fieldOf.get(r.proposalId) ?? 'unknown';
      totals = add(totals, counts);
      byUnit.set(r.proposerUnitId, add(byUnit.get(r.proposerUnitId) ?? ZERO, counts));
      byField.set(field, add(byField.get(field) ?? ZERO, counts));
    }
    return {
      year,
      scope: scope ? 'jurisdiction' : 'instance',
      totals,
      byUnit: [...byUnit].sort(([a], [b]) => a.localeCompare(b)).map(([unitId, c]) => ({ unitId, unitName: this.access.unitName(unitId), ...c })),
      byField: [...byField].sort(([a], [b]) => a.localeCompare(b)).map(([field, c]) => ({ field, ...c })),
    };
  }
}

/** Each fact counts in the year it happened. */
function countsIn(r: RecognitionView, year: string): PeriodCounts {
  const inYear = (at: string | null | undefined) => (at?.startsWith(year) ? 1 : 0);
  const granted = inYear(r.grant?.grantedAt);
  return {
    recommended: inYear(r.recommendedAt),
    granted,
    declined: inYear(r.decline?.declinedAt),
    barred: inYear(r.barred?.barredAt),
    replications: r.replications.filter((x) => inYear(x.recommendedAt)).length,
    institutionalizations: r.institutionalizations.filter((x) => inYear(x.proposedAt)).length,
    bonusPoints: granted ? r.grant?.awards.bonusPoints ?? 0 : 0,
  };
}

function add(a: PeriodCounts, b: PeriodCounts): PeriodCounts {
  return Object.fromEntries(Object.keys(ZERO).map((k) => [k, a[k as keyof PeriodCounts] + b[k as keyof PeriodCounts]])) as unknown as PeriodCounts;
}
