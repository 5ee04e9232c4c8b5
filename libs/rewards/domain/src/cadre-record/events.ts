import { type EventOf, type Payload, closedObject, eventDefiner, stringEnum } from '@dotpha/kernel';
import { REFERRAL_FINDINGS, STANDINGS } from '../facts';
import { awardsSchema, grounds, id, instant, nullableId } from '../schema';
import { RECORDED_LIABILITIES } from './commands';

const rewardsEvent = eventDefiner('rewards');

// ---- Payloads: the published JSON Schemas, types derived from the definitions below ----

const entryProperties = {
  /** Whose record: the proposer, or (version 2, D73-10b) another person the approved plan names. */
  userId: id,
  proposalId: id,
  /** The proposer's unit when the fact arose; units change, the record keeps what was. */
  proposerUnitId: id,
  /** Version 2: the record holder's own unit when the fact arose (the heads above it may read the record). */
  unitId: id,
  /** Version 2: how the holder stands to the proposal. */
  as: stringEnum(STANDINGS),
  recordedAt: instant,
};

const liabilityRecorded = closedObject({ ...entryProperties, liability: stringEnum(RECORDED_LIABILITIES), decidedAt: instant });
const abuseReferralRecorded = closedObject({
  ...entryProperties,
  /** Version 3, C14-2.4e: the referral and its inspection case; null on entries recorded before. */
  referralId: nullableId,
  caseId: nullableId,
  grounds,
  referredAt: instant,
});
/**
 * C14-2.4e: the finding on a referral of the record, beside the referral it answers. An allegation
 * is not a finding: the record shows whether it was substantiated or dismissed.
 */
const abuseReferralFindingRecorded = closedObject({
  ...entryProperties,
  /** The referral it answers: its id (null for an entry recorded before C14-2.4e) and when it was made. */
  referralId: nullableId,
  referredAt: instant,
  caseId: id,
  finding: stringEnum(REFERRAL_FINDINGS),
  foundAt: instant,
});
const recognitionRecorded = closedObject({ ...entryProperties, awards: awardsSchema, grantedAt: instant });

export type CadreRecordEvent = EventOf<(typeof cadreRecordEventDefinitions)[number]>;

/** Version 1 recorded the proposer alone, in the proposal's unit. */
const proposersEntry = { 1: (data: { proposerUnitId: string }) => ({ ...data, unitId: data.proposerUnitId, as: 'proposer' }) };

// A cadre's record is personal data as a whole: it never leaves the instance in clear text.
export const LiabilityRecordedDefinition = rewardsEvent('LiabilityRecorded', {
  version: 2,
  classification: 'restricted',
  upcasters: proposersEntry,
  schema: liabilityRecorded,
});
export type LiabilityRecorded = EventOf<typeof LiabilityRecordedDefinition>;

export const AbuseReferralRecordedDefinition = rewardsEvent('AbuseReferralRecorded', {
  version: 3,
  classification: 'restricted',
  upcasters: {
    ...proposersEntry,
    // Version 2 named no referral or inspection case (before C14-2.4e).
    2: (data: Omit<Payload<typeof abuseReferralRecorded>, 'referralId' | 'caseId'>) => ({ ...data, referralId: null, caseId: null }),
  },
  schema: abuseReferralRecorded,
});
export type AbuseReferralRecorded = EventOf<typeof AbuseReferralRecordedDefinition>;

export const AbuseReferralFindingRecordedDefinition = rewardsEvent('AbuseReferralFindingRecorded', {
  version: 1,
  classification: 'restricted',
  schema: abuseReferralFindingRecorded,
});
export type AbuseReferralFindingRecorded = EventOf<typeof AbuseReferralFindingRecordedDefinition>;

export const RecognitionRecordedDefinition = rewardsEvent('RecognitionRecorded', {
  version: 2,
  classification: 'restricted',
  upcasters: proposersEntry,
  schema: recognitionRecorded,
});
export type RecognitionRecorded = EventOf<typeof RecognitionRecordedDefinition>;

export const cadreRecordEventDefinitions = [
  LiabilityRecordedDefinition,
  AbuseReferralRecordedDefinition,
  AbuseReferralFindingRecordedDefinition,
  RecognitionRecordedDefinition,
] as const;
