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

const PERCENT_UNITS = ['%', 'percent', 'phần trăm'];
const COUNT_UNITS = ['ngày', 'ngày làm việc', 'day', 'days', 'working days', 'hồ sơ', 'vụ', 'người', 'giờ', 'hours', 'tháng', 'months'];

/**
 * Why a value (reported or targeted) cannot be one of a KPI measured in `unit`, or null: a
 * percentage runs from 0 to 100, a count of days, files, cases or people is never negative.
 * Units are free text of the plan, so only the common ones are judged.
 */
export function kpiValueProblem(unit: string, value: number): string | null {
  const u = unit.trim().toLowerCase();
  if (PERCENT_UNITS.includes(u) && (value < 0 || value > 100)) return 'is not a percentage (0 to 100)';
  if (COUNT_UNITS.includes(u) && value < 0) return `cannot be a negative number of ${unit}`;
  return null;
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
