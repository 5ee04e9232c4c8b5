import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import { type AbuseGround, type Awards, STANDINGS, type StandingInProposal } from '../facts';
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
  Entry & { readonly grounds: readonly AbuseGround[]; readonly referredAt: string }
>;
export type RecognitionRecorded = DomainEvent<'RecognitionRecorded', Entry & { readonly awards: Awards; readonly grantedAt: string }>;

export type CadreRecordEvent = LiabilityRecorded | AbuseReferralRecorded | RecognitionRecorded;

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

export const AbuseReferralRecordedDefinition = defineEvent({
  type: 'AbuseReferralRecorded',
  version: 2,
  context: 'rewards',
  classification: 'restricted',
  upcasters: proposersEntry,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...entryRequired, 'grounds', 'referredAt'],
    properties: { ...entryProperties, grounds, referredAt: instant },
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
  RecognitionRecordedDefinition,
] as const;
