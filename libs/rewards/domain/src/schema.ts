import {
  type Payload,
  Type,
  closedObject,
  date,
  id,
  ids,
  idsOf,
  instant,
  nullable,
  peopleSchema,
  statement,
  stringEnum,
  wordsOf,
} from '@dotpha/kernel';

/** The shapes the rewards aggregates' commands and published events share, each written once. */

export { id, instant, statement };
export const nullableId = nullable(id);
export const reasons = Type.Array(statement, { minItems: 1, maxItems: 20 });

/** Grounds of an abuse referral, as AbuseReferred (evaluation) publishes them. */
export { type AbuseGround, abuseGroundsSchema as grounds } from '@dotpha/kernel';

export const COMMENDATION_LEVELS = ['praise', 'reward'] as const;
export type CommendationLevel = (typeof COMMENDATION_LEVELS)[number];

/** What a recognition grants (DOMAIN.md §4.6); every field optional, at least one given. */
export const awardsSchema = closedObject(
  {
    /** praise = biểu dương, reward = khen thưởng; `form` names the instrument, e.g. a certificate of merit. */
    commendation: Type.Optional(closedObject({ level: stringEnum(COMMENDATION_LEVELS), form: wordsOf(300) })),
    /** HP-points: added to the cadre's annual evaluation. */
    bonusPoints: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
    promotionPriority: Type.Optional(Type.Boolean()),
    planningPriority: Type.Optional(Type.Boolean()),
    /** D73-10: the next salary step comes this many months early. */
    salaryStepEarlyMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 })),
    /** D73-10: counts as an excellent achievement towards rank promotion. */
    excellentAchievement: Type.Optional(Type.Boolean()),
  },
  // Published (v1) with an empty list of required properties.
  { minProperties: 1, required: [] },
);
export type Awards = Payload<typeof awardsSchema>;

/** D73-10b: who the approved plan names (facts.ts ProposalPeople). */
export const people = peopleSchema(ids, nullableId);

// ---- Recognition ----

/** A coarse reach, not an organisation level: those are instance data (DOMAIN.md §3). */
export const REACHES = ['unit', 'locality', 'province', 'national'] as const;
export type Reach = (typeof REACHES)[number];
export const EFFECTIVENESS = ['moderate', 'high', 'outstanding'] as const;
export type Effectiveness = (typeof EFFECTIVENESS)[number];
export const INSTITUTIONALIZATION_LEVELS = ['unit', 'local', 'central'] as const;
export type InstitutionalizationLevel = (typeof INSTITUTIONALIZATION_LEVELS)[number];

const reach = stringEnum(REACHES);
/** HCM3815 step 2: "xứng đáng với quy mô, hiệu quả, sức ảnh hưởng của sáng kiến". */
export const proportionality = closedObject({
  scale: reach,
  effectiveness: stringEnum(EFFECTIVENESS),
  influence: reach,
  justification: statement,
});
export type Proportionality = Payload<typeof proportionality>;

// ---- Periodic report ----

/** The figures a sent report states, as the sender saw them (C14-2.5a, C14-2.5d, HN24-shirk, D73-6). */
export const REPORT_FIGURES = [
  'submitted', 'approvedForImplementation', 'approvedForPilot', 'rejected', 'pilotsCompleted', 'pilotsTerminated', 'outcomesAchieved',
  'outcomesPartiallyAchieved', 'outcomesNotAchieved', 'liabilityDecisions', 'recognitionsGranted', 'replications', 'institutionalizations',
  'overdueSteps', 'prohibitedActReports',
] as const;
const count = Type.Integer({ minimum: 0 });
export const figures = closedObject(
  Object.fromEntries(REPORT_FIGURES.map((f) => [f, count])) as { [F in (typeof REPORT_FIGURES)[number]]: typeof count },
);
export type ReportFigures = Payload<typeof figures>;

/** A reporting period (C14-2.5d): a half-year, a year or any range of local dates, both ends included. */
export const period = closedObject({
  /** 'H1-2026', 'H2-2026', '2026' or '2026-01-01..2026-03-31'. */
  label: Type.String({ pattern: '^(H[12]-\\d{4}|\\d{4}|\\d{4}-\\d{2}-\\d{2}\\.\\.\\d{4}-\\d{2}-\\d{2})$' }),
  from: date,
  to: date,
});
export type ReportPeriod = Payload<typeof period>;

/** Who a report goes up to, from the organisation chart. */
export const recipients = closedObject({
  /** The superior party committee: its unit and the secretary who heads it. */
  partyCommittee: nullable(closedObject({ unitId: id, headId: id })),
  /** The organisation office: the users who hold the role. */
  organizationOfficeIds: idsOf(id, 200),
});
export type ReportRecipients = Payload<typeof recipients>;
