import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import type {
  IssueCategory,
  Kpi,
  KpiDirection,
  Milestone,
  PilotChanges,
  PilotKind,
  PilotPeople,
  Resource,
  SupportKind,
} from './commands';

export type FlagSource = 'automatic' | 'supervisor';

/** What an automatic flag detected (C14-2.4a): enough to show it without the report. */
export type FlagDetection =
  | {
      readonly kind: 'kpi-off-target';
      readonly kpiId: string;
      readonly value: number;
      readonly target: number;
      readonly direction: KpiDirection;
      readonly tolerance: number;
    }
  | { readonly kind: 'milestone-overdue'; readonly milestoneId: string; readonly dueDate: string };

export interface KpiResult {
  readonly id: string;
  readonly target: number;
  readonly direction: KpiDirection;
  readonly latest: number | null;
  readonly onTarget: boolean;
}

export interface MilestoneResult {
  readonly id: string;
  readonly dueDate: string;
  readonly metAt: string | null;
}

/** The hand-off the evaluation context relies on (docs/domain-conventions.md). */
export interface PilotEnd {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly kind: PilotKind;
  readonly supervisorId: string;
  readonly endedAt: string;
  readonly kpiTolerance: number;
  readonly kpiResults: readonly KpiResult[];
  readonly milestones: readonly MilestoneResult[];
  readonly flags: number;
  readonly openFlags: number;
  /** D73-10b: who the evaluation's protection and the rewards reach. */
  readonly people: PilotPeople;
  /** D73-2: the legal basis of the approval the pilot carried out. */
  readonly legalBasis: string;
}

export type PilotPlanned = DomainEvent<
  'PilotPlanned',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly kind: PilotKind;
    readonly scope: string;
    readonly startDate: string;
    readonly endDate: string;
    readonly kpis: readonly Kpi[];
    readonly milestones: readonly Milestone[];
    readonly resources: readonly Resource[];
    readonly supervisorId: string;
    readonly people: PilotPeople;
    readonly legalBasis: string;
    readonly plannedAt: string;
  }
>;
export type PilotStarted = DomainEvent<
  'PilotStarted',
  { readonly proposalId: string; readonly startedBy: string; readonly startedAt: string }
>;
export type ProgressReported = DomainEvent<
  'ProgressReported',
  {
    readonly proposalId: string;
    readonly reportId: string;
    readonly reportedBy: string;
    readonly kpiValues: readonly { readonly kpiId: string; readonly value: number }[];
    readonly milestonesMet: readonly { readonly milestoneId: string; readonly metOn: string }[];
    readonly narrative: string;
    readonly reportedAt: string;
  }
>;
export type SupervisionCheckRecorded = DomainEvent<
  'SupervisionCheckRecorded',
  {
    readonly proposalId: string;
    readonly checkId: string;
    readonly checkedBy: string;
    readonly findings: string;
    readonly resolvedFlagIds: readonly string[];
    readonly checkedAt: string;
  }
>;
export type IssueFlagged = DomainEvent<
  'IssueFlagged',
  {
    readonly proposalId: string;
    readonly flagId: string;
    readonly category: IssueCategory;
    readonly source: FlagSource;
    readonly description?: string;
    readonly detection?: FlagDetection;
    readonly flaggedBy: string;
    readonly flaggedAt: string;
  }
>;
export type SupportProvided = DomainEvent<
  'SupportProvided',
  {
    readonly proposalId: string;
    readonly supportId: string;
    readonly kind: SupportKind;
    readonly description: string;
    readonly amount?: number;
    readonly resolvedFlagIds: readonly string[];
    readonly providedBy: string;
    readonly providedAt: string;
  }
>;
export type PilotAdjusted = DomainEvent<
  'PilotAdjusted',
  {
    readonly proposalId: string;
    readonly adjustmentId: string;
    readonly reasons: readonly string[];
    readonly changes: PilotChanges;
    readonly resolvedFlagIds: readonly string[];
    readonly adjustedBy: string;
    readonly adjustedAt: string;
  }
>;
export type PilotSuspended = DomainEvent<
  'PilotSuspended',
  { readonly proposalId: string; readonly reasons: readonly string[]; readonly suspendedBy: string; readonly suspendedAt: string }
>;
export type PilotResumed = DomainEvent<
  'PilotResumed',
  { readonly proposalId: string; readonly reasons: readonly string[]; readonly resumedBy: string; readonly resumedAt: string }
>;
export type PilotTerminated = DomainEvent<
  'PilotTerminated',
  PilotEnd & { readonly reasons: readonly string[]; readonly terminatedBy: string }
>;
export type PilotCompleted = DomainEvent<'PilotCompleted', PilotEnd & { readonly completedBy: string }>;

export type PilotEvent =
  | PilotPlanned
  | PilotStarted
  | ProgressReported
  | SupervisionCheckRecorded
  | IssueFlagged
  | SupportProvided
  | PilotAdjusted
  | PilotSuspended
  | PilotResumed
  | PilotTerminated
  | PilotCompleted;

export type PilotEventType = PilotEvent['type'];

// ---- Published JSON Schemas (the contract other agencies read) ----

const id = { type: 'string', minLength: 1, maxLength: 100 };
const ids = { type: 'array', maxItems: 200, uniqueItems: true, items: id };
// Text must say something: a blank reason or finding is no record at all.
const name = { type: 'string', minLength: 1, maxLength: 300, pattern: '\\S' };
const text = { type: 'string', minLength: 1, maxLength: 4000, pattern: '\\S' };
const longText = { type: 'string', minLength: 1, maxLength: 20000, pattern: '\\S' };
const reasons = { type: 'array', minItems: 1, maxItems: 20, items: text };
const amount = { type: 'number', minimum: 0 };
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' };
const tolerance = { type: 'number', minimum: 0, maximum: 1 };
const direction = { type: 'string', enum: ['at-least', 'at-most'] };
const pilotKind = { type: 'string', enum: ['pilot', 'implementation'] };

const kpiSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'unit', 'target', 'direction'],
  properties: { id, name, unit: { type: 'string', minLength: 1, maxLength: 50 }, target: { type: 'number' }, direction },
};
const milestoneSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'dueDate'],
  properties: { id, name, dueDate: date },
};
const resourceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'description'],
  properties: { kind: { type: 'string', enum: ['funding', 'people', 'equipment', 'other'] }, description: text, amount },
};
const changesSchema = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    startDate: date,
    endDate: date,
    kpiTargets: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kpiId', 'target'],
        properties: { kpiId: id, target: { type: 'number' } },
      },
    },
    milestoneDueDates: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['milestoneId', 'dueDate'],
        properties: { milestoneId: id, dueDate: date },
      },
    },
    addedMilestones: { type: 'array', maxItems: 100, items: milestoneSchema },
  },
};
const detectionSchema = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'kpiId', 'value', 'target', 'direction', 'tolerance'],
      properties: {
        kind: { type: 'string', const: 'kpi-off-target' },
        kpiId: id,
        value: { type: 'number' },
        target: { type: 'number' },
        direction,
        tolerance,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'milestoneId', 'dueDate'],
      properties: { kind: { type: 'string', const: 'milestone-overdue' }, milestoneId: id, dueDate: date },
    },
  ],
};

const peopleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['proposerId', 'coProposerIds', 'implementerIds', 'approvingHeadId'],
  properties: {
    proposerId: id,
    coProposerIds: { ...ids, maxItems: 50 },
    implementerIds: { ...ids, maxItems: 50 },
    approvingHeadId: { oneOf: [id, { type: 'null' }] },
  },
};

const OLD_LEGAL_BASIS = DEFAULT_LEGAL_BASIS['all-staff'];

/**
 * Version 1 named only the proposer: nobody else was known to share the protection; and no legal
 * basis, when every instance covered all staff under Conclusion 14 (the default of @dotpha/org).
 */
const withPeople = (data: { proposerId: string }) => ({
  ...data,
  people: { proposerId: data.proposerId, coProposerIds: [], implementerIds: [], approvingHeadId: null },
  legalBasis: OLD_LEGAL_BASIS,
});
const legalBasis = { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' };

const pilotEndProperties = {
  proposalId: id,
  proposerId: id,
  proposerUnitId: id,
  kind: pilotKind,
  supervisorId: id,
  endedAt: instant,
  kpiTolerance: tolerance,
  kpiResults: {
    type: 'array',
    maxItems: 50,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'target', 'direction', 'latest', 'onTarget'],
      properties: {
        id,
        target: { type: 'number' },
        direction,
        latest: { oneOf: [{ type: 'number' }, { type: 'null' }] },
        onTarget: { type: 'boolean' },
      },
    },
  },
  milestones: {
    type: 'array',
    maxItems: 200,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'dueDate', 'metAt'],
      properties: { id, dueDate: date, metAt: { oneOf: [date, { type: 'null' }] } },
    },
  },
  flags: { type: 'integer', minimum: 0 },
  openFlags: { type: 'integer', minimum: 0 },
  people: peopleSchema,
  legalBasis,
};
const pilotEndRequired = Object.keys(pilotEndProperties);

export const PilotPlannedDefinition = defineEvent({
  type: 'PilotPlanned',
  // 2: people (D73-10b), legalBasis (D73-2).
  version: 2,
  upcasters: { 1: withPeople },
  context: 'monitoring',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [
      'proposalId', 'proposerId', 'proposerUnitId', 'kind', 'scope', 'startDate', 'endDate',
      'kpis', 'milestones', 'resources', 'supervisorId', 'people', 'legalBasis', 'plannedAt',
    ],
    properties: {
      proposalId: id,
      proposerId: id,
      proposerUnitId: id,
      kind: pilotKind,
      scope: text,
      startDate: date,
      endDate: date,
      kpis: { type: 'array', maxItems: 50, items: kpiSchema },
      milestones: { type: 'array', maxItems: 100, items: milestoneSchema },
      resources: { type: 'array', maxItems: 50, items: resourceSchema },
      supervisorId: id,
      people: peopleSchema,
      legalBasis,
      plannedAt: instant,
    },
  },
});

export const PilotStartedDefinition = defineEvent({
  type: 'PilotStarted',
  version: 1,
  context: 'monitoring',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'startedBy', 'startedAt'],
    properties: { proposalId: id, startedBy: id, startedAt: instant },
  },
});

export const ProgressReportedDefinition = defineEvent({
  type: 'ProgressReported',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'reportId', 'reportedBy', 'kpiValues', 'milestonesMet', 'narrative', 'reportedAt'],
    properties: {
      proposalId: id,
      reportId: id,
      reportedBy: id,
      kpiValues: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['kpiId', 'value'],
          properties: { kpiId: id, value: { type: 'number' } },
        },
      },
      milestonesMet: {
        type: 'array',
        maxItems: 100,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['milestoneId', 'metOn'],
          properties: { milestoneId: id, metOn: date },
        },
      },
      narrative: longText,
      reportedAt: instant,
    },
  },
});

export const SupervisionCheckRecordedDefinition = defineEvent({
  type: 'SupervisionCheckRecorded',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  // A supervisor's findings judge how the cadre is carrying the pilot out.
  restricted: ['findings'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'checkId', 'checkedBy', 'findings', 'resolvedFlagIds', 'checkedAt'],
    properties: { proposalId: id, checkId: id, checkedBy: id, findings: longText, resolvedFlagIds: ids, checkedAt: instant },
  },
});

export const IssueFlaggedDefinition = defineEvent({
  type: 'IssueFlagged',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  // A flagged violation describes someone's conduct.
  restricted: ['description'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'flagId', 'category', 'source', 'flaggedBy', 'flaggedAt'],
    properties: {
      proposalId: id,
      flagId: { type: 'string', minLength: 1, maxLength: 250 },
      category: { type: 'string', enum: ['risk', 'damage', 'violation'] },
      source: { type: 'string', enum: ['automatic', 'supervisor'] },
      description: text,
      detection: detectionSchema,
      flaggedBy: id,
      flaggedAt: instant,
    },
  },
});

export const SupportProvidedDefinition = defineEvent({
  type: 'SupportProvided',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'supportId', 'kind', 'description', 'resolvedFlagIds', 'providedBy', 'providedAt'],
    properties: {
      proposalId: id,
      supportId: id,
      kind: { type: 'string', enum: ['funding', 'people', 'equipment', 'guidance', 'other'] },
      description: text,
      amount,
      resolvedFlagIds: ids,
      providedBy: id,
      providedAt: instant,
    },
  },
});

export const PilotAdjustedDefinition = defineEvent({
  type: 'PilotAdjusted',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'adjustmentId', 'reasons', 'changes', 'resolvedFlagIds', 'adjustedBy', 'adjustedAt'],
    properties: {
      proposalId: id,
      adjustmentId: id,
      reasons,
      changes: changesSchema,
      resolvedFlagIds: ids,
      adjustedBy: id,
      adjustedAt: instant,
    },
  },
});

export const PilotSuspendedDefinition = defineEvent({
  type: 'PilotSuspended',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'reasons', 'suspendedBy', 'suspendedAt'],
    properties: { proposalId: id, reasons, suspendedBy: id, suspendedAt: instant },
  },
});

export const PilotResumedDefinition = defineEvent({
  type: 'PilotResumed',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['proposalId', 'reasons', 'resumedBy', 'resumedAt'],
    properties: { proposalId: id, reasons, resumedBy: id, resumedAt: instant },
  },
});

export const PilotTerminatedDefinition = defineEvent({
  type: 'PilotTerminated',
  // 2: people (D73-10b), legalBasis (D73-2).
  version: 2,
  upcasters: { 1: withPeople },
  context: 'monitoring',
  classification: 'public',
  // Why a pilot was stopped often amounts to a judgement of the person running it.
  restricted: ['reasons'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...pilotEndRequired, 'reasons', 'terminatedBy'],
    properties: { ...pilotEndProperties, reasons, terminatedBy: id },
  },
});

export const PilotCompletedDefinition = defineEvent({
  type: 'PilotCompleted',
  // 2: people (D73-10b), legalBasis (D73-2).
  version: 2,
  upcasters: { 1: withPeople },
  context: 'monitoring',
  classification: 'public',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: [...pilotEndRequired, 'completedBy'],
    properties: { ...pilotEndProperties, completedBy: id },
  },
});

export const monitoringEventDefinitions = [
  PilotPlannedDefinition,
  PilotStartedDefinition,
  ProgressReportedDefinition,
  SupervisionCheckRecordedDefinition,
  IssueFlaggedDefinition,
  SupportProvidedDefinition,
  PilotAdjustedDefinition,
  PilotSuspendedDefinition,
  PilotResumedDefinition,
  PilotTerminatedDefinition,
  PilotCompletedDefinition,
] as const;
