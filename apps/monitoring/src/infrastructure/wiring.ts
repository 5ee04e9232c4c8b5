import { PILOT_STREAM_TYPE, pilotDecider, pilotStreamId } from '@dotpha/monitoring-domain';
import type { ProposalEvent } from '@dotpha/proposals-domain';
import { type ServiceSpec, documentAccess, reactionMetadata, reactor, readAccessByStreamType } from '@dotpha/service-runtime';
import { pilotDisclosure, seesPilot } from '../application/pilots.service';
import { planPilotFromOutcome } from './approval-handoff';
import { PILOTS_COLLECTION, type PilotRecord } from '../application/pilot-record';
import { pilotsProjection } from './projections';

export const monitoringService: ServiceSpec = {
  name: 'monitoring',
  reads: ['monitoring'],
  projections: [pilotsProjection],
  /** The audit trail reads a pilot by the predicate and the disclosure of the pilot queries. */
  readAccess: readAccessByStreamType({
    [PILOT_STREAM_TYPE]: documentAccess<PilotRecord>(PILOTS_COLLECTION, (caller, doc, kernel) => (seesPilot(kernel.config.org, caller, doc) ? pilotDisclosure(caller, doc) : 'none')),
  }),
  reactors: [
    reactor<ProposalEvent<'ProposalReviewOutcomeRecorded'>>({
      // Both decisions are followed: a pilot as an experiment, an implementation as its rollout.
      // SAGA-withdraw: from the approval the proposal accepted, never from ProposalApproved.
      name: 'approved-plans',
      canHandle: ['ProposalReviewOutcomeRecorded'],
      async react(event, kernel) {
        const data = planPilotFromOutcome(event.data);
        if (!data) return;
        await kernel.execute(pilotDecider, PILOT_STREAM_TYPE, pilotStreamId(data.proposalId), {
          type: 'PlanPilot',
          data,
          metadata: reactionMetadata(event, kernel.now()),
        });
      },
    }),
  ],
};
