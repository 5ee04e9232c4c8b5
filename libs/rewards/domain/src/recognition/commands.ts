import type { Command } from '@dotpha/kernel';
import type { Awards, ProposalPeople, RecordAbuseReferral, RecordReferralFinding } from '../facts';
import type { InstitutionalizationLevel, Proportionality } from '../schema';

export type AssessedOutcome = 'achieved' | 'partially-achieved' | 'not-achieved';
/** The shapes are the published schemas' (../schema.ts); only the commands are written here. */
export type { Effectiveness, InstitutionalizationLevel, Proportionality, Reach } from '../schema';

/** Issued when OutcomeAssessed (evaluation) arrives. */
export type RecommendRecognition = Command<
  'RecommendRecognition',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly outcome: AssessedOutcome;
    readonly notable: boolean;
    /** The assessment's motive finding; false means self-interest was found. */
    readonly noSelfInterest: boolean;
    /** D73-10b: who the approved plan names; absent = the proposer alone. */
    readonly people?: ProposalPeople;
  }
>;

export type GrantRecognition = Command<
  'GrantRecognition',
  { readonly proposalId: string; readonly awards: Awards; readonly proportionality: Proportionality }
>;

export type DeclineRecognition = Command<'DeclineRecognition', { readonly proposalId: string; readonly reasons: readonly string[] }>;

export type RecommendReplication = Command<
  'RecommendReplication',
  {
    readonly proposalId: string;
    readonly replicationId: string;
    /** Units the model should spread to; empty means the whole instance. */
    readonly targetUnitIds: readonly string[];
    /** The periodic review (sơ kết, tổng kết) that found it effective: 2026, 2026-H1 or 2026-Q3. */
    readonly reviewPeriod: string;
    readonly reasons: readonly string[];
  }
>;

export type ProposeInstitutionalization = Command<
  'ProposeInstitutionalization',
  {
    readonly proposalId: string;
    readonly institutionalizationId: string;
    readonly level: InstitutionalizationLevel;
    /** The body asked to regulate, e.g. the provincial People's Council or a ministry. */
    readonly addressedTo: string;
    /** The regulation to issue or amend. */
    readonly instrument: string;
    readonly reasons: readonly string[];
  }
>;

export type RecognitionCommand =
  | RecommendRecognition
  | RecordAbuseReferral
  | RecordReferralFinding
  | GrantRecognition
  | DeclineRecognition
  | RecommendReplication
  | ProposeInstitutionalization;

export type RecognitionCommandType = RecognitionCommand['type'];
