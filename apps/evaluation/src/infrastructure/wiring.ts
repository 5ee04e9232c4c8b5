import type { DomainEvent } from '@dotpha/kernel';
import { type ServiceSpec, reactionMetadata, reactor, readAccessByStreamType } from '@dotpha/service-runtime';
import {
  type EvaluationEvent, EVALUATION_STREAM_TYPE, INSPECTION_CASE_STREAM_TYPE, type InspectionCaseEvent, type PlanPeople, evaluationDecider,
  evaluationStreamId, inspectionCaseDecider, inspectionCaseStreamId,
} from '@dotpha/evaluation-domain';
import type { PilotEnd } from '@dotpha/monitoring-domain';
import { evaluationDisclosure } from '../application/disclosure';
import { seesEvaluation } from '../application/evaluations.service';
import { inspectionCaseAccess } from '../application/inspection-cases.service';
import { evaluationOpening } from '../application/schedule';
import type { EvaluationView } from '../application/read-models';
import { evaluationsProjection, inspectionCasesProjection, submittedProposalsProjection } from './projections';

/** A pilot's end as monitoring publishes it, with the people of its plan (D73-10b). */
type PilotEnded = DomainEvent<'PilotCompleted' | 'PilotTerminated', PilotEnd & { readonly people?: PlanPeople }>;

const openOnPilotEnd = reactor<PilotEnded>({
  name: 'open-on-pilot-end',
  canHandle: ['PilotCompleted', 'PilotTerminated'],
  async react(event, kernel) {
    const end = event.data;
    const ending = event.type === 'PilotCompleted' ? 'completed' : 'terminated';
    await kernel.execute(evaluationDecider, EVALUATION_STREAM_TYPE, evaluationStreamId(end.proposalId), {
      type: 'OpenEvaluation',
      data: evaluationOpening(end, ending, kernel.config.policy),
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
});

/** C14-2.4e: a referral is an allegation: it opens a case for the inspector, its id the referral's. */
const openCaseOnReferral = reactor<EvaluationEvent<'AbuseReferred'>>({
  name: 'open-case-on-referral',
  canHandle: ['AbuseReferred'],
  async react(event, kernel) {
    const { referralId, proposalId, proposerId, proposerUnitId, grounds, description } = event.data;
    await kernel.execute(inspectionCaseDecider, INSPECTION_CASE_STREAM_TYPE, inspectionCaseStreamId(referralId), {
      type: 'OpenInspectionCase',
      data: { caseId: referralId, kind: 'abuse-referral', proposalId, subjectIds: [proposerId], unitId: proposerUnitId, grounds, description },
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
});

/** C14-2.4e: the evaluation learns the finding on its referral's case. */
const findingToEvaluation = reactor<InspectionCaseEvent<'InspectionFindingRecorded'>>({
  name: 'finding-to-evaluation',
  canHandle: ['InspectionFindingRecorded'],
  async react(event, kernel) {
    const { caseId, kind, proposalId, finding, recordedAt } = event.data;
    if (kind !== 'abuse-referral' || proposalId === undefined) return;
    await kernel.execute(evaluationDecider, EVALUATION_STREAM_TYPE, evaluationStreamId(proposalId), {
      type: 'RecordInspectionFinding',
      data: { proposalId, referralId: caseId, caseId, finding, foundAt: recordedAt },
      metadata: reactionMetadata(event, kernel.now()),
    });
  },
});

export const evaluationService: ServiceSpec = {
  name: 'evaluation',
  // proposals: who a proposal is about, for abuse referred before any evaluation exists (C14-2.4d).
  reads: ['evaluation', 'proposals'],
  projections: [evaluationsProjection, inspectionCasesProjection, submittedProposalsProjection],
  /** The audit trail reads each stream by the predicate and the disclosure of its queries. */
  readAccess: readAccessByStreamType({
    async [EVALUATION_STREAM_TYPE](caller, stream, kernel) {
      const { subject } = await kernel.state(evaluationDecider, stream.first.streamId);
      if (!subject || !seesEvaluation(kernel.config.org, caller, subject)) return 'none';
      const view = (await kernel.readModels.get<EvaluationView>('evaluations', stream.key))?.data;
      return evaluationDisclosure(caller, { ...view, proposerId: subject.proposerId });
    },
    async [INSPECTION_CASE_STREAM_TYPE](caller, stream, kernel) {
      const { record } = await kernel.state(inspectionCaseDecider, stream.first.streamId);
      return record ? inspectionCaseAccess(caller, record) : 'none';
    },
  }),
  reactors: [openOnPilotEnd, openCaseOnReferral, findingToEvaluation],
};
