import type { ProposalApproved } from '@dotpha/approvals-domain';
import { pilotDecider } from '@dotpha/monitoring-domain';
import { type ServiceSpec, reactionMetadata } from '@dotpha/service-runtime';
import { planPilotFromApproval } from './approval-handoff';
import { pilotsProjection } from './projections';
import { PILOT_STREAM_TYPE, pilotStreamId } from '@dotpha/monitoring-domain';

export const monitoringService: ServiceSpec = {
  name: 'monitoring',
  reads: ['monitoring'],
  projections: [pilotsProjection],
  reactors: [
    {
      // Both decisions are followed: a pilot as an experiment, an implementation as its rollout.
      name: 'approved-plans',
      handles: ['ProposalApproved'],
      async react(event, kernel) {
        const data = planPilotFromApproval(event.data as ProposalApproved['data']);
        await kernel.execute(pilotDecider, PILOT_STREAM_TYPE, pilotStreamId(data.proposalId), {
          type: 'PlanPilot',
          data,
          metadata: reactionMetadata(event, kernel.now()),
        });
      },
    },
  ],
};
