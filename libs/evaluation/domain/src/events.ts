import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import type {
  AbuseGround,
  Cause,
  CommitteeOpinion,
  Damage,
  Liability,
  MotiveFindings,
  Outcome,
  PilotSummary,
} from './commands';
import type { EvaluationStatus } from './evaluation.decider';

/** Who the evaluation is about; every hand-off event carries it (docs/domain-conventions.md). */
interface Subject {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}

export type EvaluationOpened = DomainEvent<
  'EvaluationOpened',
  Subject & {
    readonly pilot: PilotSummary;
    readonly reportDueBy: string;
    readonly evaluationDueBy: string;
    readonly partyCommitteeConsultationRequired: boolean;
    readonly openedAt: string;
  }
>;
export type ResultsReported = DomainEvent<
  'ResultsReported',
  {
    readonly proposalId: string;
    readonly reportedBy: string;
    readonly report: string;
    readonly attachmentIds: readonly string[];
    readonly reportDueBy: string;
    /** D73-eval: reported after the due time; kept visible rather than refused. */
    readonly late: boolean;
    readonly reportedAt: string;
  }
>;
export type EvaluationPartyCommitteeConsulted = DomainEvent<
  'EvaluationPartyCommitteeConsulted',
  {
    readonly proposalId: string;
    readonly committeeUnitId: string;
    readonly opinion: CommitteeOpinion;
    readonly summary: string;
    readonly consultedBy: string;
    readonly consultedAt: string;
  }
>;
export type OutcomeAssessed = DomainEvent<
  'OutcomeAssessed',
  Subject & {
    readonly outcome: Outcome;
    readonly notable: boolean;
    readonly damage: Damage;
    readonly causes: readonly Cause[];
    readonly motive: MotiveFindings;
    readonly assessment: string;
    /** False when the implementer let the report deadline pass (D73-eval). */
    readonly resultsReported: boolean;
    readonly evaluationDueBy: string;
    readonly late: boolean;
    readonly assessedBy: string;
    readonly assessedAt: string;
  }
>;
export type LiabilityDecided = DomainEvent<
  'LiabilityDecided',
  Subject & {
    readonly liability: Liability;
    readonly reasons: readonly string[];
    readonly outcome: Outcome;
    readonly damageCaused: boolean;
    readonly decidedBy: string;
    readonly decidedAt: string;
  }
>;
export type AbuseReferred = DomainEvent<
  'AbuseReferred',
  Subject & {
    readonly referralId: string;
    readonly grounds: readonly AbuseGround[];
    readonly description: string;
    /** Where the evaluation stood: C14-2.4d allows a referral at any stage. */
    readonly stage: EvaluationStatus;
    readonly referredBy: string;
    readonly referredAt: string;
  }
>;
export type EvaluationClosed = DomainEvent<
  'EvaluationClosed',
  Subject & {
    readonly outcome: Outcome;
    readonly notable: boolean;
    readonly liability: Liability;
    readonly abuseReferred: boolean;
    readonly closedBy: string;
    readonly closedAt: string;
  }
>;

export type EvaluationEvent =
  | EvaluationOpened
  | ResultsReported
  | EvaluationPartyCommitteeConsulted
  | OutcomeAssessed
  | LiabilityDecided
  | AbuseReferred
  | EvaluationClosed;

export type EvaluationEventType = EvaluationEvent['type'];

// ---- Published JSON Schemas ----

const id = { type: 'string', minLength: 1, maxLength: 100 };
const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' };
// Written records: blank text is no record at all.
const statement = { type: 'string', minLength: 1, maxLength: 4000, pattern: '\\S' };
const document = { type: 'string', minLength: 1, maxLength: 50000, pattern: '\\S' };
const count = { type: 'integer', minimum: 0, maximum: 10000 };
const outcome = { type: 'string', enum: ['achieved', 'partially-achieved', 'not-achieved'] };
const liability = { type: 'string', enum: ['none', 'excluded', 'exempted', 'reduced', 'upheld'] };
const subjectProperties = { proposalId: id, proposerId: id, proposerUnitId: id };
const subjectRequired = Object.keys(subjectProperties);

const damageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['caused'],
  properties: { caused: { type: 'boolean' }, estimate: { type: 'number', minimum: 0 }, description: statement },
};
const motiveSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['followedApprovedPlan', 'pureMotive', 'commonGood', 'noSelfInterest'],
  properties: {
    followedApprovedPlan: { type: 'boolean' },
    pureMotive: { type: 'boolean' },
    commonGood: { type: 'boolean' },
    noSelfInterest: { type: 'boolean' },
  },
};
const pilotSummarySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['ending', 'kind', 'endedAt', 'kpisOnTarget', 'kpisTotal', 'milestonesMet', 'milestonesTotal', 'flags'],
  properties: {
    ending: { type: 'string', enum: ['completed', 'terminated'] },
    kind: { type: 'string', enum: ['pilot', 'implementation'] },
    endedAt: instant,
    kpisOnTarget: count,
    kpisTotal: count,
    milestonesMet: count,
    milestonesTotal: count,
    flags: count,
  },
};

export const EvaluationOpenedDefinition = defineEvent({
  type: 'EvaluationOpened',
  version: 1,
  context: 'evaluation',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...subjectRequired, 'pilot', 'reportDueBy', 'evaluationDueBy', 'partyCommitteeConsultationRequired', 'openedAt'],
    properties: {
      ...subjectProperties,
      pilot: pilotSummarySchema,
      reportDueBy: instant,
      evaluationDueBy: instant,
      partyCommitteeConsultationRequired: { type: 'boolean' },
      openedAt: instant,
    },
  },
});

export const ResultsReportedDefinition = defineEvent({
  type: 'ResultsReported',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'reportedBy', 'report', 'attachmentIds', 'reportDueBy', 'late', 'reportedAt'],
    properties: {
      proposalId: id,
      reportedBy: id,
      report: document,
      attachmentIds: { type: 'array', maxItems: 50, uniqueItems: true, items: id },
      reportDueBy: instant,
      late: { type: 'boolean' },
      reportedAt: instant,
    },
  },
});

export const EvaluationPartyCommitteeConsultedDefinition = defineEvent({
  type: 'EvaluationPartyCommitteeConsulted',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  // The committee's view of how the cadre carried the pilot out.
  restricted: ['summary'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'committeeUnitId', 'opinion', 'summary', 'consultedBy', 'consultedAt'],
    properties: {
      proposalId: id,
      committeeUnitId: id,
      opinion: { type: 'string', enum: ['supports', 'has-reservations', 'objects'] },
      summary: document,
      consultedBy: id,
      consultedAt: instant,
    },
  },
});

export const OutcomeAssessedDefinition = defineEvent({
  type: 'OutcomeAssessed',
  version: 1,
  context: 'evaluation',
  classification: 'public',
  // Subjective causes and the written assessment judge the person, not only the pilot.
  restricted: ['assessment', 'causes'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [
      ...subjectRequired, 'outcome', 'notable', 'damage', 'causes', 'motive', 'assessment',
      'resultsReported', 'evaluationDueBy', 'late', 'assessedBy', 'assessedAt',
    ],
    properties: {
      ...subjectProperties,
      outcome,
      notable: { type: 'boolean' },
      damage: damageSchema,
      causes: {
        type: 'array',
        maxItems: 30,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['description', 'kind'],
          properties: { description: statement, kind: { type: 'string', enum: ['objective', 'subjective'] } },
        },
      },
      motive: motiveSchema,
      assessment: document,
      resultsReported: { type: 'boolean' },
      evaluationDueBy: instant,
      late: { type: 'boolean' },
      assessedBy: id,
      assessedAt: instant,
    },
  },
});

export const LiabilityDecidedDefinition = defineEvent({
  type: 'LiabilityDecided',
  version: 1,
  context: 'evaluation',
  classification: 'public',
  restricted: ['reasons'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...subjectRequired, 'liability', 'reasons', 'outcome', 'damageCaused', 'decidedBy', 'decidedAt'],
    properties: {
      ...subjectProperties,
      liability,
      reasons: { type: 'array', minItems: 1, maxItems: 20, items: statement },
      outcome,
      damageCaused: { type: 'boolean' },
      decidedBy: id,
      decidedAt: instant,
    },
  },
});

export const AbuseReferredDefinition = defineEvent({
  type: 'AbuseReferred',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  restricted: ['description'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...subjectRequired, 'referralId', 'grounds', 'description', 'stage', 'referredBy', 'referredAt'],
    properties: {
      ...subjectProperties,
      referralId: id,
      grounds: {
        type: 'array',
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        items: { type: 'string', enum: ['self-interest', 'corruption', 'negativity', 'discipline-violation'] },
      },
      description: document,
      stage: { type: 'string', enum: ['none', 'open', 'results-reported', 'assessed', 'liability-decided', 'closed'] },
      referredBy: id,
      referredAt: instant,
    },
  },
});

export const EvaluationClosedDefinition = defineEvent({
  type: 'EvaluationClosed',
  version: 1,
  context: 'evaluation',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...subjectRequired, 'outcome', 'notable', 'liability', 'abuseReferred', 'closedBy', 'closedAt'],
    properties: {
      ...subjectProperties,
      outcome,
      notable: { type: 'boolean' },
      liability,
      abuseReferred: { type: 'boolean' },
      closedBy: id,
      closedAt: instant,
    },
  },
});

export const evaluationEventDefinitions = [
  EvaluationOpenedDefinition,
  ResultsReportedDefinition,
  EvaluationPartyCommitteeConsultedDefinition,
  OutcomeAssessedDefinition,
  LiabilityDecidedDefinition,
  AbuseReferredDefinition,
  EvaluationClosedDefinition,
] as const;
