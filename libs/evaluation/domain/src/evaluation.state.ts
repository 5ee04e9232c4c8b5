import { assertNever } from '@dotpha/kernel';
import type { Vote } from '@dotpha/org';
import type { AbuseGround, AssessmentDraft, InspectionFinding, Liability, MotiveFindings, Outcome, PlanPeople } from './commands';
import type { EvaluationEvent } from './events';
import type { EvaluatingCollective, EvaluationStatus } from './lifecycle';

export interface EvaluationSubject {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}

export interface EvaluationSchedule {
  readonly reportDueBy: string;
  /** D73-eval: from the report's due time at opening, from its receipt once it is reported. */
  readonly evaluationDueBy: string;
  readonly consultationRequired: boolean;
}

/** The assessment in effect: adopted by the collective (D73-eval), or written before that rule. */
export interface AssessmentRecord {
  readonly outcome: Outcome;
  readonly notable: boolean;
  readonly damageCaused: boolean;
  readonly motive: MotiveFindings;
  /** C14-2.4f: the cadre may answer until then; liability waits for the answer or this time. */
  readonly answerDueBy: string;
  readonly answered: boolean;
}

/** An assessment the evaluator proposed, before the collective's vote. */
export interface DraftRecord {
  readonly round: number;
  readonly draft: AssessmentDraft;
  readonly collective: EvaluatingCollective;
  readonly proposedBy: string;
  readonly votes: Readonly<Record<string, Vote>>;
}

export interface DecisionRecord {
  readonly liability: Liability;
}

/** C14-2.4e: a referral is an allegation until the inspector's finding on its case. */
export interface ReferralRecord {
  readonly referralId: string;
  readonly grounds: readonly AbuseGround[];
  readonly finding: InspectionFinding | null;
}

/**
 * Flat rather than one shape per status: a referral may arrive before the evaluation opens
 * (C14-2.4d), so who it is about is known independently of the schedule.
 */
export interface EvaluationState {
  readonly status: EvaluationStatus;
  readonly subject: EvaluationSubject | null;
  /** D73-10b: whom the protection reaches; the proposer alone on records written before it was named. */
  readonly people: PlanPeople | null;
  readonly schedule: EvaluationSchedule | null;
  readonly consulted: boolean;
  readonly resultsReported: boolean;
  /** Rounds of drafts put to the collective so far. */
  readonly rounds: number;
  readonly draft: DraftRecord | null;
  readonly assessment: AssessmentRecord | null;
  readonly decision: DecisionRecord | null;
  readonly referrals: readonly ReferralRecord[];
}

export const initialEvaluationState = (): EvaluationState => ({
  status: 'none',
  subject: null,
  people: null,
  schedule: null,
  consulted: false,
  resultsReported: false,
  rounds: 0,
  draft: null,
  assessment: null,
  decision: null,
  referrals: [],
});

/** C14-2.4e: a referral whose case has no finding yet. */
export function pendingReferrals(state: Pick<EvaluationState, 'referrals'>): readonly ReferralRecord[] {
  return state.referrals.filter((r) => r.finding === null);
}

/** C14-2.4e: only a substantiated finding removes the protection. */
export function abuseSubstantiated(state: Pick<EvaluationState, 'referrals'>): boolean {
  return state.referrals.some((r) => r.finding === 'substantiated');
}

export function evolveEvaluation(state: EvaluationState, event: EvaluationEvent): EvaluationState {
  switch (event.type) {
    case 'EvaluationOpened': {
      const { proposalId, proposerId, proposerUnitId, reportDueBy, evaluationDueBy, people } = event.data;
      return {
        ...state,
        status: 'open',
        subject: { proposalId, proposerId, proposerUnitId },
        people,
        schedule: { reportDueBy, evaluationDueBy, consultationRequired: event.data.partyCommitteeConsultationRequired },
      };
    }
    case 'ResultsReported': {
      const { evaluationDueBy } = event.data;
      const schedule = state.schedule && evaluationDueBy !== null ? { ...state.schedule, evaluationDueBy } : state.schedule;
      return { ...state, status: 'results-reported', resultsReported: true, schedule };
    }
    case 'EvaluationPartyCommitteeConsulted':
      return { ...state, consulted: true };
    case 'AssessmentProposed': {
      const { round, collective, proposedBy, outcome, notable, damage, causes, motive, assessment } = event.data;
      return { ...state, rounds: round, draft: { round, collective, proposedBy, votes: {}, draft: { outcome, notable, damage, causes, motive, assessment } } };
    }
    case 'EvaluationVoteRecorded': {
      const { draft } = state;
      if (!draft || draft.round !== event.data.round) return state;
      return { ...state, draft: { ...draft, votes: { ...draft.votes, [event.data.voterId]: event.data.vote } } };
    }
    case 'EvaluationVoteTallied':
      return { ...state, draft: null };
    case 'OutcomeAssessed': {
      const { outcome, notable, damage, motive, answerDueBy, round } = event.data;
      return {
        ...state,
        status: 'assessed',
        rounds: Math.max(state.rounds, round ?? 0),
        draft: null,
        assessment: { outcome, notable, damageCaused: damage.caused, motive, answerDueBy, answered: false },
      };
    }
    case 'AssessmentAnswered':
      return state.assessment ? { ...state, assessment: { ...state.assessment, answered: true } } : state;
    case 'LiabilityDecided':
      return { ...state, status: 'liability-decided', decision: { liability: event.data.liability } };
    case 'AbuseReferred': {
      const { proposalId, proposerId, proposerUnitId, referralId, grounds } = event.data;
      return {
        ...state,
        subject: state.subject ?? { proposalId, proposerId, proposerUnitId },
        referrals: [...state.referrals, { referralId, grounds, finding: null }],
      };
    }
    case 'ReferralFindingRecorded':
      return {
        ...state,
        referrals: state.referrals.map((r) => (r.referralId === event.data.referralId ? { ...r, finding: event.data.finding } : r)),
      };
    case 'EvaluationClosed':
      return { ...state, status: 'closed' };
    default:
      return assertNever(event, 'evaluation event');
  }
}
