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

function kpi(value: unknown, field: string): Kpi {
  const item = input.record(value, field);
  if (typeof item.target !== 'number' || !Number.isFinite(item.target)) {
    throw fixes('a numeric target for every KPI', { field });
  }
  return {
    id: input.text(item.id, `${field}.id`),
    name: input.text(item.name, `${field}.name`),
    unit: input.string(item.unit, `${field}.unit`),
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

/** Checks the plan an approval fixes and returns a copy holding only the published fields. */
export function checkPlan(decision: ApprovalDecision, value: unknown): ApprovedPlan {
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
  };
  if (plan.endDate !== null && plan.endDate <= plan.startDate) throw fixes('an end date after its start date');
  assertPlanFixed(decision, plan);
  return plan;
}
