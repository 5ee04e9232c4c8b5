import {
  AbuseReferredDefinition,
  AssessmentAnsweredDefinition,
  AssessmentProposedDefinition,
  EvaluationClosedDefinition,
  EvaluationOpenedDefinition,
  EvaluationPartyCommitteeConsultedDefinition,
  EvaluationVoteRecordedDefinition,
  EvaluationVoteTalliedDefinition,
  LiabilityDecidedDefinition,
  OutcomeAssessedDefinition,
  ReferralFindingRecordedDefinition,
  ResultsReportedDefinition,
} from './events';
import { InspectionCaseOpenedDefinition, InspectionFindingRecordedDefinition } from './inspection-case.events';

/** Every event the evaluation context publishes: evaluations and inspection cases. */
export const evaluationEventDefinitions = [
  EvaluationOpenedDefinition,
  ResultsReportedDefinition,
  EvaluationPartyCommitteeConsultedDefinition,
  AssessmentProposedDefinition,
  EvaluationVoteRecordedDefinition,
  EvaluationVoteTalliedDefinition,
  OutcomeAssessedDefinition,
  AssessmentAnsweredDefinition,
  LiabilityDecidedDefinition,
  AbuseReferredDefinition,
  ReferralFindingRecordedDefinition,
  EvaluationClosedDefinition,
  InspectionCaseOpenedDefinition,
  InspectionFindingRecordedDefinition,
] as const;
