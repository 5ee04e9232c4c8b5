import type { Command, FieldsOf } from '@dotpha/kernel';
import type { Vote } from '@dotpha/org';
import type { EvaluationEvent } from './events';
import type { AssessmentDraft } from './schema';

/** The shapes are the published schemas' (./schema.ts); only the commands are written here. */
export type {
  AbuseGround,
  AssessmentDraft,
  Cause,
  CauseKind,
  CommitteeOpinion,
  Damage,
  InspectionFinding,
  Liability,
  MotiveFindings,
  Outcome,
  PilotSummary,
  PlanPeople,
} from './schema';

/** A command's fields are its event's where they are the same (one source: the published schema). */
type Of<E extends { readonly data: object }, K extends keyof E['data']> = FieldsOf<E, K>;

export type OpenEvaluation = Command<
  'OpenEvaluation',
  /**
   * D73-eval: the due times are computed by the application in working days (5 and 7 by default):
   * the report from the end, the evaluation from the report's due time until the report is received.
   */
  Of<EvaluationEvent<'EvaluationOpened'>, 'proposalId' | 'proposerId' | 'proposerUnitId' | 'pilot' | 'people' | 'reportDueBy' | 'evaluationDueBy'>
>;

export type ReportResults = Command<
  'ReportResults',
  {
    readonly proposalId: string;
    readonly report: string;
    readonly attachmentIds?: readonly string[];
    /** D73-eval: `evaluation` working days from receiving this report, computed by the application. */
    readonly evaluationDueBy: string;
  }
>;

export type ConsultPartyCommittee = Command<
  'ConsultPartyCommittee',
  Of<EvaluationEvent<'EvaluationPartyCommitteeConsulted'>, 'proposalId' | 'committeeUnitId' | 'opinion' | 'summary'>
>;

/**
 * The evaluator proposes the assessment; it takes effect when the collective of the evaluating
 * unit approves it (DOMAIN.md §4.5, D73-eval). The application names the collective from the org chart.
 */
export type AssessOutcome = Command<
  'AssessOutcome',
  AssessmentDraft & {
    readonly proposalId: string;
    readonly collective: { readonly unitId: string; readonly headId: string; readonly memberIds: readonly string[] };
  }
>;

export type CastEvaluationVote = Command<'CastEvaluationVote', { readonly proposalId: string; readonly vote: Vote }>;

export type TallyEvaluationVote = Command<
  'TallyEvaluationVote',
  {
    readonly proposalId: string;
    /** The head closes the meeting: the members who did not vote count as not in favour. */
    readonly closeMeeting: boolean;
    /** C14-2.4f: `answer` working days from now, computed by the application. */
    readonly answerDueBy: string;
  }
>;

/** C14-2.4f: the cadre answers the assessment in writing. */
export type AnswerAssessment = Command<'AnswerAssessment', { readonly proposalId: string; readonly answer: string }>;

export type DecideLiability = Command<
  'DecideLiability',
  /** D73-2: `legalBasis` is the instance policy's, named on the record. */
  Of<EvaluationEvent<'LiabilityDecided'>, 'proposalId' | 'liability' | 'reasons' | 'legalBasis'>
>;

/** C14-2.4e: the inspector's finding on the case a referral opened, fed back from the case. */
export type RecordInspectionFinding = Command<
  'RecordInspectionFinding',
  Of<EvaluationEvent<'ReferralFindingRecorded'>, 'proposalId' | 'referralId' | 'caseId' | 'finding' | 'foundAt'>
>;

export type ReferAbuse = Command<
  'ReferAbuse',
  /** The proposer is carried because a referral may come before the evaluation is opened. */
  Of<EvaluationEvent<'AbuseReferred'>, 'proposalId' | 'referralId' | 'proposerId' | 'proposerUnitId' | 'grounds' | 'description'>
>;

export type CloseEvaluation = Command<'CloseEvaluation', { readonly proposalId: string }>;

export type EvaluationCommand =
  | OpenEvaluation
  | ReportResults
  | ConsultPartyCommittee
  | AssessOutcome
  | CastEvaluationVote
  | TallyEvaluationVote
  | AnswerAssessment
  | DecideLiability
  | ReferAbuse
  | RecordInspectionFinding
  | CloseEvaluation;

export type EvaluationCommandType = EvaluationCommand['type'];
