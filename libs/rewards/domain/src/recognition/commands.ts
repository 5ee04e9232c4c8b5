import type { Command, FieldsOf } from '@dotpha/kernel';
import type { ProposalPeople, RecordAbuseReferral, RecordReferralFinding } from '../facts';
import type { RecognitionEvent } from './events';

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

/** A command's fields are its event's where they are the same (one source: the published schema). */
type Of<E extends { readonly data: object }, K extends keyof E['data']> = FieldsOf<E, K>;

export type GrantRecognition = Command<'GrantRecognition', Of<RecognitionEvent<'RecognitionGranted'>, 'proposalId' | 'awards' | 'proportionality'>>;
export type DeclineRecognition = Command<'DeclineRecognition', Of<RecognitionEvent<'RecognitionDeclined'>, 'proposalId' | 'reasons'>>;

export type RecommendReplication = Command<
  'RecommendReplication',
  Of<RecognitionEvent<'ReplicationRecommended'>, 'proposalId' | 'replicationId' | 'targetUnitIds' | 'reviewPeriod' | 'reasons'>
>;

export type ProposeInstitutionalization = Command<
  'ProposeInstitutionalization',
  Of<RecognitionEvent<'InstitutionalizationProposed'>, 'proposalId' | 'institutionalizationId' | 'level' | 'addressedTo' | 'instrument' | 'reasons'>
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
