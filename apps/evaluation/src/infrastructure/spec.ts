import { type RecordedEvent, fold } from '@dotpha/kernel';
import { type ReadAccess, type Reactor, type ServiceSpec, reactionMetadata, storedStream } from '@dotpha/service-runtime';
import {
  type AbuseReferred, EVALUATION_STREAM_TYPE, type EvaluationEvent, type InspectionCaseEvent, INSPECTION_CASE_STREAM_TYPE, type InspectionFindingRecorded, type PlanPeople, evaluationDecider,
  evaluationStreamId, inspectionCaseDecider, inspectionCaseStreamId,
} from '@dotpha/evaluation-domain';
import type { PilotEnd } from '@dotpha/monitoring-domain';
import { evaluationDisclosure } from '../application/disclosure';
import { seesEvaluation } from '../application/evaluations.service';
import { inspectionCaseAccess } from '../application/inspection-cases.service';
import { evaluationOpening } from '../application/schedule';
import { type EvaluationView, evaluationsProjection, inspectionCasesProjection, submittedProposalsProjection } from './projections';

type Received<E extends { type: string; data: unknown }> = RecordedEvent<E['type'], E['data']>;

const openOnPilotEnd: Reactor = {
  name: 'open-on-pilot-end',
  handles: ['PilotCompleted', 'PilotTerminated'],
  async react(event, kernel) {
    const end = event.data as PilotEnd & { readonly people?: PlanPeople };
    const ending = event.type === 'PilotCompleted' ? 'completed' : 'terminated';
    await kernel.execute(evaluationDecider, EVALUATION_STREAM_TYPE, evaluationStreamId(end.proposalId), {
      type: 'OpenEvaluation',
      data: evaluationOpening(end, ending, kernel.config.policy),
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
};

/** C14-2.4e: a referral is an allegation: it opens a case for the inspector, its id the referral's. */
const openCaseOnReferral: Reactor = {
  name: 'open-case-on-referral',
  handles: ['AbuseReferred'],
  async react(event, kernel) {
    const { referralId, proposalId, proposerId, proposerUnitId, grounds, description } = (event as Received<AbuseReferred>).data;
    await kernel.execute(inspectionCaseDecider, INSPECTION_CASE_STREAM_TYPE, inspectionCaseStreamId(referralId), {
      type: 'OpenInspectionCase',
      data: { caseId: referralId, kind: 'abuse-referral', proposalId, subjectIds: [proposerId], unitId: proposerUnitId, grounds, description },
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
};

/** C14-2.4e: the evaluation learns the finding on its referral's case. */
const findingToEvaluation: Reactor = {
  name: 'finding-to-evaluation',
  handles: ['InspectionFindingRecorded'],
  async react(event, kernel) {
    const { caseId, kind, proposalId, finding, recordedAt } = (event as Received<InspectionFindingRecorded>).data;
    if (kind !== 'abuse-referral' || proposalId === undefined) return;
    await kernel.execute(evaluationDecider, EVALUATION_STREAM_TYPE, evaluationStreamId(proposalId), {
      type: 'RecordInspectionFinding',
      data: { proposalId, referralId: caseId, caseId, finding, foundAt: recordedAt },
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
};

export const evaluationService: ServiceSpec = {
  name: 'evaluation',
  // proposals: who a proposal is about, for abuse referred before any evaluation exists (C14-2.4d).
  reads: ['evaluation', 'proposals'],
  projections: [evaluationsProjection, inspectionCasesProjection, submittedProposalsProjection],
  /** The audit trail reads each stream by the predicate and the disclosure of its queries. */
  async readAccess(caller, streamId, kernel): Promise<ReadAccess> {
    const stream = await storedStream(kernel.store, streamId);
    if (stream?.type === EVALUATION_STREAM_TYPE) {
      const { subject } = fold(evaluationDecider, (await kernel.history(streamId)) as unknown as EvaluationEvent[]);
      if (!subject || !seesEvaluation(kernel.config.org, caller, subject)) return 'none';
      const view = (await kernel.readModels.get<EvaluationView>('evaluations', stream.key))?.data;
      return evaluationDisclosure(caller, { ...view, proposerId: subject.proposerId });
    }
    if (stream?.type === INSPECTION_CASE_STREAM_TYPE) {
      const { record } = fold(inspectionCaseDecider, (await kernel.history(streamId)) as unknown as InspectionCaseEvent[]);
      return record ? inspectionCaseAccess(caller, record) : 'none';
    }
    return 'none';
  },
  reactors: [openOnPilotEnd, openCaseOnReferral, findingToEvaluation],
};
