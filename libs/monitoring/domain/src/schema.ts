import {
  KPI_DIRECTIONS,
  type Payload,
  type PayloadOf,
  Type,
  closedObject,
  count,
  date,
  id,
  idsOf,
  instant,
  kpiSchema,
  milestoneSchema,
  oneOf,
  oneOfNull,
  peopleSchema,
  resourceSchema,
  statement,
  stringEnum,
  wordsOf,
} from '@dotpha/kernel';

/** The shapes the monitoring context's commands and published events share, each written once. */

export const PILOT_KINDS = ['pilot', 'implementation'] as const;
export type PilotKind = (typeof PILOT_KINDS)[number];
export const ISSUE_CATEGORIES = ['risk', 'damage', 'violation'] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];
export const SUPPORT_KINDS = ['funding', 'people', 'equipment', 'guidance', 'other'] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];
export const FLAG_SOURCES = ['automatic', 'supervisor'] as const;
export type FlagSource = (typeof FLAG_SOURCES)[number];

export const name = wordsOf(300);
export const text = statement;
export const longText = wordsOf(20000);
export const reasons = Type.Array(text, { minItems: 1, maxItems: 20 });
export const tolerance = Type.Number({ minimum: 0, maximum: 1 });
export const direction = stringEnum(KPI_DIRECTIONS);
export const pilotKind = stringEnum(PILOT_KINDS);
/** What a pilot is about, first in its planning and in how it ended. */
export const pilotSubjectProperties = { proposalId: id, proposerId: id, proposerUnitId: id, kind: pilotKind };
export const legalBasis = wordsOf(500);
export const resolvedFlagIds = idsOf(id, 200);

export const kpi = kpiSchema({ id, name, unit: Type.String({ minLength: 1, maxLength: 50 }) });
/** `dueDate` is a calendar date (YYYY-MM-DD) in the instance's local time. */
export const milestone = milestoneSchema({ id, name });
export const resource = resourceSchema(text);

/** The plan fixed by `ProposalApproved` (approvals), as PilotPlanned publishes it. */
export const planProperties = {
  scope: text,
  startDate: date,
  endDate: date,
  kpis: Type.Array(kpi, { maxItems: 50 }),
  milestones: Type.Array(milestone, { maxItems: 100 }),
  resources: Type.Array(resource, { maxItems: 50 }),
  supervisorId: id,
};
export type PilotPlan = PayloadOf<typeof planProperties>;

export const kpiValue = closedObject({ kpiId: id, value: Type.Number() });
export type KpiValue = Payload<typeof kpiValue>;
export const milestoneMet = closedObject({ milestoneId: id, metOn: date });
export type MilestoneMet = Payload<typeof milestoneMet>;

export const changes = closedObject(
  {
    startDate: Type.Optional(date),
    endDate: Type.Optional(date),
    kpiTargets: Type.Optional(Type.Array(closedObject({ kpiId: id, target: Type.Number() }), { maxItems: 50 })),
    milestoneDueDates: Type.Optional(Type.Array(closedObject({ milestoneId: id, dueDate: date }), { maxItems: 100 })),
    addedMilestones: Type.Optional(Type.Array(milestone, { maxItems: 100 })),
  },
  // Published (v1) with an empty list of required properties.
  { required: [] },
);
export type PilotChanges = Payload<typeof changes>;

/**
 * D73-10b: whom the protection and recognition of the pilot reach (the shape the proposals
 * context records on the approval): proposer, co-proposers, implementers named on the plan,
 * the approving head (null only on pilots planned before it was recorded).
 */
export const people = peopleSchema(idsOf(id, 50), oneOfNull(id));

/** What an automatic flag detected (C14-2.4a): enough to show it without the report. */
export const detection = oneOf([
  closedObject({
    kind: Type.Literal('kpi-off-target'),
    kpiId: id,
    value: Type.Number(),
    target: Type.Number(),
    direction,
    tolerance,
  }),
  closedObject({ kind: Type.Literal('milestone-overdue'), milestoneId: id, dueDate: date }),
]);
export type FlagDetection = Payload<typeof detection>;

const kpiResult = closedObject({ id, target: Type.Number(), direction, latest: oneOfNull(Type.Number()), onTarget: Type.Boolean() });
export type KpiResult = Payload<typeof kpiResult>;
const milestoneResult = closedObject({ id, dueDate: date, metAt: oneOfNull(date) });
export type MilestoneResult = Payload<typeof milestoneResult>;

/** How a pilot ended, as PilotCompleted and PilotTerminated publish it: the hand-off evaluation relies on. */
export const pilotEndProperties = {
  ...pilotSubjectProperties,
  supervisorId: id,
  endedAt: instant,
  kpiTolerance: tolerance,
  kpiResults: Type.Array(kpiResult, { maxItems: 50 }),
  milestones: Type.Array(milestoneResult, { maxItems: 200 }),
  flags: count,
  openFlags: count,
  /** D73-10b: who the evaluation's protection and the rewards reach. */
  people,
  /** D73-2: the legal basis of the approval the pilot carried out. */
  legalBasis,
};
