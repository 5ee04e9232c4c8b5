import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import { type AbuseGround, type Awards, REFERRAL_FINDINGS, type ReferralFinding, STANDINGS, type StandingInProposal } from '../facts';
import { awardsSchema, grounds, id, instant } from '../schema';
import type { RecordedLiability } from './commands';

interface Entry {
  /** Whose record: the proposer, or (version 2, D73-10b) another person the approved plan names. */
  readonly userId: string;
  readonly proposalId: string;
  /** The proposer's unit when the fact arose; units change, the record keeps what was. */
  readonly proposerUnitId: string;
  /** Version 2: the record holder's own unit when the fact arose (the heads above it may read the record). */
  readonly unitId: string;
  /** Version 2: how the holder stands to the proposal. */
  readonly as: StandingInProposal;
  readonly recordedAt: string;
}

export type LiabilityRecorded = DomainEvent<
  'LiabilityRecorded',
  Entry & { readonly liability: RecordedLiability; readonly decidedAt: string }
>;
export type AbuseReferralRecorded = DomainEvent<
  'AbuseReferralRecorded',
  Entry & {
    /** Version 3, C14-2.4e: the referral and its inspection case; null on entries recorded before. */
    readonly referralId: string | null;
    readonly caseId: string | null;
    readonly grounds: readonly AbuseGround[];
    readonly referredAt: string;
  }
>;
/**
 * C14-2.4e: the finding on a referral of the record, beside the referral it answers. An allegation
 * is not a finding: the record shows whether it was substantiated or dismissed.
 */
export type AbuseReferralFindingRecorded = DomainEvent<
  'AbuseReferralFindingRecorded',
  Entry & {
    /** The referral it answers: its id (null for an entry recorded before C14-2.4e) and when it was made. */
    readonly referralId: string | null;
    readonly referredAt: string;
    readonly caseId: string;
    readonly finding: ReferralFinding;
    readonly foundAt: string;
  }
>;
export type RecognitionRecorded = DomainEvent<'RecognitionRecorded', Entry & { readonly awards: Awards; readonly grantedAt: string }>;

export type CadreRecordEvent = LiabilityRecorded | AbuseReferralRecorded | AbuseReferralFindingRecorded | RecognitionRecorded;

const entryProperties = { userId: id, proposalId: id, proposerUnitId: id, unitId: id, as: { type: 'string', enum: STANDINGS }, recordedAt: instant };
const entryRequired = Object.keys(entryProperties);

/** Version 1 recorded the proposer alone, in the proposal's unit. */
const proposersEntry = { 1: (data: { proposerUnitId: string }) => ({ ...data, unitId: data.proposerUnitId, as: 'proposer' }) };

// A cadre's record is personal data as a whole: it never leaves the instance in clear text.
export const LiabilityRecordedDefinition = defineEvent({
  type: 'LiabilityRecorded',
  version: 2,
  context: 'rewards',
  classification: 'restricted',
  upcasters: proposersEntry,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...entryRequired, 'liability', 'decidedAt'],
    properties: {
      ...entryProperties,
      liability: { type: 'string', enum: ['none', 'excluded', 'exempted', 'reduced', 'upheld'] },
      decidedAt: instant,
    },
  },
});

const nullableId = { anyOf: [id, { type: 'null' }] };

export const AbuseReferralRecordedDefinition = defineEvent({
  type: 'AbuseReferralRecorded',
  version: 3,
  context: 'rewards',
  classification: 'restricted',
  upcasters: {
    ...proposersEntry,
    // Version 2 named no referral or inspection case (before C14-2.4e).
    2: (data: Omit<AbuseReferralRecorded['data'], 'referralId' | 'caseId'>) => ({ ...data, referralId: null, caseId: null }),
  },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...entryRequired, 'referralId', 'caseId', 'grounds', 'referredAt'],
    properties: { ...entryProperties, referralId: nullableId, caseId: nullableId, grounds, referredAt: instant },
  },
});

export const AbuseReferralFindingRecordedDefinition = defineEvent({
  type: 'AbuseReferralFindingRecorded',
  version: 1,
  context: 'rewards',
  classification: 'restricted',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...entryRequired, 'referralId', 'referredAt', 'caseId', 'finding', 'foundAt'],
    properties: {
      ...entryProperties,
      referralId: nullableId,
      referredAt: instant,
      caseId: id,
      finding: { type: 'string', enum: REFERRAL_FINDINGS },
      foundAt: instant,
    },
  },
});

export const RecognitionRecordedDefinition = defineEvent({
  type: 'RecognitionRecorded',
  version: 2,
  context: 'rewards',
  classification: 'restricted',
  upcasters: proposersEntry,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...entryRequired, 'awards', 'grantedAt'],
    properties: { ...entryProperties, awards: awardsSchema, grantedAt: instant },
  },
});

export const cadreRecordEventDefinitions = [
  LiabilityRecordedDefinition,
  AbuseReferralRecordedDefinition,
  AbuseReferralFindingRecordedDefinition,
  RecognitionRecordedDefinition,
] as const;
