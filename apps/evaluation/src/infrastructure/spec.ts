import { type ServiceSpec, reactionMetadata } from '@dotpha/service-runtime';
import { evaluationDecider } from '@dotpha/evaluation-domain';
import type { PilotEnd } from '@dotpha/monitoring-domain';
import { evaluationOpening } from '../application/schedule';
import { evaluationsProjection, submittedProposalsProjection } from './projections';
import { EVALUATION_STREAM_TYPE, evaluationStreamId } from '@dotpha/evaluation-domain';

export const evaluationService: ServiceSpec = {
  name: 'evaluation',
  // proposals: who a proposal is about, for abuse referred before any evaluation exists (C14-2.4d).
  reads: ['evaluation', 'proposals'],
  projections: [evaluationsProjection, submittedProposalsProjection],
  reactors: [
    {
      name: 'open-on-pilot-end',
      handles: ['PilotCompleted', 'PilotTerminated'],
      async react(event, kernel) {
        const end = event.data as PilotEnd;
        const ending = event.type === 'PilotCompleted' ? 'completed' : 'terminated';
        await kernel.execute(evaluationDecider, EVALUATION_STREAM_TYPE, evaluationStreamId(end.proposalId), {
          type: 'OpenEvaluation',
          data: evaluationOpening(end, ending, kernel.config.policy),
          metadata: reactionMetadata(event, kernel.now()),
        });
      },
    },
  ],
};
