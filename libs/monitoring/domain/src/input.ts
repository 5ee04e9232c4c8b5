import { InvalidInput, RuleViolation } from '@dotpha/kernel';
import type { Milestone, PilotChanges, PilotPeople, PilotPlan, ReportProgress } from './commands';
import type { Pilot } from './pilot.state';
import { kpiValueProblem, localDate } from './progress';

/*
 * The checks of what a pilot command carries, before any rule of the pilot's life cycle: dates
 * that exist, ids named once, targets and values a KPI's unit can hold, text that says something.
 */

export function nonBlank(value: string, field: string): string {
  if (value.trim() === '') throw new InvalidInput(`${field} is empty`);
  return value;
}

export function requireReasons(reasons: readonly string[]): readonly string[] {
  if (reasons.length === 0 || reasons.some((r) => r.trim() === '')) throw new InvalidInput('give the reasons');
  return reasons;
}

export function checkTolerance(tolerance: number): number {
  if (!(Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= 1)) {
    throw new InvalidInput(`kpiTolerance is a fraction between 0 and 1, not ${tolerance}`);
  }
  return tolerance;
}

export function checkAmount(amount: number | undefined): void {
  if (amount !== undefined && !(Number.isFinite(amount) && amount >= 0)) {
    throw new InvalidInput('a support amount is a non-negative number');
  }
}

export function unique(ids: readonly string[], what: string): void {
  const duplicate = ids.find((x, i) => ids.indexOf(x) !== i);
  if (duplicate !== undefined) throw new InvalidInput(`${what} '${duplicate}' appears twice`);
}

export function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  // Rejects dates that do not exist (2026-02-30) rather than letting them roll over.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

function checkTarget(kpiId: string, unit: string, target: number): void {
  if (!Number.isFinite(target)) throw new InvalidInput(`KPI '${kpiId}' has no numeric target`);
  const problem = kpiValueProblem(unit, target);
  if (problem) throw new InvalidInput(`the target ${target} of KPI '${kpiId}' ${problem}`, { kpiId });
}

function checkDueDates(milestones: readonly Milestone[]): void {
  for (const m of milestones) if (!isDate(m.dueDate)) throw new InvalidInput(`milestone '${m.id}' is due on '${m.dueDate}'`);
}

export function checkPlan(plan: PilotPlan, proposerId: string): void {
  if (plan.supervisorId === proposerId) {
    throw new RuleViolation('C14-2.4a', 'the proposer cannot supervise their own pilot');
  }
  if (!isDate(plan.startDate) || !isDate(plan.endDate) || plan.startDate > plan.endDate) {
    throw new InvalidInput(`the plan runs from '${plan.startDate}' to '${plan.endDate}'`);
  }
  unique(plan.kpis.map((k) => k.id), 'KPI');
  unique(plan.milestones.map((m) => m.id), 'milestone');
  for (const k of plan.kpis) checkTarget(k.id, k.unit, k.target);
  checkDueDates(plan.milestones);
}

/** D73-10b: the people named are distinct, and the proposer is the pilot's. */
export function checkPeople(people: PilotPeople, proposerId: string): PilotPeople {
  if (!people || people.proposerId !== proposerId) throw new InvalidInput('the pilot\'s people name its proposer');
  unique(people.coProposerIds, 'co-proposer');
  unique(people.implementerIds, 'implementer');
  return {
    proposerId,
    coProposerIds: [...people.coProposerIds],
    implementerIds: [...people.implementerIds],
    approvingHeadId: people.approvingHeadId,
  };
}

export function checkChanges(pilot: Pilot, started: boolean, changes: PilotChanges): PilotChanges {
  const { startDate, endDate, kpiTargets = [], milestoneDueDates = [], addedMilestones = [] } = changes;
  if (startDate === undefined && endDate === undefined && !kpiTargets.length && !milestoneDueDates.length && !addedMilestones.length) {
    throw new InvalidInput('an adjustment changes at least one date, target or milestone');
  }
  if (startDate !== undefined && started) throw new InvalidInput('the start date is fixed once the pilot has started');
  const start = startDate ?? pilot.startDate;
  const end = endDate ?? pilot.endDate;
  if (!isDate(start) || !isDate(end) || start > end) throw new InvalidInput(`the pilot would run from '${start}' to '${end}'`);
  unique(kpiTargets.map((t) => t.kpiId), 'KPI');
  for (const { kpiId, target } of kpiTargets) {
    const kpi = pilot.kpis.find((k) => k.id === kpiId);
    if (!kpi) throw new InvalidInput(`the plan has no KPI '${kpiId}'`);
    checkTarget(kpiId, kpi.unit, target);
  }
  unique(milestoneDueDates.map((d) => d.milestoneId), 'milestone');
  for (const { milestoneId, dueDate } of milestoneDueDates) {
    const milestone = pilot.milestones.find((m) => m.id === milestoneId);
    if (!milestone) throw new InvalidInput(`the plan has no milestone '${milestoneId}'`);
    if (milestone.metOn !== null) throw new InvalidInput(`milestone '${milestoneId}' is already met`);
    if (!isDate(dueDate)) throw new InvalidInput(`milestone '${milestoneId}' cannot be due on '${dueDate}'`);
  }
  unique([...pilot.milestones.map((m) => m.id), ...addedMilestones.map((m) => m.id)], 'milestone');
  checkDueDates(addedMilestones);
  return changes;
}

/** The values of a progress report: KPIs and milestones of the plan, each named once. */
export function checkProgress(pilot: Pilot, data: ReportProgress['data'], now: Date): void {
  const { kpiValues, milestonesMet } = data;
  const today = localDate(now);
  unique(kpiValues.map((v) => v.kpiId), 'KPI');
  for (const { kpiId, value } of kpiValues) {
    const kpi = pilot.kpis.find((k) => k.id === kpiId);
    if (!kpi) throw new InvalidInput(`the plan has no KPI '${kpiId}'`);
    if (!Number.isFinite(value)) throw new InvalidInput(`the value of KPI '${kpiId}' is not a number`);
    const problem = kpiValueProblem(kpi.unit, value);
    // C14-2.4a: a value its own unit cannot hold would hide (or fake) a problem found early.
    if (problem) throw new InvalidInput(`the value ${value} of KPI '${kpiId}' ${problem}`, { kpiId, value });
  }
  unique(milestonesMet.map((m) => m.milestoneId), 'milestone');
  for (const { milestoneId, metOn } of milestonesMet) {
    const milestone = pilot.milestones.find((m) => m.id === milestoneId);
    if (!milestone) throw new InvalidInput(`the plan has no milestone '${milestoneId}'`);
    if (milestone.metOn !== null) throw new InvalidInput(`milestone '${milestoneId}' was already reported met`);
    if (!isDate(metOn) || metOn > today) throw new InvalidInput(`milestone '${milestoneId}' cannot be met on '${metOn}'`);
  }
}

/** Flags a check, support or adjustment says it resolves: open flags of this pilot. */
export function resolvable(pilot: Pilot, flagIds: readonly string[] = []): readonly string[] {
  for (const flagId of flagIds) {
    if (!pilot.flags.some((f) => f.flagId === flagId && f.open)) throw new InvalidInput(`flag '${flagId}' is not open`);
  }
  return [...new Set(flagIds)];
}
