import type { KpiDirection } from './commands';

export type KpiStatus = 'on-target' | 'off-target' | 'no-data';

/**
 * How far a value trails its target, as a fraction of the target's size (0 when on or past it).
 * Relative, so one instance-wide tolerance fits KPIs measured in percent, days or VND alike.
 */
export function kpiShortfall(kpi: { readonly target: number; readonly direction: KpiDirection }, value: number): number {
  const behind = kpi.direction === 'at-least' ? kpi.target - value : value - kpi.target;
  if (behind <= 0) return 0;
  return kpi.target === 0 ? Number.POSITIVE_INFINITY : behind / Math.abs(kpi.target);
}

/** A KPI is off target only when it trails by more than the tolerance (C14-2.4a). */
export function kpiStatus(
  kpi: { readonly target: number; readonly direction: KpiDirection },
  latest: number | null,
  tolerance: number,
): KpiStatus {
  if (latest === null) return 'no-data';
  return kpiShortfall(kpi, latest) > tolerance ? 'off-target' : 'on-target';
}

const ICT_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * The calendar date at `instant` where the instance is. Every instance is a Vietnamese province
 * or city, all on Indochina Time (UTC+7, no daylight saving), so a milestone due "on the 10th"
 * is not overdue at 20:00 UTC on the 9th.
 */
export function localDate(instant: Date): string {
  return new Date(instant.getTime() + ICT_OFFSET_MS).toISOString().slice(0, 10);
}
