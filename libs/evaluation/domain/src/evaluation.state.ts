import type { Vote } from '@dotpha/org';
import type { AbuseGround, AssessmentDraft, InspectionFinding, Liability, MotiveFindings, Outcome, PlanPeople } from './commands';

/** The stage of an evaluation; a referral records the stage it came at (AbuseReferred.stage). */
export type EvaluationStatus = 'none' | 'open' | 'results-reported' | 'assessed' | 'liability-decided' | 'closed';

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

/** The collective that votes on a draft assessment (DOMAIN.md §4.5, same rule as §4.3). */
export interface EvaluatingCollective {
  readonly unitId: string;
  readonly headId: string;
  /** Voting members: the head and deputies, less the proposer and co-proposers. */
  readonly memberIds: readonly string[];
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
