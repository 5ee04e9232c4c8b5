import { type EventsOf, type Payload, Type, closedObject, defineEvents, definitionsOf, idsOf, nullable, stringEnum } from '@dotpha/kernel';
import type { Vote } from '@dotpha/org';
import type { EvaluationStatus } from './lifecycle';
import {
  COMMITTEE_OPINIONS,
  type PlanPeople,
  abuseGroundsSchema,
  assessmentProperties,
  count,
  document,
  findingSchema,
  id,
  ids,
  instant,
  liability,
  outcome,
  people,
  pilotSummary,
  round,
  statement,
  vote,
} from './schema';

// ---- Payloads: the published JSON Schemas, types derived from the table below ----

/** Who the evaluation is about; every hand-off event carries it (docs/domain-conventions.md). */
const subjectProperties = { proposalId: id, proposerId: id, proposerUnitId: id };
const EVALUATION_STATUSES = ['none', 'open', 'results-reported', 'assessed', 'liability-decided', 'closed'] as const satisfies readonly EvaluationStatus[];

const evaluationOpened = closedObject({
  ...subjectProperties,
  pilot: pilotSummary,
  /** v2, D73-10b: whom the protection reaches. */
  people,
  reportDueBy: instant,
  evaluationDueBy: instant,
  partyCommitteeConsultationRequired: Type.Boolean(),
  openedAt: instant,
});
const resultsReported = closedObject({
  proposalId: id,
  reportedBy: id,
  report: document,
  attachmentIds: idsOf(id, 50),
  reportDueBy: instant,
  /** D73-eval: reported after the due time; kept visible rather than refused. */
  late: Type.Boolean(),
  reportedAt: instant,
  /**
   * v2, D73-eval: the evaluation is due this many working days from receiving the report. Null
   * on reports recorded before the rule (the due time set at opening still applies).
   */
  evaluationDueBy: nullable(instant),
});
const evaluationPartyCommitteeConsulted = closedObject({
  proposalId: id,
  committeeUnitId: id,
  opinion: stringEnum(COMMITTEE_OPINIONS),
  summary: document,
  consultedBy: id,
  consultedAt: instant,
});
/** The evaluator's draft, put to the collective of the evaluating unit (D73-eval, DOMAIN.md §4.5). */
const assessmentProposed = closedObject({
  ...subjectProperties,
  ...assessmentProperties,
  round,
  collective: closedObject({ unitId: id, headId: id, memberIds: Type.Array(id, { maxItems: 200, uniqueItems: true, minItems: 1 }) }),
  proposedBy: id,
  proposedAt: instant,
});
const evaluationVoteRecorded = closedObject({ proposalId: id, round, voterId: id, vote, votedAt: instant });
/** The head tallies the collective's vote on the draft, by the rule of DOMAIN.md §4.3 (D73-8.1b). */
const evaluationVoteTallied = closedObject({
  ...subjectProperties,
  round,
  unitId: id,
  headId: id,
  memberIds: ids,
  votes: Type.Unsafe<Record<string, Vote>>({ type: 'object', maxProperties: 200, propertyNames: id, additionalProperties: vote }),
  for: count,
  against: count,
  abstain: count,
  members: count,
  participated: count,
  quorum: Type.Boolean(),
  tie: Type.Boolean(),
  headVote: nullable(vote),
  result: stringEnum(['approved', 'rejected']),
  closedMeeting: Type.Boolean(),
  talliedBy: id,
  talliedAt: instant,
});
/** The assessment in effect: since v2, the one the collective adopted. */
const outcomeAssessed = closedObject({
  ...subjectProperties,
  ...assessmentProperties,
  /** False when the implementer let the report deadline pass (D73-eval). */
  resultsReported: Type.Boolean(),
  evaluationDueBy: instant,
  late: Type.Boolean(),
  /** Who drafted it (the evaluator). */
  assessedBy: id,
  /** When it took effect. */
  assessedAt: instant,
  /** v2: the collective's round that adopted it; null on assessments recorded before the rule. */
  round: nullable(round),
  /** v2, C14-2.4f: the cadre may answer until then; liability waits. */
  answerDueBy: instant,
});
/** C14-2.4f: the cadre's written answer to the assessment, part of the record. */
const assessmentAnswered = closedObject({ proposalId: id, cadreId: id, answer: document, answeredAt: instant });
const liabilityDecided = closedObject({
  ...subjectProperties,
  liability,
  reasons: Type.Array(statement, { minItems: 1, maxItems: 20 }),
  outcome,
  damageCaused: Type.Boolean(),
  decidedBy: id,
  decidedAt: instant,
  /** v2, D73-2: the legal basis the decision was taken under. */
  legalBasis: statement,
  /** v2, D73-10b: the people of the approved plan when protection applies; empty when upheld. */
  protectedPersonIds: ids,
});
const abuseReferred = closedObject({
  ...subjectProperties,
  /** Also the id of the inspection case it opens (C14-2.4e). */
  referralId: id,
  grounds: abuseGroundsSchema,
  description: document,
  /** Where the evaluation stood: C14-2.4d allows a referral at any stage. */
  stage: stringEnum(EVALUATION_STATUSES),
  referredBy: id,
  referredAt: instant,
});
/** C14-2.4e: the finding on a referral's inspection case, as the evaluation learns it. */
const referralFindingRecorded = closedObject({
  ...subjectProperties,
  referralId: id,
  caseId: id,
  finding: findingSchema,
  /** When the inspector recorded the finding on the case. */
  foundAt: instant,
  recordedAt: instant,
});
const evaluationClosed = closedObject({
  ...subjectProperties,
  outcome,
  notable: Type.Boolean(),
  liability,
  /** Abuse was referred at some stage, whatever the finding. */
  abuseReferred: Type.Boolean(),
  /** v2, C14-2.4e: a referral was substantiated: no protection, no recognition. */
  abuseSubstantiated: Type.Boolean(),
  closedBy: id,
  closedAt: instant,
});

type Evaluation = EventsOf<typeof evaluationEvents>;
/** Each event of the table: `EvaluationEvent` is any of them, `EvaluationEvent<'EvaluationOpened'>` one. */
export type EvaluationEvent<T extends keyof Evaluation = keyof Evaluation> = Evaluation[T];

export type EvaluationEventType = EvaluationEvent['type'];

/** The proposer alone: all that records written before D73-10b name. */
export function proposerOnly(proposerId: string): PlanPeople {
  return { proposerId, coProposerIds: [], implementerIds: [], approvingHeadId: null };
}

/**
 * What v1 records are read as having been decided under: before the policy named a basis, the
 * platform ran Conclusion 14-KL/TW for all staff (DOMAIN.md §1, the old default coverage).
 */
export const LEGAL_BASIS_BEFORE_D73_2 = 'Kết luận 14-KL/TW';

/**
 * The evaluation's own events (definitions.ts adds the inspection cases'): for each, its version,
 * classification, restricted fields and the payload's published JSON Schema.
 */
export const evaluationEvents = defineEvents('evaluation', {
  EvaluationOpened: {
    version: 2,
    classification: 'public',
    schema: evaluationOpened,
    upcasters: {
      // v1 named the proposer only.
      1: (data: Omit<Payload<typeof evaluationOpened>, 'people'>) => ({ ...data, people: proposerOnly(data.proposerId) }),
    },
  },
  ResultsReported: {
    version: 2,
    classification: 'internal',
    schema: resultsReported,
    upcasters: {
      // v1 left the evaluation due where opening had put it, counted from the report's due time.
      1: (data: Omit<Payload<typeof resultsReported>, 'evaluationDueBy'>) => ({ ...data, evaluationDueBy: null }),
    },
  },
  // The committee's view of how the cadre carried the pilot out.
  EvaluationPartyCommitteeConsulted: { version: 1, classification: 'internal', restricted: ['summary'], schema: evaluationPartyCommitteeConsulted },
  AssessmentProposed: { version: 1, classification: 'internal', restricted: ['assessment', 'causes'], schema: assessmentProposed },
  EvaluationVoteRecorded: { version: 1, classification: 'internal', schema: evaluationVoteRecorded },
  EvaluationVoteTallied: { version: 1, classification: 'public', schema: evaluationVoteTallied },
  OutcomeAssessed: {
    version: 2,
    classification: 'public',
    // Subjective causes and the written assessment judge the person, not only the pilot.
    restricted: ['assessment', 'causes'],
    schema: outcomeAssessed,
    upcasters: {
      // v1: the evaluator assessed alone and liability could follow at once, so no answer window.
      1: (data: Omit<Payload<typeof outcomeAssessed>, 'round' | 'answerDueBy'>) => ({ ...data, round: null, answerDueBy: data.assessedAt }),
    },
  },
  AssessmentAnswered: { version: 1, classification: 'internal', restricted: ['answer'], schema: assessmentAnswered },
  LiabilityDecided: {
    version: 2,
    classification: 'public',
    restricted: ['reasons'],
    schema: liabilityDecided,
    upcasters: {
      // v1 protected the proposer alone.
      1: (data: Omit<Payload<typeof liabilityDecided>, 'legalBasis' | 'protectedPersonIds'>) => ({
        ...data,
        legalBasis: LEGAL_BASIS_BEFORE_D73_2,
        protectedPersonIds: data.liability === 'upheld' ? [] : [data.proposerId],
      }),
    },
  },
  AbuseReferred: { version: 1, classification: 'internal', restricted: ['description'], schema: abuseReferred },
  ReferralFindingRecorded: { version: 1, classification: 'internal', schema: referralFindingRecorded },
  EvaluationClosed: {
    version: 2,
    classification: 'public',
    schema: evaluationClosed,
    upcasters: {
      // v1 treated every referral as proven.
      1: (data: Omit<Payload<typeof evaluationClosed>, 'abuseSubstantiated'>) => ({ ...data, abuseSubstantiated: data.abuseReferred }),
    },
  },
});
export const evaluationDefinitions = definitionsOf(evaluationEvents);

