import { type Projection, type RecordedEvent, assertNever } from '@dotpha/kernel';
import type {
  AbuseGround, Cause, CommitteeOpinion, Damage, EvaluationEvent, EvaluationStatus, Liability, MotiveFindings, Outcome, PilotSummary,
} from '@dotpha/evaluation-domain';

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
}

export interface LiabilityView {
  readonly decision: Liability;
  readonly reasons: readonly string[];
  readonly decidedBy: string;
  readonly decidedAt: string;
}

export interface ReferralView {
  readonly referralId: string;
  readonly grounds: readonly AbuseGround[];
  readonly description: string;
  readonly stage: EvaluationStatus;
  readonly referredBy: string;
  readonly referredAt: string;
}

/** An evaluation as the evaluator, the proposer, the inspector and their leaders follow it. */
export interface EvaluationView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  /** 'none' while the record holds only abuse referred before the pilot ended (C14-2.4d). */
  readonly status: EvaluationStatus;
  readonly pilot: PilotSummary | null;
  readonly openedAt: string | null;
  readonly reportDueBy: string | null;
  readonly evaluationDueBy: string | null;
  readonly partyCommitteeConsultationRequired: boolean;
  readonly results: ResultsView | null;
  readonly consultations: readonly ConsultationView[];
  readonly assessment: AssessmentView | null;
  readonly liability: LiabilityView | null;
  /** A referral came after a protective decision: liability must be decided again (C14-2.4d). */
  readonly liabilityToBeRedecided: boolean;
  readonly referrals: readonly ReferralView[];
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
    openedAt: null,
    reportDueBy: null,
    evaluationDueBy: null,
    partyCommitteeConsultationRequired: false,
    results: null,
    consultations: [],
    assessment: null,
    liability: null,
    liabilityToBeRedecided: false,
    referrals: [],
    closedAt: null,
    lastChangedAt: at,
  };
}

export const evaluationsProjection: Projection<EvaluationView> = {
  name: 'evaluations',
  collection: 'evaluations',
  handles: [
    'EvaluationOpened', 'ResultsReported', 'EvaluationPartyCommitteeConsulted', 'OutcomeAssessed', 'LiabilityDecided', 'AbuseReferred',
    'EvaluationClosed',
  ],
  key: (e) => (e.data as { proposalId: string }).proposalId,
  apply: (current, recorded) => {
    const e = recorded as RecordedEvent & EvaluationEvent;
    const at = recorded.occurredAt;
    if (e.type === 'EvaluationOpened' || e.type === 'AbuseReferred') current ??= created(e.data, at);
    // Every stream starts with one of the two above, and a stream's events arrive in order.
    if (!current) throw new Error(`${e.type} of evaluation '${(e.data as { proposalId: string }).proposalId}' before it was opened`);
    const view = { ...current, lastChangedAt: at };
    switch (e.type) {
      case 'EvaluationOpened': {
        const d = e.data;
        return {
          ...view, status: 'open', pilot: d.pilot, openedAt: d.openedAt, reportDueBy: d.reportDueBy, evaluationDueBy: d.evaluationDueBy,
          partyCommitteeConsultationRequired: d.partyCommitteeConsultationRequired,
        };
      }
      case 'ResultsReported': {
        const { reportedBy, attachmentIds, late, reportedAt } = e.data;
        return { ...view, status: 'results-reported', results: { reportedBy, attachmentIds, late, reportedAt } };
      }
      case 'EvaluationPartyCommitteeConsulted': {
        const { committeeUnitId, opinion, summary, consultedBy, consultedAt } = e.data;
        return { ...view, consultations: [...view.consultations, { committeeUnitId, opinion, summary, consultedBy, consultedAt }] };
      }
      case 'OutcomeAssessed': {
        const { outcome, notable, damage, causes, motive, assessment, resultsReported, late, assessedBy, assessedAt } = e.data;
        return { ...view, status: 'assessed', assessment: { outcome, notable, damage, causes, motive, text: assessment, resultsReported, late, assessedBy, assessedAt } };
      }
      case 'LiabilityDecided': {
        const { liability, reasons, decidedBy, decidedAt } = e.data;
        return { ...view, status: 'liability-decided', liability: { decision: liability, reasons, decidedBy, decidedAt }, liabilityToBeRedecided: false };
      }
      case 'AbuseReferred': {
        const { referralId, grounds, description, stage, referredBy, referredAt } = e.data;
        return {
          ...view,
          referrals: [...view.referrals, { referralId, grounds, description, stage, referredBy, referredAt }],
          liabilityToBeRedecided: view.liability !== null && view.liability.decision !== 'upheld',
        };
      }
      case 'EvaluationClosed':
        return { ...view, status: 'closed', closedAt: e.data.closedAt };
      default:
        return assertNever(e, 'evaluation event');
    }
  },
};

/** Who a submitted proposal is about: abuse may be referred before its pilot ends (C14-2.4d). */
export interface ProposalSubjectView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}

export const submittedProposalsProjection: Projection<ProposalSubjectView> = {
  name: 'submitted-proposals',
  collection: 'submitted-proposals',
  handles: ['ProposalSubmitted'],
  key: (e) => (e.data as ProposalSubjectView).proposalId,
  apply: (_, e) => {
    const { proposalId, proposerId, proposerUnitId } = e.data as ProposalSubjectView;
    return { proposalId, proposerId, proposerUnitId };
  },
};
