import { type EventsOf, type Payload, closedObject, defineEvents, definitionsOf, stringEnum } from '@dotpha/kernel';
import { REFERRAL_FINDINGS, STANDINGS } from '../facts';
import { awardsSchema, grounds, id, instant, nullableId } from '../schema';
import { RECORDED_LIABILITIES } from './commands';

// ---- Payloads: the published JSON Schemas, types derived from the table below ----

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

type CadreRecord = EventsOf<typeof cadreRecordEvents>;
/** Each event of the table: `CadreRecordEvent` is any of them, `CadreRecordEvent<'LiabilityRecorded'>` one. */
export type CadreRecordEvent<T extends keyof CadreRecord = keyof CadreRecord> = CadreRecord[T];

/** Version 1 recorded the proposer alone, in the proposal's unit. */
const proposersEntry = { 1: (data: { proposerUnitId: string }) => ({ ...data, unitId: data.proposerUnitId, as: 'proposer' }) };

/**
 * The cadre record's events: for each, its version, classification and the payload's published JSON
 * Schema. A cadre's record is personal data as a whole: it never leaves the instance in clear text.
 */
export const cadreRecordEvents = defineEvents('rewards', {
  LiabilityRecorded: { version: 2, classification: 'restricted', upcasters: proposersEntry, schema: liabilityRecorded },
  AbuseReferralRecorded: {
    version: 3,
    classification: 'restricted',
    upcasters: {
      ...proposersEntry,
      // Version 2 named no referral or inspection case (before C14-2.4e).
      2: (data: Omit<Payload<typeof abuseReferralRecorded>, 'referralId' | 'caseId'>) => ({ ...data, referralId: null, caseId: null }),
    },
    schema: abuseReferralRecorded,
  },
  AbuseReferralFindingRecorded: { version: 1, classification: 'restricted', schema: abuseReferralFindingRecorded },
  RecognitionRecorded: { version: 2, classification: 'restricted', upcasters: proposersEntry, schema: recognitionRecorded },
});
export const cadreRecordEventDefinitions = definitionsOf(cadreRecordEvents);

