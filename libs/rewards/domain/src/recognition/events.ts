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
export type RecognitionBarred = DomainEvent<
  'RecognitionBarred',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly grounds: readonly AbuseGround[];
    readonly referredAt: string;
    /** The recognition had already been granted: the organization office has it to review. */
    readonly afterGrant: boolean;
    readonly barredAt: string;
  }
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

export const RecognitionBarredDefinition = defineEvent({
  type: 'RecognitionBarred',
  version: 1,
  context: 'rewards',
  // An abuse referral is an accusation still under inspection.
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'proposerId', 'proposerUnitId', 'grounds', 'referredAt', 'afterGrant', 'barredAt'],
    properties: {
      proposalId: id,
      proposerId: id,
      proposerUnitId: id,
      grounds,
      referredAt: instant,
      afterGrant: { type: 'boolean' },
      barredAt: instant,
    },
  },
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
  RecognitionGrantedDefinition,
  RecognitionDeclinedDefinition,
  ReplicationRecommendedDefinition,
  InstitutionalizationProposedDefinition,
] as const;
