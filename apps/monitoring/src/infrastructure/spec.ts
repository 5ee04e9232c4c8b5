import { PILOT_STREAM_TYPE, pilotDecider, pilotStreamId } from '@dotpha/monitoring-domain';
import type { ProposalReviewOutcomeRecorded } from '@dotpha/proposals-domain';
import { type ServiceSpec, reactionMetadata } from '@dotpha/service-runtime';
import { planPilotFromOutcome } from './approval-handoff';
import { pilotsProjection } from './projections';

export const monitoringService: ServiceSpec = {
  name: 'monitoring',
  reads: ['monitoring'],
  projections: [pilotsProjection],
  reactors: [
    {
      // Both decisions are followed: a pilot as an experiment, an implementation as its rollout.
      // SAGA-withdraw: from the approval the proposal accepted, never from ProposalApproved.
      name: 'approved-plans',
      handles: ['ProposalReviewOutcomeRecorded'],
      async react(event, kernel) {
        const data = planPilotFromOutcome(event.data as ProposalReviewOutcomeRecorded['data']);
        if (!data) return;
        await kernel.execute(pilotDecider, PILOT_STREAM_TYPE, pilotStreamId(data.proposalId), {
          type: 'PlanPilot',
          data,
          metadata: reactionMetadata(event, kernel.now()),
        });
      },
    },
  ],
};
