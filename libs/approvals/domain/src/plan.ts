import { RuleViolation } from '@dotpha/kernel';
import {
  type ApprovalDecision,
  type ApprovedPlan,
  type Kpi,
  type Milestone,
  type Resource,
  KPI_DIRECTIONS,
  RESOURCE_KINDS,
} from './events';
import * as input from './input';

const fixes = (what: string, details: Record<string, unknown> = {}) =>
  new RuleViolation('C14-2.3e', `an approval fixes ${what}`, details);

/** Units of a share of a whole: a target in them lies between 0 and 100. */
const PERCENT_UNITS = ['%', 'percent', 'phần trăm'];

/**
 * Units whose quantity may be below zero: a change that may be a fall (written with a leading '±',
 * e.g. '± %' or '± tỷ đồng') and temperatures. Every other unit counts or measures something
 * (days, ngày, người, hồ sơ, đồng, ...), where a negative target can never be met.
 */
const isSigned = (unit: string): boolean => unit.startsWith('±') || ['°c', 'độ c'].includes(unit);

/** C14-2.3e: a target that cannot be met in its own unit fixes nothing. */
function assertAttainable(target: number, unit: string, field: string): void {
  const normalised = unit.trim().toLocaleLowerCase('vi');
  if (!isSigned(normalised) && target < 0) {
    throw fixes(`KPI targets that can be met: ${target} ${unit} is below zero`, { field, target, unit });
  }
  const percent = PERCENT_UNITS.includes(normalised) || normalised.startsWith('%');
  if (percent && (target < 0 || target > 100)) {
    throw fixes(`KPI targets that can be met: ${target}${unit} is not a share from 0 to 100`, { field, target, unit });
  }
}

function kpi(value: unknown, field: string): Kpi {
  const item = input.record(value, field);
  if (typeof item.target !== 'number' || !Number.isFinite(item.target)) {
    throw fixes('a numeric target for every KPI', { field });
  }
  const unit = input.string(item.unit, `${field}.unit`);
  assertAttainable(item.target, unit, `${field}.target`);
  return {
    id: input.text(item.id, `${field}.id`),
    name: input.text(item.name, `${field}.name`),
    unit,
    target: item.target,
    direction: input.oneOf(item.direction, KPI_DIRECTIONS, `${field}.direction`),
  };
}

function milestone(value: unknown, field: string): Milestone {
  const item = input.record(value, field);
  return {
    id: input.text(item.id, `${field}.id`),
    name: input.text(item.name, `${field}.name`),
    dueDate: input.day(item.dueDate, `${field}.dueDate`),
  };
}

function resource(value: unknown, field: string): Resource {
  const item = input.record(value, field);
  const given = {
    kind: input.oneOf(item.kind, RESOURCE_KINDS, `${field}.kind`),
    description: input.text(item.description, `${field}.description`),
  };
  const amount = input.optional(item.amount, (a) => input.nonNegative(a, `${field}.amount`));
  return amount === null ? given : { ...given, amount };
}

/**
 * Every approved plan is followed (C14-2.4a: monitoring tracks an implementation the same way as a
 * pilot), so each fixes its end date and supervisor. A pilot is an experiment judged later
 * (§4.4, §4.5), so it also fixes KPIs with targets and the resources given; an implementation
 * may leave those open.
 */
function assertPlanFixed(decision: ApprovalDecision, plan: ApprovedPlan): void {
  const missing = [
    plan.endDate === null ? 'an end date' : null,
    decision === 'pilot' && plan.kpis.length === 0 ? 'KPIs with targets' : null,
    plan.supervisorId === null ? 'a supervisor' : null,
  ].filter((what): what is string => what !== null);
  if (missing.length > 0) throw new RuleViolation('C14-2.3e', `a ${decision} approval fixes ${missing.join(', ')}`, { missing });
  if (decision === 'pilot' && plan.resources.length === 0) {
    throw new RuleViolation('C14-2.3f', 'a pilot approval states the resources given to carry it out');
  }
}

/** The same day `years` later (29 February rolls over to 1 March). */
function yearsAfter(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCFullYear(y + years);
  return date.toISOString().slice(0, 10);
}

/** Plans start near the decision and run a bounded time: a date outside these is a typing error, not a plan. */
export const PLAN_WINDOW = { startYearsBeforeDecision: 1, startYearsAfterDecision: 5, maxYears: 10 } as const;

/**
 * C14-2.3e: the dates fix a plan only within a sane window of the decision (UTC day of the
 * decision: a year's margin makes the time zone irrelevant here).
 */
function assertDatesSane(plan: ApprovedPlan, decidedAt: Date): void {
  const decisionDay = decidedAt.toISOString().slice(0, 10);
  const earliest = yearsAfter(decisionDay, -PLAN_WINDOW.startYearsBeforeDecision);
  const latest = yearsAfter(decisionDay, PLAN_WINDOW.startYearsAfterDecision);
  if (plan.startDate < earliest || plan.startDate > latest) {
    throw fixes(`a start date from ${earliest} to ${latest} (within a year before and five years after the decision)`, {
      field: 'plan.startDate',
      startDate: plan.startDate,
    });
  }
  if (plan.endDate !== null && plan.endDate <= plan.startDate) throw fixes('an end date after its start date');
  const lastEnd = yearsAfter(plan.startDate, PLAN_WINDOW.maxYears);
  if (plan.endDate !== null && plan.endDate > lastEnd) {
    throw fixes(`an end date at most ${PLAN_WINDOW.maxYears} years after its start (${lastEnd})`, { field: 'plan.endDate', endDate: plan.endDate });
  }
  const end = plan.endDate ?? lastEnd;
  plan.milestones.forEach(({ id, dueDate }, i) => {
    if (dueDate < plan.startDate || dueDate > end) {
      throw fixes(`milestones due between its start and end dates (${plan.startDate} to ${end})`, {
        field: `plan.milestones[${i}].dueDate`,
        milestoneId: id,
        dueDate,
      });
    }
  });
}

/** Checks the plan an approval fixes and returns a copy holding only the published fields. */
export function checkPlan(decision: ApprovalDecision, value: unknown, decidedAt: Date): ApprovedPlan {
  if (typeof value !== 'object' || value === null) throw fixes('its plan');
  const given = value as Record<string, unknown>;
  if (!input.isText(given.scope)) throw fixes('its scope');
  if (given.startDate === undefined || given.startDate === null) throw fixes('its start date');
  const plan: ApprovedPlan = {
    scope: given.scope,
    startDate: input.day(given.startDate, 'plan.startDate'),
    endDate: input.optional(given.endDate, (d) => input.day(d, 'plan.endDate')),
    kpis: input.uniqueIds(input.list(given.kpis ?? [], 'plan.kpis').map((k, i) => kpi(k, `plan.kpis[${i}]`)), 'plan.kpis'),
    milestones: input.uniqueIds(
      input.list(given.milestones ?? [], 'plan.milestones').map((m, i) => milestone(m, `plan.milestones[${i}]`)),
      'plan.milestones',
    ),
    resources: input.list(given.resources ?? [], 'plan.resources').map((r, i) => resource(r, `plan.resources[${i}]`)),
    supervisorId: input.optional(given.supervisorId, (id) => input.text(id, 'plan.supervisorId')),
    implementerIds: input.optional(given.implementerIds, (list) => input.ids(list, 'plan.implementerIds')) ?? [],
  };
  assertPlanFixed(decision, plan);
  assertDatesSane(plan, decidedAt);
  return plan;
}
