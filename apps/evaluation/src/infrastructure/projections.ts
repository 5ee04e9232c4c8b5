import { type DomainEvent, assertNever, projection } from '@dotpha/kernel';
import type {
  AbuseGround, CaseGround, Cause, CommitteeOpinion, Damage, EvaluationEvent, EvaluationStatus, InspectionCaseEvent, InspectionCaseKind,
  InspectionFinding, Liability, MotiveFindings, Outcome, PilotSummary, PlanPeople,
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

export interface AssessmentView {
  readonly outcome: Outcome;
  readonly notable: boolean;
  readonly damage: Damage;
  readonly causes: readonly Cause[];
  readonly motive: MotiveFindings;
  /** The evaluator's written assessment of how the cadre acted. */
  readonly text: string;
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
export interface CollectiveVoteView {
  readonly round: number;
  readonly unitId: string;
  readonly headId: string;
  readonly memberIds: readonly string[];
  readonly votes: Readonly<Record<string, Vote>>;
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly outcome: Outcome;
  readonly notable: boolean;
  readonly damage: Damage;
  readonly causes: readonly Cause[];
  readonly motive: MotiveFindings;
  readonly text: string;
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

function created(subject: { proposalId: string; proposerId: string; proposerUnitId: string }, at: string): EvaluationView {
  return {
    proposalId: subject.proposalId,
    proposerId: subject.proposerId,
    proposerUnitId: subject.proposerUnitId,
    status: 'none',
    pilot: null,
    people: null,
    openedAt: null,
    reportDueBy: null,
    evaluationDueBy: null,
    partyCommitteeConsultationRequired: false,
    results: null,
    consultations: [],
    collectiveVote: null,
    tallies: [],
    assessment: null,
    answer: null,
    liability: null,
    liabilityToBeRedecided: false,
    referrals: [],
    openCaseIds: [],
    abuseSubstantiated: false,
    closedAt: null,
    lastChangedAt: at,
  };
}

/** What follows from the referrals and the decision, recomputed whenever either changes. */
function withReferrals(view: EvaluationView, referrals: readonly ReferralView[]): EvaluationView {
  const abuseSubstantiated = referrals.some((r) => r.finding === 'substantiated');
  return {
    ...view,
    referrals,
    openCaseIds: referrals.filter((r) => r.finding === null).map((r) => r.caseId),
    abuseSubstantiated,
    liabilityToBeRedecided: view.liability !== null && view.liability.decision !== 'upheld' && abuseSubstantiated,
  };
}

export const evaluationsProjection = projection<EvaluationView, EvaluationEvent>({
  name: 'evaluations',
  collection: 'evaluations',
  canHandle: [
    'EvaluationOpened', 'ResultsReported', 'EvaluationPartyCommitteeConsulted', 'AssessmentProposed', 'EvaluationVoteRecorded',
    'EvaluationVoteTallied', 'OutcomeAssessed', 'AssessmentAnswered', 'LiabilityDecided', 'AbuseReferred', 'ReferralFindingRecorded',
    'EvaluationClosed',
  ],
  key: (e) => e.data.proposalId,
  apply: (current, e) => {
    const at = e.occurredAt;
    if (e.type === 'EvaluationOpened' || e.type === 'AbuseReferred') current ??= created(e.data, at);
    // Every stream starts with one of the two above, and a stream's events arrive in order.
    if (!current) throw new Error(`${e.type} of evaluation '${e.data.proposalId}' before it was opened`);
    const view = { ...current, lastChangedAt: at };
    switch (e.type) {
      case 'EvaluationOpened': {
        const d = e.data;
        return {
          ...view, status: 'open', pilot: d.pilot, people: d.people, openedAt: d.openedAt, reportDueBy: d.reportDueBy, evaluationDueBy: d.evaluationDueBy,
          partyCommitteeConsultationRequired: d.partyCommitteeConsultationRequired,
        };
      }
      case 'ResultsReported': {
        const { reportedBy, attachmentIds, late, reportedAt, evaluationDueBy } = e.data;
        return {
          ...view, status: 'results-reported', results: { reportedBy, attachmentIds, late, reportedAt },
          evaluationDueBy: evaluationDueBy ?? view.evaluationDueBy,
        };
      }
      case 'EvaluationPartyCommitteeConsulted': {
        const { committeeUnitId, opinion, summary, consultedBy, consultedAt } = e.data;
        return { ...view, consultations: [...view.consultations, { committeeUnitId, opinion, summary, consultedBy, consultedAt }] };
      }
      case 'AssessmentProposed': {
        const { round, collective, proposedBy, proposedAt, outcome, notable, damage, causes, motive, assessment } = e.data;
        return {
          ...view,
          collectiveVote: { round, ...collective, votes: {}, proposedBy, proposedAt, outcome, notable, damage, causes, motive, text: assessment },
        };
      }
      case 'EvaluationVoteRecorded': {
        const vote = view.collectiveVote;
        if (!vote || vote.round !== e.data.round) return view;
        return { ...view, collectiveVote: { ...vote, votes: { ...vote.votes, [e.data.voterId]: e.data.vote } } };
      }
      case 'EvaluationVoteTallied': {
        const d = e.data;
        const tally: TallyView = {
          round: d.round, for: d.for, against: d.against, abstain: d.abstain, members: d.members, participated: d.participated, quorum: d.quorum,
          tie: d.tie, headVote: d.headVote, result: d.result, closedMeeting: d.closedMeeting, talliedBy: d.talliedBy, talliedAt: d.talliedAt,
        };
        return { ...view, collectiveVote: null, tallies: [...view.tallies, tally] };
      }
      case 'OutcomeAssessed': {
        const { outcome, notable, damage, causes, motive, assessment, resultsReported, late, assessedBy, assessedAt, round, answerDueBy } = e.data;
        return {
          ...view,
          status: 'assessed',
          collectiveVote: null,
          answer: null,
          assessment: { outcome, notable, damage, causes, motive, text: assessment, resultsReported, late, assessedBy, assessedAt, round, answerDueBy },
        };
      }
      case 'AssessmentAnswered':
        return { ...view, answer: { text: e.data.answer, answeredBy: e.data.cadreId, answeredAt: e.data.answeredAt } };
      case 'LiabilityDecided': {
        const { liability, reasons, decidedBy, decidedAt, legalBasis, protectedPersonIds } = e.data;
        return withReferrals(
          { ...view, status: 'liability-decided', liability: { decision: liability, reasons, decidedBy, decidedAt, legalBasis, protectedPersonIds } },
          view.referrals,
        );
      }
      case 'AbuseReferred': {
        const { referralId, grounds, description, stage, referredBy, referredAt } = e.data;
        const referral: ReferralView = { referralId, caseId: referralId, grounds, description, stage, referredBy, referredAt, finding: null, foundAt: null };
        return withReferrals(view, [...view.referrals, referral]);
      }
      case 'ReferralFindingRecorded': {
        const { referralId, finding, foundAt } = e.data;
        return withReferrals(view, view.referrals.map((r) => (r.referralId === referralId ? { ...r, finding, foundAt } : r)));
      }
      case 'EvaluationClosed':
        return { ...view, status: 'closed', closedAt: e.data.closedAt };
      default:
        return assertNever(e, 'evaluation event');
    }
  },
});

/** C14-2.4e, D73-6b: a case before the inspection body. */
export interface InspectionCaseView {
  readonly caseId: string;
  readonly kind: InspectionCaseKind;
  readonly proposalId: string | null;
  readonly subjectIds: readonly string[];
  readonly unitId: string;
  readonly grounds: readonly CaseGround[];
  readonly description: string;
  readonly reporterId: string;
  readonly status: 'open' | 'found';
  readonly openedAt: string;
  readonly finding: InspectionFinding | null;
  readonly reasons: readonly string[];
  readonly recordedBy: string | null;
  readonly recordedAt: string | null;
}

export const inspectionCasesProjection = projection<InspectionCaseView, InspectionCaseEvent>({
  name: 'inspection-cases',
  collection: 'inspection-cases',
  canHandle: ['InspectionCaseOpened', 'InspectionFindingRecorded'],
  key: (e) => e.data.caseId,
  apply: (current, e) => {
    switch (e.type) {
      case 'InspectionCaseOpened': {
        const d = e.data;
        return {
          caseId: d.caseId, kind: d.kind, proposalId: d.proposalId ?? null, subjectIds: d.subjectIds, unitId: d.unitId, grounds: d.grounds,
          description: d.description, reporterId: d.reporterId, status: 'open', openedAt: d.openedAt, finding: null, reasons: [], recordedBy: null,
          recordedAt: null,
        };
      }
      case 'InspectionFindingRecorded': {
        if (!current) throw new Error(`finding on case '${e.data.caseId}' before it was opened`);
        const { finding, reasons, recordedBy, recordedAt } = e.data;
        return { ...current, status: 'found', finding, reasons, recordedBy, recordedAt };
      }
      default:
        return assertNever(e, 'inspection case event');
    }
  },
});

/** Who a submitted proposal is about: abuse may be referred before its pilot ends (C14-2.4d). */
export interface ProposalSubjectView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}

export const submittedProposalsProjection = projection<ProposalSubjectView, DomainEvent<'ProposalSubmitted', ProposalSubjectView>>({
  name: 'submitted-proposals',
  collection: 'submitted-proposals',
  canHandle: ['ProposalSubmitted'],
  key: (e) => e.data.proposalId,
  apply: (_, e) => {
    const { proposalId, proposerId, proposerUnitId } = e.data;
    return { proposalId, proposerId, proposerUnitId };
  },
});
