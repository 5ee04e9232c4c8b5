import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import type { Vote } from '@dotpha/org';
import type {
  AbuseGround,
  Cause,
  CommitteeOpinion,
  Damage,
  InspectionFinding,
  Liability,
  MotiveFindings,
  Outcome,
  PilotSummary,
  PlanPeople,
} from './commands';
import type { EvaluatingCollective, EvaluationStatus } from './lifecycle';
import { abuseGrounds, document, findingSchema, id, ids, instant, statement } from './schema';

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
    /** v2, D73-10b: whom the protection reaches. */
    readonly people: PlanPeople;
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
    /**
     * v2, D73-eval: the evaluation is due this many working days from receiving the report. Null
     * on reports recorded before the rule (the due time set at opening still applies).
     */
    readonly evaluationDueBy: string | null;
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

interface AssessmentFields {
  readonly outcome: Outcome;
  readonly notable: boolean;
  readonly damage: Damage;
  readonly causes: readonly Cause[];
  readonly motive: MotiveFindings;
  readonly assessment: string;
}

/** The evaluator's draft, put to the collective of the evaluating unit (D73-eval, DOMAIN.md §4.5). */
export type AssessmentProposed = DomainEvent<
  'AssessmentProposed',
  Subject &
    AssessmentFields & {
      readonly round: number;
      readonly collective: EvaluatingCollective;
      readonly proposedBy: string;
      readonly proposedAt: string;
    }
>;
export type EvaluationVoteRecorded = DomainEvent<
  'EvaluationVoteRecorded',
  { readonly proposalId: string; readonly round: number; readonly voterId: string; readonly vote: Vote; readonly votedAt: string }
>;
/** The head tallies the collective's vote on the draft, by the rule of DOMAIN.md §4.3 (D73-8.1b). */
export type EvaluationVoteTallied = DomainEvent<
  'EvaluationVoteTallied',
  Subject & {
    readonly round: number;
    readonly unitId: string;
    readonly headId: string;
    readonly memberIds: readonly string[];
    readonly votes: Readonly<Record<string, Vote>>;
    readonly for: number;
    readonly against: number;
    readonly abstain: number;
    readonly members: number;
    readonly participated: number;
    readonly quorum: boolean;
    readonly tie: boolean;
    readonly headVote: Vote | null;
    readonly result: 'approved' | 'rejected';
    readonly closedMeeting: boolean;
    readonly talliedBy: string;
    readonly talliedAt: string;
  }
>;
/** The assessment in effect: since v2, the one the collective adopted. */
export type OutcomeAssessed = DomainEvent<
  'OutcomeAssessed',
  Subject &
    AssessmentFields & {
      /** False when the implementer let the report deadline pass (D73-eval). */
      readonly resultsReported: boolean;
      readonly evaluationDueBy: string;
      readonly late: boolean;
      /** Who drafted it (the evaluator). */
      readonly assessedBy: string;
      /** When it took effect. */
      readonly assessedAt: string;
      /** v2: the collective's round that adopted it; null on assessments recorded before the rule. */
      readonly round: number | null;
      /** v2, C14-2.4f: the cadre may answer until then; liability waits. */
      readonly answerDueBy: string;
    }
>;
/** C14-2.4f: the cadre's written answer to the assessment, part of the record. */
export type AssessmentAnswered = DomainEvent<
  'AssessmentAnswered',
  { readonly proposalId: string; readonly cadreId: string; readonly answer: string; readonly answeredAt: string }
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
    /** v2, D73-2: the legal basis the decision was taken under. */
    readonly legalBasis: string;
    /** v2, D73-10b: the people of the approved plan when protection applies; empty when upheld. */
    readonly protectedPersonIds: readonly string[];
  }
>;
export type AbuseReferred = DomainEvent<
  'AbuseReferred',
  Subject & {
    /** Also the id of the inspection case it opens (C14-2.4e). */
    readonly referralId: string;
    readonly grounds: readonly AbuseGround[];
    readonly description: string;
    /** Where the evaluation stood: C14-2.4d allows a referral at any stage. */
    readonly stage: EvaluationStatus;
    readonly referredBy: string;
    readonly referredAt: string;
  }
>;
/** C14-2.4e: the finding on a referral's inspection case, as the evaluation learns it. */
export type ReferralFindingRecorded = DomainEvent<
  'ReferralFindingRecorded',
  Subject & {
    readonly referralId: string;
    readonly caseId: string;
    readonly finding: InspectionFinding;
    /** When the inspector recorded the finding on the case. */
    readonly foundAt: string;
    readonly recordedAt: string;
  }
>;
export type EvaluationClosed = DomainEvent<
  'EvaluationClosed',
  Subject & {
    readonly outcome: Outcome;
    readonly notable: boolean;
    readonly liability: Liability;
    /** Abuse was referred at some stage, whatever the finding. */
    readonly abuseReferred: boolean;
    /** v2, C14-2.4e: a referral was substantiated: no protection, no recognition. */
    readonly abuseSubstantiated: boolean;
    readonly closedBy: string;
    readonly closedAt: string;
  }
>;

export type EvaluationEvent =
  | EvaluationOpened
  | ResultsReported
  | EvaluationPartyCommitteeConsulted
  | AssessmentProposed
  | EvaluationVoteRecorded
  | EvaluationVoteTallied
  | OutcomeAssessed
  | AssessmentAnswered
  | LiabilityDecided
  | AbuseReferred
  | ReferralFindingRecorded
  | EvaluationClosed;

export type EvaluationEventType = EvaluationEvent['type'];

// ---- Published JSON Schemas ----

const count = { type: 'integer', minimum: 0, maximum: 10000 };
const round = { type: 'integer', minimum: 1, maximum: 10000 };
const vote = { type: 'string', enum: ['for', 'against', 'abstain'] };
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
const causesSchema = {
  type: 'array',
  maxItems: 30,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['description', 'kind'],
    properties: { description: statement, kind: { type: 'string', enum: ['objective', 'subjective'] } },
  },
};
const assessmentProperties = {
  outcome,
  notable: { type: 'boolean' },
  damage: damageSchema,
  causes: causesSchema,
  motive: motiveSchema,
  assessment: document,
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
/** The shape of monitoring's `people` (D73-10b). */
const peopleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['proposerId', 'coProposerIds', 'implementerIds', 'approvingHeadId'],
  properties: { proposerId: id, coProposerIds: ids, implementerIds: ids, approvingHeadId: { anyOf: [id, { type: 'null' }] } },
};

/** The proposer alone: all that records written before D73-10b name. */
export function proposerOnly(proposerId: string): PlanPeople {
  return { proposerId, coProposerIds: [], implementerIds: [], approvingHeadId: null };
}

export const EvaluationOpenedDefinition = defineEvent({
  type: 'EvaluationOpened',
  version: 2,
  context: 'evaluation',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...subjectRequired, 'pilot', 'people', 'reportDueBy', 'evaluationDueBy', 'partyCommitteeConsultationRequired', 'openedAt'],
    properties: {
      ...subjectProperties,
      pilot: pilotSummarySchema,
      people: peopleSchema,
      reportDueBy: instant,
      evaluationDueBy: instant,
      partyCommitteeConsultationRequired: { type: 'boolean' },
      openedAt: instant,
    },
  },
  upcasters: {
    // v1 named the proposer only.
    1: (data: Omit<EvaluationOpened['data'], 'people'>) => ({ ...data, people: proposerOnly(data.proposerId) }),
  },
});

export const ResultsReportedDefinition = defineEvent({
  type: 'ResultsReported',
  version: 2,
  context: 'evaluation',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'reportedBy', 'report', 'attachmentIds', 'reportDueBy', 'late', 'reportedAt', 'evaluationDueBy'],
    properties: {
      proposalId: id,
      reportedBy: id,
      report: document,
      attachmentIds: { type: 'array', maxItems: 50, uniqueItems: true, items: id },
      reportDueBy: instant,
      late: { type: 'boolean' },
      reportedAt: instant,
      evaluationDueBy: { anyOf: [instant, { type: 'null' }] },
    },
  },
  upcasters: {
    // v1 left the evaluation due where opening had put it, counted from the report's due time.
    1: (data: Omit<ResultsReported['data'], 'evaluationDueBy'>) => ({ ...data, evaluationDueBy: null }),
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

export const AssessmentProposedDefinition = defineEvent({
  type: 'AssessmentProposed',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  restricted: ['assessment', 'causes'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...subjectRequired, ...Object.keys(assessmentProperties), 'round', 'collective', 'proposedBy', 'proposedAt'],
    properties: {
      ...subjectProperties,
      ...assessmentProperties,
      round,
      collective: {
        type: 'object',
        additionalProperties: false,
        required: ['unitId', 'headId', 'memberIds'],
        properties: { unitId: id, headId: id, memberIds: { ...ids, minItems: 1 } },
      },
      proposedBy: id,
      proposedAt: instant,
    },
  },
});

export const EvaluationVoteRecordedDefinition = defineEvent({
  type: 'EvaluationVoteRecorded',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'round', 'voterId', 'vote', 'votedAt'],
    properties: { proposalId: id, round, voterId: id, vote, votedAt: instant },
  },
});

export const EvaluationVoteTalliedDefinition = defineEvent({
  type: 'EvaluationVoteTallied',
  version: 1,
  context: 'evaluation',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [
      ...subjectRequired, 'round', 'unitId', 'headId', 'memberIds', 'votes', 'for', 'against', 'abstain', 'members', 'participated',
      'quorum', 'tie', 'headVote', 'result', 'closedMeeting', 'talliedBy', 'talliedAt',
    ],
    properties: {
      ...subjectProperties,
      round,
      unitId: id,
      headId: id,
      memberIds: ids,
      votes: { type: 'object', maxProperties: 200, propertyNames: id, additionalProperties: vote },
      for: count,
      against: count,
      abstain: count,
      members: count,
      participated: count,
      quorum: { type: 'boolean' },
      tie: { type: 'boolean' },
      headVote: { anyOf: [vote, { type: 'null' }] },
      result: { type: 'string', enum: ['approved', 'rejected'] },
      closedMeeting: { type: 'boolean' },
      talliedBy: id,
      talliedAt: instant,
    },
  },
});

export const OutcomeAssessedDefinition = defineEvent({
  type: 'OutcomeAssessed',
  version: 2,
  context: 'evaluation',
  classification: 'public',
  // Subjective causes and the written assessment judge the person, not only the pilot.
  restricted: ['assessment', 'causes'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [
      ...subjectRequired, ...Object.keys(assessmentProperties), 'resultsReported', 'evaluationDueBy', 'late', 'assessedBy', 'assessedAt',
      'round', 'answerDueBy',
    ],
    properties: {
      ...subjectProperties,
      ...assessmentProperties,
      resultsReported: { type: 'boolean' },
      evaluationDueBy: instant,
      late: { type: 'boolean' },
      assessedBy: id,
      assessedAt: instant,
      round: { anyOf: [round, { type: 'null' }] },
      answerDueBy: instant,
    },
  },
  upcasters: {
    // v1: the evaluator assessed alone and liability could follow at once, so no answer window.
    1: (data: Omit<OutcomeAssessed['data'], 'round' | 'answerDueBy'>) => ({ ...data, round: null, answerDueBy: data.assessedAt }),
  },
});

export const AssessmentAnsweredDefinition = defineEvent({
  type: 'AssessmentAnswered',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  restricted: ['answer'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'cadreId', 'answer', 'answeredAt'],
    properties: { proposalId: id, cadreId: id, answer: document, answeredAt: instant },
  },
});

/**
 * What v1 records are read as having been decided under: before the policy named a basis, the
 * platform ran Conclusion 14-KL/TW for all staff (DOMAIN.md §1, the old default coverage).
 */
export const LEGAL_BASIS_BEFORE_D73_2 = 'Kết luận 14-KL/TW';

export const LiabilityDecidedDefinition = defineEvent({
  type: 'LiabilityDecided',
  version: 2,
  context: 'evaluation',
  classification: 'public',
  restricted: ['reasons'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [
      ...subjectRequired, 'liability', 'reasons', 'outcome', 'damageCaused', 'decidedBy', 'decidedAt', 'legalBasis', 'protectedPersonIds',
    ],
    properties: {
      ...subjectProperties,
      liability,
      reasons: { type: 'array', minItems: 1, maxItems: 20, items: statement },
      outcome,
      damageCaused: { type: 'boolean' },
      decidedBy: id,
      decidedAt: instant,
      legalBasis: statement,
      protectedPersonIds: ids,
    },
  },
  upcasters: {
    // v1 protected the proposer alone.
    1: (data: Omit<LiabilityDecided['data'], 'legalBasis' | 'protectedPersonIds'>) => ({
      ...data,
      legalBasis: LEGAL_BASIS_BEFORE_D73_2,
      protectedPersonIds: data.liability === 'upheld' ? [] : [data.proposerId],
    }),
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
      grounds: { type: 'array', minItems: 1, maxItems: 4, uniqueItems: true, items: { type: 'string', enum: abuseGrounds } },
      description: document,
      stage: { type: 'string', enum: ['none', 'open', 'results-reported', 'assessed', 'liability-decided', 'closed'] },
      referredBy: id,
      referredAt: instant,
    },
  },
});

export const ReferralFindingRecordedDefinition = defineEvent({
  type: 'ReferralFindingRecorded',
  version: 1,
  context: 'evaluation',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...subjectRequired, 'referralId', 'caseId', 'finding', 'foundAt', 'recordedAt'],
    properties: { ...subjectProperties, referralId: id, caseId: id, finding: findingSchema, foundAt: instant, recordedAt: instant },
  },
});

export const EvaluationClosedDefinition = defineEvent({
  type: 'EvaluationClosed',
  version: 2,
  context: 'evaluation',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...subjectRequired, 'outcome', 'notable', 'liability', 'abuseReferred', 'abuseSubstantiated', 'closedBy', 'closedAt'],
    properties: {
      ...subjectProperties,
      outcome,
      notable: { type: 'boolean' },
      liability,
      abuseReferred: { type: 'boolean' },
      abuseSubstantiated: { type: 'boolean' },
      closedBy: id,
      closedAt: instant,
    },
  },
  upcasters: {
    // v1 treated every referral as proven.
    1: (data: Omit<EvaluationClosed['data'], 'abuseSubstantiated'>) => ({ ...data, abuseSubstantiated: data.abuseReferred }),
  },
});
