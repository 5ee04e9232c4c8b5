import {
  type People,
  type Payload,
  type PayloadOf,
  Type,
  closedObject,
  id,
  ids,
  instant,
  money,
  nullable,
  peopleSchema,
  statement,
  stringEnum,
  wordsOf,
} from '@dotpha/kernel';
import { VOTES } from '@dotpha/org';

/** The shapes the evaluation context's commands and published events share, each written once. */

export { id, ids, instant, statement };
// Written records: blank text is no record at all.
export const document = wordsOf(50000);
export const count = Type.Integer({ minimum: 0, maximum: 10000 });
export const round = Type.Integer({ minimum: 1, maximum: 10000 });
export const vote = stringEnum(VOTES);

export const OUTCOMES = ['achieved', 'partially-achieved', 'not-achieved'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const outcome = stringEnum(OUTCOMES);
export const LIABILITIES = ['none', 'excluded', 'exempted', 'reduced', 'upheld'] as const;
export type Liability = (typeof LIABILITIES)[number];
export const liability = stringEnum(LIABILITIES);
export { ABUSE_GROUNDS as abuseGrounds, type AbuseGround, abuseGroundsSchema } from '@dotpha/kernel';
export const COMMITTEE_OPINIONS = ['supports', 'has-reservations', 'objects'] as const;
export type CommitteeOpinion = (typeof COMMITTEE_OPINIONS)[number];
/** C14-2.4e: what the inspection body found on a case. */
export const INSPECTION_FINDINGS = ['substantiated', 'dismissed'] as const;
export type InspectionFinding = (typeof INSPECTION_FINDINGS)[number];
export const findingSchema = stringEnum(INSPECTION_FINDINGS);
export const CAUSE_KINDS = ['objective', 'subjective'] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/**
 * D73-10b: whom the protection reaches, as monitoring's PilotCompleted / PilotTerminated carry it
 * (the `people` of the approved plan); the proposer alone where an event does not name them.
 */
export const people = peopleSchema(ids, nullable(id));
export type PlanPeople = People;

const damage = closedObject({
  caused: Type.Boolean(),
  /** Estimated in VND; required when damage was caused. */
  estimate: Type.Optional(money),
  description: Type.Optional(statement),
});
export type Damage = Payload<typeof damage>;

const cause = closedObject({ description: statement, kind: stringEnum(CAUSE_KINDS) });
export type Cause = Payload<typeof cause>;

/** C14-2.4c: the four findings that, all positive, protect the cadre. */
const motive = closedObject({
  followedApprovedPlan: Type.Boolean(),
  pureMotive: Type.Boolean(),
  commonGood: Type.Boolean(),
  noSelfInterest: Type.Boolean(),
});
export type MotiveFindings = Payload<typeof motive>;

export const assessmentProperties = {
  outcome,
  notable: Type.Boolean(),
  damage,
  causes: Type.Array(cause, { maxItems: 30 }),
  motive,
  /** The evaluator's written assessment of how the cadre acted. */
  assessment: document,
};
export type AssessmentDraft = PayloadOf<typeof assessmentProperties>;

/** What evaluation keeps of PilotCompleted / PilotTerminated (monitoring). */
export const pilotSummary = closedObject({
  ending: stringEnum(['completed', 'terminated']),
  kind: stringEnum(['pilot', 'implementation']),
  endedAt: instant,
  kpisOnTarget: count,
  kpisTotal: count,
  milestonesMet: count,
  milestonesTotal: count,
  flags: count,
});
export type PilotSummary = Payload<typeof pilotSummary>;
