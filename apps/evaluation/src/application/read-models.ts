import type {
  AbuseGround, Cause, CommitteeOpinion, Damage, EvaluationStatus, InspectionCaseRecord, InspectionFinding, Liability, MotiveFindings, Outcome,
  PilotSummary, PlanPeople,
} from '@dotpha/evaluation-domain';
import type { Vote } from '@dotpha/org';

export interface ResultsView {
  readonly reportedBy: string;
  readonly attachmentIds: readonly string[];
  readonly late: boolean;
  readonly reportedAt: string;
}

export interface ConsultationView {
  readonly committeeUnitId: string;
  readonly opinion: CommitteeOpinion;
  readonly summary: string;
  readonly consultedBy: string;
  readonly consultedAt: string;
}

/** What an assessment finds (C14-2.4b/c), drafted for the collective or adopted. */
export interface FindingsView {
  readonly outcome: Outcome;
  readonly notable: boolean;
  readonly damage: Damage;
  readonly causes: readonly Cause[];
  readonly motive: MotiveFindings;
  /** The evaluator's written assessment of how the cadre acted. */
  readonly text: string;
}

export interface AssessmentView extends FindingsView {
  readonly resultsReported: boolean;
  readonly late: boolean;
  readonly assessedBy: string;
  readonly assessedAt: string;
  /** The collective's round that adopted it; null when assessed before the collective rule. */
  readonly round: number | null;
  /** C14-2.4f: the cadre may answer until then. */
  readonly answerDueBy: string;
}

/** D73-eval: the draft before the collective of the evaluating unit, and the votes so far. */
export interface CollectiveVoteView extends FindingsView {
  readonly round: number;
  readonly unitId: string;
  readonly headId: string;
  readonly memberIds: readonly string[];
  readonly votes: Readonly<Record<string, Vote>>;
  readonly proposedBy: string;
  readonly proposedAt: string;
}

export interface TallyView {
  readonly round: number;
  readonly for: number;
  readonly against: number;
  readonly abstain: number;
  readonly members: number;
  readonly participated: number;
  readonly quorum: boolean;
  readonly tie: boolean;
  readonly headVote: Vote | null;
  readonly result: 'approved' | 'rejected';
  readonly closedMeeting: boolean;
  readonly talliedBy: string;
  readonly talliedAt: string;
}

/** C14-2.4f: the cadre's written answer. */
export interface AnswerView {
  readonly text: string;
  readonly answeredBy: string;
  readonly answeredAt: string;
}

export interface LiabilityView {
  readonly decision: Liability;
  readonly reasons: readonly string[];
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly legalBasis: string;
  readonly protectedPersonIds: readonly string[];
}

export interface ReferralView {
  readonly referralId: string;
  /** C14-2.4e: the inspection case the referral opened. */
  readonly caseId: string;
  readonly grounds: readonly AbuseGround[];
  readonly description: string;
  readonly stage: EvaluationStatus;
  readonly referredBy: string;
  readonly referredAt: string;
  readonly finding: InspectionFinding | null;
  readonly foundAt: string | null;
}

/** An evaluation as the evaluator, the proposer, the inspector and their leaders follow it. */
export interface EvaluationView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  /** 'none' while the record holds only abuse referred before the pilot ended (C14-2.4d). */
  readonly status: EvaluationStatus;
  readonly pilot: PilotSummary | null;
  readonly people: PlanPeople | null;
  readonly openedAt: string | null;
  readonly reportDueBy: string | null;
  /** D73-eval: from the report's due time until it is received, then from its receipt. */
  readonly evaluationDueBy: string | null;
  readonly partyCommitteeConsultationRequired: boolean;
  readonly results: ResultsView | null;
  readonly consultations: readonly ConsultationView[];
  readonly collectiveVote: CollectiveVoteView | null;
  readonly tallies: readonly TallyView[];
  readonly assessment: AssessmentView | null;
  readonly answer: AnswerView | null;
  readonly liability: LiabilityView | null;
  /** Abuse was substantiated after a protective decision: liability must be decided again (C14-2.4e). */
  readonly liabilityToBeRedecided: boolean;
  readonly referrals: readonly ReferralView[];
  /** C14-2.4e: liability and closing wait while one of these cases is open. */
  readonly openCaseIds: readonly string[];
  readonly abuseSubstantiated: boolean;
  readonly closedAt: string | null;
  readonly lastChangedAt: string;
}

/** C14-2.4e, D73-6b: a case before the inspection body. */
export interface InspectionCaseView extends InspectionCaseRecord {
  readonly description: string;
  readonly status: 'open' | 'found';
  readonly openedAt: string;
  readonly finding: InspectionFinding | null;
  readonly reasons: readonly string[];
  readonly recordedBy: string | null;
  readonly recordedAt: string | null;
}

/** Who a submitted proposal is about: abuse may be referred before its pilot ends (C14-2.4d). */
export interface ProposalSubjectView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}
