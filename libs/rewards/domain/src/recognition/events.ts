import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import type { AbuseGround, Awards, ProposalPeople } from '../facts';
import { awardsSchema, grounds, id, instant, peopleSchema, reasons, statement } from '../schema';
import type { InstitutionalizationLevel, Proportionality } from './commands';

export type RecognitionRecommended = DomainEvent<
  'RecognitionRecommended',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly outcome: 'achieved' | 'partially-achieved';
    readonly notable: boolean;
    /** D73-10b (version 2): everyone the recognition reaches. */
    readonly people: ProposalPeople;
    readonly recommendedAt: string;
  }
>;
/**
 * C14-2.4e (version 2): an abuse referral suspends the recognition while the inspection case it
 * opened has no finding; the bar names that referral and case. Version 1 named neither: it barred
 * for good, as the code then read every referral as proven.
 */
export type RecognitionBarred = DomainEvent<
  'RecognitionBarred',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    /** Null on bars recorded before C14-2.4e (version 1). */
    readonly referralId: string | null;
    readonly caseId: string | null;
    readonly grounds: readonly AbuseGround[];
    readonly referredAt: string;
    /** The recognition had already been granted: the organization office has it to review. */
    readonly afterGrant: boolean;
    readonly barredAt: string;
  }
>;

interface BarFinding {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  /** The referral whose bar the finding ends; null for a bar recorded before C14-2.4e. */
  readonly referralId: string | null;
  readonly caseId: string;
  readonly foundAt: string;
  /** Another referral still awaits its finding, or one was substantiated: the recognition stays barred. */
  readonly stillBarred: boolean;
}

/** C14-2.4e: the case was dismissed; recognition goes on as if that referral had not been made. */
export type RecognitionBarLifted = DomainEvent<
  'RecognitionBarLifted',
  BarFinding & { readonly finding: 'dismissed'; readonly liftedAt: string }
>;

/** C14-2.4d, C14-2.4e: the abuse was substantiated; the proposal is never recognised or spread. */
export type RecognitionBarConfirmed = DomainEvent<
  'RecognitionBarConfirmed',
  BarFinding & { readonly finding: 'substantiated'; readonly confirmedAt: string }
>;
export type RecognitionGranted = DomainEvent<
  'RecognitionGranted',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly awards: Awards;
    readonly proportionality: Proportionality;
    /** D73-10b (version 2): each of them has the recognition on their record. */
    readonly people: ProposalPeople;
    readonly grantedBy: string;
    readonly grantedAt: string;
  }
>;
export type RecognitionDeclined = DomainEvent<
  'RecognitionDeclined',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly reasons: readonly string[];
    readonly declinedBy: string;
    readonly declinedAt: string;
  }
>;
export type ReplicationRecommended = DomainEvent<
  'ReplicationRecommended',
  {
    readonly proposalId: string;
    readonly replicationId: string;
    readonly targetUnitIds: readonly string[];
    readonly reviewPeriod: string;
    readonly reasons: readonly string[];
    readonly recommendedBy: string;
    readonly recommendedAt: string;
  }
>;
export type InstitutionalizationProposed = DomainEvent<
  'InstitutionalizationProposed',
  {
    readonly proposalId: string;
    readonly institutionalizationId: string;
    readonly level: InstitutionalizationLevel;
    readonly addressedTo: string;
    readonly instrument: string;
    readonly reasons: readonly string[];
    readonly proposedBy: string;
    readonly proposedAt: string;
  }
>;

export type RecognitionEvent =
  | RecognitionRecommended
  | RecognitionBarred
  | RecognitionBarLifted
  | RecognitionBarConfirmed
  | RecognitionGranted
  | RecognitionDeclined
  | ReplicationRecommended
  | InstitutionalizationProposed;

const reach = { type: 'string', enum: ['unit', 'locality', 'province', 'national'] };

/** Version 1 named the proposer alone: they were the only person recognised. */
const withProposerAlone = (data: { proposerId: string }) => ({
  ...data,
  people: { proposerId: data.proposerId, coProposerIds: [], implementerIds: [], approvingHeadId: null },
});

export const RecognitionRecommendedDefinition = defineEvent({
  type: 'RecognitionRecommended',
  version: 2,
  context: 'rewards',
  classification: 'public',
  upcasters: { 1: withProposerAlone },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'proposerId', 'proposerUnitId', 'outcome', 'notable', 'people', 'recommendedAt'],
    properties: {
      proposalId: id,
      proposerId: id,
      proposerUnitId: id,
      outcome: { type: 'string', enum: ['achieved', 'partially-achieved'] },
      notable: { type: 'boolean' },
      people: peopleSchema,
      recommendedAt: instant,
    },
  },
});

const nullableId = { anyOf: [id, { type: 'null' }] };

export const RecognitionBarredDefinition = defineEvent({
  type: 'RecognitionBarred',
  version: 2,
  context: 'rewards',
  // An abuse referral is an accusation still under inspection.
  classification: 'internal',
  upcasters: {
    // Version 1 named no referral or case: read as a bar that no finding rewards can match names.
    1: (data: Omit<RecognitionBarred['data'], 'referralId' | 'caseId'>) => ({ ...data, referralId: null, caseId: null }),
  },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'proposerId', 'proposerUnitId', 'referralId', 'caseId', 'grounds', 'referredAt', 'afterGrant', 'barredAt'],
    properties: {
      proposalId: id,
      proposerId: id,
      proposerUnitId: id,
      referralId: nullableId,
      caseId: nullableId,
      grounds,
      referredAt: instant,
      afterGrant: { type: 'boolean' },
      barredAt: instant,
    },
  },
});

const barFinding = (finding: 'dismissed' | 'substantiated', at: 'liftedAt' | 'confirmedAt') => ({
  type: 'object',
  additionalProperties: false,
  required: ['proposalId', 'proposerId', 'proposerUnitId', 'referralId', 'caseId', 'finding', 'foundAt', 'stillBarred', at],
  properties: {
    proposalId: id,
    proposerId: id,
    proposerUnitId: id,
    referralId: nullableId,
    caseId: id,
    finding: { type: 'string', enum: [finding] },
    foundAt: instant,
    stillBarred: { type: 'boolean' },
    [at]: instant,
  },
});

export const RecognitionBarLiftedDefinition = defineEvent({
  type: 'RecognitionBarLifted',
  version: 1,
  context: 'rewards',
  // As internal as the bar it lifts: both tell of a referral.
  classification: 'internal',
  schema: barFinding('dismissed', 'liftedAt'),
});

export const RecognitionBarConfirmedDefinition = defineEvent({
  type: 'RecognitionBarConfirmed',
  version: 1,
  context: 'rewards',
  classification: 'internal',
  schema: barFinding('substantiated', 'confirmedAt'),
});

export const RecognitionGrantedDefinition = defineEvent({
  type: 'RecognitionGranted',
  version: 2,
  context: 'rewards',
  // Recognition is public praise meant to spread the model (C14-2.5a), its grounds and the people recognised included.
  classification: 'public',
  upcasters: { 1: withProposerAlone },
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'proposerId', 'proposerUnitId', 'awards', 'proportionality', 'people', 'grantedBy', 'grantedAt'],
    properties: {
      proposalId: id,
      proposerId: id,
      proposerUnitId: id,
      awards: awardsSchema,
      proportionality: {
        type: 'object',
        additionalProperties: false,
        required: ['scale', 'effectiveness', 'influence', 'justification'],
        properties: {
          scale: reach,
          effectiveness: { type: 'string', enum: ['moderate', 'high', 'outstanding'] },
          influence: reach,
          justification: statement,
        },
      },
      people: peopleSchema,
      grantedBy: id,
      grantedAt: instant,
    },
  },
});

export const RecognitionDeclinedDefinition = defineEvent({
  type: 'RecognitionDeclined',
  version: 1,
  context: 'rewards',
  classification: 'internal',
  restricted: ['reasons'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'proposerId', 'reasons', 'declinedBy', 'declinedAt'],
    properties: { proposalId: id, proposerId: id, reasons, declinedBy: id, declinedAt: instant },
  },
});

export const ReplicationRecommendedDefinition = defineEvent({
  type: 'ReplicationRecommended',
  version: 1,
  context: 'rewards',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'replicationId', 'targetUnitIds', 'reviewPeriod', 'reasons', 'recommendedBy', 'recommendedAt'],
    properties: {
      proposalId: id,
      replicationId: id,
      targetUnitIds: { type: 'array', maxItems: 500, uniqueItems: true, items: id },
      reviewPeriod: { type: 'string', pattern: '^\\d{4}(-(H[12]|Q[1-4]))?$' },
      reasons,
      recommendedBy: id,
      recommendedAt: instant,
    },
  },
});

export const InstitutionalizationProposedDefinition = defineEvent({
  type: 'InstitutionalizationProposed',
  version: 1,
  context: 'rewards',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'institutionalizationId', 'level', 'addressedTo', 'instrument', 'reasons', 'proposedBy', 'proposedAt'],
    properties: {
      proposalId: id,
      institutionalizationId: id,
      level: { type: 'string', enum: ['unit', 'local', 'central'] },
      addressedTo: { type: 'string', minLength: 1, maxLength: 300, pattern: '\\S' },
      instrument: statement,
      reasons,
      proposedBy: id,
      proposedAt: instant,
    },
  },
});

export const recognitionEventDefinitions = [
  RecognitionRecommendedDefinition,
  RecognitionBarredDefinition,
  RecognitionBarLiftedDefinition,
  RecognitionBarConfirmedDefinition,
  RecognitionGrantedDefinition,
  RecognitionDeclinedDefinition,
  ReplicationRecommendedDefinition,
  InstitutionalizationProposedDefinition,
] as const;
