import type { RecordedEvent } from '@dotpha/kernel';
import type { AbuseReferred, LiabilityDecided, OutcomeAssessed } from '@dotpha/evaluation-domain';
import {
  type CadreRecordCommand, type RecognitionGranted, cadreRecordDecider, recognitionDecider,
} from '@dotpha/rewards-domain';
import { type Reactor, type ServiceSpec, reactionMetadata } from '@dotpha/service-runtime';
import { cadreRecordsProjection, proposalFactsProjection, recognitionsProjection } from './projections';
import { CADRE_STREAM_TYPE, RECOGNITION_STREAM_TYPE, cadreStreamId, recognitionStreamId } from '@dotpha/rewards-domain';

type Received<E extends { type: string; data: unknown }> = RecordedEvent<E['type'], E['data']>;

/** DOMAIN.md §4.6: an achieved outcome, or a notable partial one, is recommended for recognition. */
const recommendRecognition: Reactor = {
  name: 'recommend-recognition',
  handles: ['OutcomeAssessed'],
  async react(event, kernel) {
    const { proposalId, proposerId, proposerUnitId, outcome, notable, motive } = (event as Received<OutcomeAssessed>).data;
    if (!(outcome === 'achieved' || (outcome === 'partially-achieved' && notable))) return;
    await kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(proposalId), {
      type: 'RecommendRecognition',
      data: { proposalId, proposerId, proposerUnitId, outcome, notable, noSelfInterest: motive.noSelfInterest },
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
};

/** C14-2.4d: abuse referred at any stage bars the proposal's recognition, even one not yet recommended. */
const barRecognition: Reactor = {
  name: 'bar-recognition',
  handles: ['AbuseReferred'],
  async react(event, kernel) {
    const { proposalId, proposerId, proposerUnitId, grounds, referredAt } = (event as Received<AbuseReferred>).data;
    await kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(proposalId), {
      type: 'RecordAbuseReferral',
      data: { proposalId, proposerId, proposerUnitId, grounds, referredAt },
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
};

/** The cadre's record gathers the liability decisions, referrals and recognitions of all their proposals. */
const cadreRecord: Reactor = {
  name: 'cadre-record',
  handles: ['LiabilityDecided', 'AbuseReferred', 'RecognitionGranted'],
  async react(event, kernel) {
    const command = cadreRecordCommand(event);
    await kernel.execute(cadreRecordDecider, CADRE_STREAM_TYPE, cadreStreamId(command.data.proposerId), {
      ...command,
      metadata: reactionMetadata(event, kernel.now()),
    } as CadreRecordCommand);
  },
};

function cadreRecordCommand(event: RecordedEvent): Omit<CadreRecordCommand, 'metadata'> {
  switch (event.type) {
    case 'LiabilityDecided': {
      const { proposalId, proposerId, proposerUnitId, liability, decidedAt } = (event as Received<LiabilityDecided>).data;
      return { type: 'RecordLiability', data: { proposalId, proposerId, proposerUnitId, liability, decidedAt } };
    }
    case 'AbuseReferred': {
      const { proposalId, proposerId, proposerUnitId, grounds, referredAt } = (event as Received<AbuseReferred>).data;
      return { type: 'RecordAbuseReferral', data: { proposalId, proposerId, proposerUnitId, grounds, referredAt } };
    }
    case 'RecognitionGranted': {
      const { proposalId, proposerId, proposerUnitId, awards, grantedAt } = (event as Received<RecognitionGranted>).data;
      return { type: 'RecordRecognition', data: { proposalId, proposerId, proposerUnitId, awards, grantedAt } };
    }
    default:
      throw new Error(`the cadre record does not take '${event.type}'`);
  }
}

export const rewardsService: ServiceSpec = {
  name: 'rewards',
  // proposals: the field of each proposal, for the periodic review by field.
  reads: ['rewards', 'proposals'],
  projections: [recognitionsProjection, cadreRecordsProjection, proposalFactsProjection],
  reactors: [recommendRecognition, barRecognition, cadreRecord],
};
