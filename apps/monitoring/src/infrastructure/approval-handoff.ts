import type { ProposalApproved } from '@dotpha/approvals-domain';
import { InvalidInput } from '@dotpha/kernel';
import type { PlanPilot } from '@dotpha/monitoring-domain';

/**
 * Translates the approvals context's published `ProposalApproved` into this context's PlanPilot.
 * Fields are copied one by one: approvals may publish more than the strict PilotPlanned schema
 * accepts, and what it adds later must not break the hand-off.
 */
export function planPilotFromApproval(approved: ProposalApproved['data']): PlanPilot['data'] {
  const { plan } = approved;
  const { endDate, supervisorId } = plan;
  // An implementation may leave these open (C14-2.3e), but a pilot record without an end date
  // or a supervisor cannot be followed; refusing parks the event visibly instead of inventing them.
  if (endDate === null || supervisorId === null) {
    const open = [endDate === null ? 'end date' : null, supervisorId === null ? 'supervisor' : null].filter(Boolean).join(' and ');
    throw new InvalidInput(`the ${approved.decision} approved for proposal '${approved.proposalId}' leaves its ${open} open; monitoring needs both`, {
      proposalId: approved.proposalId,
    });
  }
  return {
    proposalId: approved.proposalId,
    proposerId: approved.proposerId,
    proposerUnitId: approved.proposerUnitId,
    kind: approved.decision,
    plan: {
      scope: plan.scope,
      startDate: plan.startDate,
      endDate,
      kpis: plan.kpis.map(({ id, name, unit, target, direction }) => ({ id, name, unit, target, direction })),
      milestones: plan.milestones.map(({ id, name, dueDate }) => ({ id, name, dueDate })),
      resources: plan.resources.map(({ kind, description, amount }) => ({ kind, description, ...(amount === undefined ? {} : { amount }) })),
      supervisorId,
    },
  };
}
