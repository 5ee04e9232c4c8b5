import type {
  AbuseGround, Awards, InstitutionalizationLevel, Proportionality, ProposalPeople, RecognitionStatus, RecordedLiability, ReferralFinding,
  StandingInProposal,
} from '@dotpha/rewards-domain';

/** C14-2.4e: a referral of the proposal, the bar it put on the recognition, and the finding on its case. */
export interface RecognitionReferralView {
  /** Null on bars recorded before C14-2.4e. */
  readonly referralId: string | null;
  readonly caseId: string | null;
  readonly grounds: readonly AbuseGround[];
  readonly referredAt: string;
  readonly afterGrant: boolean;
  readonly barredAt: string;
  /** Null while the inspection case is open: the recognition is suspended. */
  readonly finding: ReferralFinding | null;
  readonly foundAt: string | null;
}

/** The bar in force, from the referrals not dismissed: suspended while a case is open, for good once substantiated. */
export interface RecognitionBarView {
  readonly grounds: readonly AbuseGround[];
  /** The earliest referral in force. */
  readonly referredAt: string;
  readonly afterGrant: boolean;
  readonly barredAt: string;
  /** C14-2.4d: a referral was substantiated; never lifted. */
  readonly final: boolean;
  /** The cases of the referrals in force (null for a bar recorded before C14-2.4e). */
  readonly caseIds: readonly (string | null)[];
}

/** A recognition as the organization office, the proposer and the units above them follow it. */
export interface RecognitionView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  /** 'none' when an abuse referral came before any recommendation. */
  readonly status: RecognitionStatus;
  readonly outcome: 'achieved' | 'partially-achieved' | null;
  readonly notable: boolean | null;
  /** D73-10c: a partially achieved outcome may only be praised (biểu dương). */
  readonly praiseOnly: boolean;
  /** D73-10b: everyone the recognition reaches. */
  readonly people: ProposalPeople | null;
  readonly recommendedAt: string | null;
  /** C14-2.4e: null when no referral bars the recognition (none made, or every one dismissed). */
  readonly barred: RecognitionBarView | null;
  /** C14-2.4e: every referral of the proposal, with its finding. */
  readonly referrals: readonly RecognitionReferralView[];
  readonly grant: { readonly awards: Awards; readonly proportionality: Proportionality; readonly grantedBy: string; readonly grantedAt: string } | null;
  readonly decline: { readonly reasons: readonly string[]; readonly declinedBy: string; readonly declinedAt: string } | null;
  readonly replications: readonly {
    readonly replicationId: string;
    readonly targetUnitIds: readonly string[];
    readonly reviewPeriod: string;
    readonly reasons: readonly string[];
    readonly recommendedBy: string;
    readonly recommendedAt: string;
  }[];
  readonly institutionalizations: readonly {
    readonly institutionalizationId: string;
    readonly level: InstitutionalizationLevel;
    readonly addressedTo: string;
    readonly instrument: string;
    readonly reasons: readonly string[];
    readonly proposedBy: string;
    readonly proposedAt: string;
  }[];
  readonly lastChangedAt: string;
}

/** A review step with a due date (HN24-shirk): who must act and by when, while no decision is taken. */
export interface DueStep {
  readonly dueBy: string;
  /** The head who chairs the review (D73-8.1a), or the cadre who must report results. */
  readonly responsibleIds: readonly string[];
  readonly round: number | null;
}

/**
 * What the periodic review (C14-2.5a, C14-2.5d) needs of a proposal: its unit and field, each
 * step of its life cycle with when it happened, and the steps now due (HN24-shirk).
 */
export interface ProposalFactsView {
  readonly proposalId: string;
  readonly title: string | null;
  /** null until the submission reaches rewards: counted under 'unknown'. */
  readonly field: string | null;
  readonly unitId: string | null;
  readonly proposerId: string | null;
  readonly submittedAt: string | null;
  readonly approved: { readonly decision: 'implementation' | 'pilot'; readonly at: string } | null;
  readonly rejectedAt: string | null;
  readonly pilotEnd: { readonly ending: 'completed' | 'terminated'; readonly at: string } | null;
  readonly outcome: { readonly outcome: 'achieved' | 'partially-achieved' | 'not-achieved'; readonly at: string } | null;
  readonly liabilities: readonly { readonly liability: string; readonly at: string }[];
  readonly approvingHeadId: string | null;
  /** The review waiting for a decision; null once decided, closed or never opened. */
  readonly openReview: DueStep | null;
  /** The results report the implementer owes (Decree 73: 5 working days after the end). */
  readonly openResultsReport: DueStep | null;
  /** The evaluation the collective owes (7 working days from receiving the report). */
  readonly openEvaluation: DueStep | null;
}

export const emptyProposalFacts = (proposalId: string): ProposalFactsView => ({
  proposalId, title: null, field: null, unitId: null, proposerId: null, submittedAt: null, approved: null, rejectedAt: null, pilotEnd: null,
  outcome: null, liabilities: [], approvingHeadId: null, openReview: null, openResultsReport: null, openEvaluation: null,
});

/** D73-6, D73-6b: inspection cases, for the prohibited-act reports counted per unit. */
export interface InspectionCaseFactsView {
  readonly caseId: string;
  readonly kind: string;
  readonly unitId: string | null;
  readonly proposalId: string | null;
  readonly subjectIds: readonly string[];
  readonly openedAt: string;
  readonly finding: { readonly finding: string; readonly at: string } | null;
}

interface RecordEntry {
  readonly proposalId: string;
  /** The proposal's unit when the fact arose. */
  readonly proposerUnitId: string;
  /** D73-10b: the cadre's own unit when the fact arose, and how they stand to the proposal. */
  readonly unitId: string;
  readonly as: StandingInProposal;
  readonly recordedAt: string;
}

/** A cadre's record across proposals (DOMAIN.md §4.5–4.6): what protects them and what was found. */
export interface CadreRecordView {
  readonly userId: string;
  /** Every unit the cadre belonged to when a fact of the record arose: the heads above them may read it. */
  readonly unitIds: readonly string[];
  readonly liabilities: readonly (RecordEntry & { readonly liability: RecordedLiability; readonly decidedAt: string })[];
  /** C14-2.4e: each referral with the finding on its inspection case, null while the case is open. */
  readonly abuseReferrals: readonly (RecordEntry & {
    readonly referralId: string | null;
    readonly caseId: string | null;
    readonly grounds: readonly AbuseGround[];
    readonly referredAt: string;
    readonly finding: ReferralFinding | null;
    readonly foundAt: string | null;
  })[];
  readonly recognitions: readonly (RecordEntry & { readonly awards: Awards; readonly grantedAt: string })[];
  readonly totalBonusPoints: number;
  /** HP-points count in the annual evaluation of the year they were granted. */
  readonly bonusPointsByYear: Readonly<Record<string, number>>;
  readonly lastChangedAt: string | null;
}

export const emptyCadreRecord = (userId: string): CadreRecordView => ({
  userId, unitIds: [], liabilities: [], abuseReferrals: [], recognitions: [], totalBonusPoints: 0, bonusPointsByYear: {}, lastChangedAt: null,
});
