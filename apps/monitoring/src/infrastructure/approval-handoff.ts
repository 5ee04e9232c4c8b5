import { InvalidInput } from '@dotpha/kernel';
import type { PlanPilot } from '@dotpha/monitoring-domain';
import type { ProposalEvent } from '@dotpha/proposals-domain';

type Outcome = ProposalEvent<'ProposalReviewOutcomeRecorded'>['data'];

/**
 * SAGA-withdraw: pilots are planned from the approval as the PROPOSAL stream recorded it, not
 * from the approvals context's `ProposalApproved`. The proposal records no approval once it is
 * withdrawn and refuses a withdrawal once an approval is recorded, so a pilot never follows a
 * withdrawal, whatever order the two contexts' events arrive in.
 *
 * Null for outcomes that plan nothing: reviews opened, revisions, rejections, escalations, and
 * approvals recorded before version 2 (whose pilots were planned from ProposalApproved then).
 * Fields are copied one by one: the proposals context may publish more than PilotPlanned takes.
 */
export function planPilotFromOutcome(outcome: Outcome): PlanPilot['data'] | null {
  const { approval } = outcome;
  if (!approval || (outcome.outcome !== 'approved-pilot' && outcome.outcome !== 'approved-implementation')) return null;
  const { plan, people } = approval;
  const { endDate, supervisorId } = plan;
  // An implementation may leave these open (C14-2.3e), but a pilot record without an end date
  // or a supervisor cannot be followed; refusing parks the event visibly instead of inventing them.
  if (endDate === null || supervisorId === null) {
    const open = [endDate === null ? 'end date' : null, supervisorId === null ? 'supervisor' : null].filter(Boolean).join(' and ');
    throw new InvalidInput(`the ${approval.decision} approved for proposal '${outcome.proposalId}' leaves its ${open} open; monitoring needs both`, {
      proposalId: outcome.proposalId,
    });
  }
  return {
    proposalId: outcome.proposalId,
    proposerId: people.proposerId,
    proposerUnitId: approval.proposerUnitId,
    kind: approval.decision,
    plan: {
      scope: plan.scope,
      startDate: plan.startDate,
      endDate,
      kpis: plan.kpis.map(({ id, name, unit, target, direction }) => ({ id, name, unit, target, direction })),
      milestones: plan.milestones.map(({ id, name, dueDate }) => ({ id, name, dueDate })),
      resources: plan.resources.map(({ kind, description, amount }) => ({ kind, description, ...(amount === undefined ? {} : { amount }) })),
      supervisorId,
    },
    people: {
      proposerId: people.proposerId,
      coProposerIds: [...people.coProposerIds],
      implementerIds: [...people.implementerIds],
      approvingHeadId: people.approvingHeadId,
    },
    legalBasis: approval.legalBasis,
  };
}
