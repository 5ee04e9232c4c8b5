import type { Command } from '@dotpha/kernel';

export type Outcome = 'achieved' | 'partially-achieved' | 'not-achieved';
export type CauseKind = 'objective' | 'subjective';
export type Liability = 'none' | 'excluded' | 'exempted' | 'reduced' | 'upheld';
export type AbuseGround = 'self-interest' | 'corruption' | 'negativity' | 'discipline-violation';
export type CommitteeOpinion = 'supports' | 'has-reservations' | 'objects';

export interface Damage {
  readonly caused: boolean;
  /** Estimated in VND; required when damage was caused. */
  readonly estimate?: number;
  readonly description?: string;
}

export interface Cause {
  readonly description: string;
  readonly kind: CauseKind;
}

/** C14-2.4c: the four findings that, all positive, protect the cadre. */
export interface MotiveFindings {
  readonly followedApprovedPlan: boolean;
  readonly pureMotive: boolean;
  readonly commonGood: boolean;
  readonly noSelfInterest: boolean;
}

/** What evaluation keeps of PilotCompleted / PilotTerminated (monitoring). */
export interface PilotSummary {
  readonly ending: 'completed' | 'terminated';
  readonly kind: 'pilot' | 'implementation';
  readonly endedAt: string;
  readonly kpisOnTarget: number;
  readonly kpisTotal: number;
  readonly milestonesMet: number;
  readonly milestonesTotal: number;
  readonly flags: number;
}

export type OpenEvaluation = Command<
  'OpenEvaluation',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly pilot: PilotSummary;
    /** D73-eval: computed by the application in working days from the end (5 and 7 by default). */
    readonly reportDueBy: string;
    readonly evaluationDueBy: string;
    /** D73-4, instance policy: state bodies consult the same-level party committee before evaluating. */
    readonly partyCommitteeConsultationRequired: boolean;
  }
>;

export type ReportResults = Command<
  'ReportResults',
  { readonly proposalId: string; readonly report: string; readonly attachmentIds?: readonly string[] }
>;

export type ConsultPartyCommittee = Command<
  'ConsultPartyCommittee',
  {
    readonly proposalId: string;
    readonly committeeUnitId: string;
    readonly opinion: CommitteeOpinion;
    readonly summary: string;
  }
>;

export type AssessOutcome = Command<
  'AssessOutcome',
  {
    readonly proposalId: string;
    readonly outcome: Outcome;
    readonly notable: boolean;
    readonly damage: Damage;
    readonly causes: readonly Cause[];
    readonly motive: MotiveFindings;
    /** The evaluator's written assessment of how the cadre acted. */
    readonly assessment: string;
  }
>;

export type DecideLiability = Command<
  'DecideLiability',
  { readonly proposalId: string; readonly liability: Liability; readonly reasons: readonly string[] }
>;

export type ReferAbuse = Command<
  'ReferAbuse',
  {
    readonly proposalId: string;
    readonly referralId: string;
    /** Carried because a referral may come before the evaluation is opened. */
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly grounds: readonly AbuseGround[];
    readonly description: string;
  }
>;

export type CloseEvaluation = Command<'CloseEvaluation', { readonly proposalId: string }>;

export type EvaluationCommand =
  | OpenEvaluation
  | ReportResults
  | ConsultPartyCommittee
  | AssessOutcome
  | DecideLiability
  | ReferAbuse
  | CloseEvaluation;

export type EvaluationCommandType = EvaluationCommand['type'];
