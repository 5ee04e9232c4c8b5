import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import type { AbuseGround, Awards } from '../facts';
import { awardsSchema, grounds, id, instant } from '../schema';
import type { RecordedLiability } from './commands';

interface Entry {
  /** Whose record: the cadre who made the proposal. */
  readonly userId: string;
  readonly proposalId: string;
  /** The cadre's unit when the fact arose; units change, the record keeps what was. */
  readonly proposerUnitId: string;
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

const entryProperties = { userId: id, proposalId: id, proposerUnitId: id, recordedAt: instant };
const entryRequired = Object.keys(entryProperties);

// A cadre's record is personal data as a whole: it never leaves the instance in clear text.
export const LiabilityRecordedDefinition = defineEvent({
  type: 'LiabilityRecorded',
  version: 1,
  context: 'rewards',
  classification: 'restricted',
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
  version: 1,
  context: 'rewards',
  classification: 'restricted',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...entryRequired, 'grounds', 'referredAt'],
    properties: { ...entryProperties, grounds, referredAt: instant },
  },
});

export const RecognitionRecordedDefinition = defineEvent({
  type: 'RecognitionRecorded',
  version: 1,
  context: 'rewards',
  classification: 'restricted',
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
