import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { type DomainEvent, type Payload, type PayloadOf, Type, closedObject, defineEvent, id, idOf, instant, money, stringEnum } from '@dotpha/kernel';
import {
  FLAG_SOURCES,
  ISSUE_CATEGORIES,
  SUPPORT_KINDS,
  detection,
  changes,
  kpiValue,
  legalBasis,
  longText,
  milestoneMet,
  people,
  pilotEndProperties,
  pilotKind,
  planProperties,
  reasons,
  resolvedFlagIds,
  text,
} from './schema';

export type { FlagDetection, FlagSource, KpiResult, MilestoneResult } from './schema';

// ---- Payloads: the published JSON Schemas (the contract other agencies read), types derived ----

/** The hand-off the evaluation context relies on (docs/domain-conventions.md). */
export type PilotEnd = PayloadOf<typeof pilotEndProperties>;

const pilotPlanned = closedObject({
  proposalId: id,
  proposerId: id,
  proposerUnitId: id,
  kind: pilotKind,
  ...planProperties,
  people,
  legalBasis,
  plannedAt: instant,
});
const pilotStarted = closedObject({ proposalId: id, startedBy: id, startedAt: instant });
const progressReported = closedObject({
  proposalId: id,
  reportId: id,
  reportedBy: id,
  kpiValues: Type.Array(kpiValue, { maxItems: 50 }),
  milestonesMet: Type.Array(milestoneMet, { maxItems: 100 }),
  narrative: longText,
  reportedAt: instant,
});
const supervisionCheckRecorded = closedObject({
  proposalId: id,
  checkId: id,
  checkedBy: id,
  findings: longText,
  resolvedFlagIds,
  checkedAt: instant,
});
const issueFlagged = closedObject({
  proposalId: id,
  flagId: idOf(250),
  category: stringEnum(ISSUE_CATEGORIES),
  source: stringEnum(FLAG_SOURCES),
  description: Type.Optional(text),
  detection: Type.Optional(detection),
  flaggedBy: id,
  flaggedAt: instant,
});
const supportProvided = closedObject({
  proposalId: id,
  supportId: id,
  kind: stringEnum(SUPPORT_KINDS),
  description: text,
  amount: Type.Optional(money),
  resolvedFlagIds,
  providedBy: id,
  providedAt: instant,
});
const pilotAdjusted = closedObject({
  proposalId: id,
  adjustmentId: id,
  reasons,
  changes,
  resolvedFlagIds,
  adjustedBy: id,
  adjustedAt: instant,
});
const pilotSuspended = closedObject({ proposalId: id, reasons, suspendedBy: id, suspendedAt: instant });
const pilotResumed = closedObject({ proposalId: id, reasons, resumedBy: id, resumedAt: instant });
const pilotTerminated = closedObject({ ...pilotEndProperties, reasons, terminatedBy: id });
const pilotCompleted = closedObject({ ...pilotEndProperties, completedBy: id });

export type PilotPlanned = DomainEvent<'PilotPlanned', Payload<typeof pilotPlanned>>;
export type PilotStarted = DomainEvent<'PilotStarted', Payload<typeof pilotStarted>>;
export type ProgressReported = DomainEvent<'ProgressReported', Payload<typeof progressReported>>;
export type SupervisionCheckRecorded = DomainEvent<'SupervisionCheckRecorded', Payload<typeof supervisionCheckRecorded>>;
export type IssueFlagged = DomainEvent<'IssueFlagged', Payload<typeof issueFlagged>>;
export type SupportProvided = DomainEvent<'SupportProvided', Payload<typeof supportProvided>>;
export type PilotAdjusted = DomainEvent<'PilotAdjusted', Payload<typeof pilotAdjusted>>;
export type PilotSuspended = DomainEvent<'PilotSuspended', Payload<typeof pilotSuspended>>;
export type PilotResumed = DomainEvent<'PilotResumed', Payload<typeof pilotResumed>>;
export type PilotTerminated = DomainEvent<'PilotTerminated', Payload<typeof pilotTerminated>>;
export type PilotCompleted = DomainEvent<'PilotCompleted', Payload<typeof pilotCompleted>>;

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

export const PilotPlannedDefinition = defineEvent({
  type: 'PilotPlanned',
  // 2: people (D73-10b), legalBasis (D73-2).
  version: 2,
  upcasters: { 1: withPeople },
  context: 'monitoring',
  classification: 'public',
  schema: pilotPlanned,
});

export const PilotStartedDefinition = defineEvent({
  type: 'PilotStarted',
  version: 1,
  context: 'monitoring',
  classification: 'public',
  schema: pilotStarted,
});

export const ProgressReportedDefinition = defineEvent({
  type: 'ProgressReported',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: progressReported,
});

export const SupervisionCheckRecordedDefinition = defineEvent({
  type: 'SupervisionCheckRecorded',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  // A supervisor's findings judge how the cadre is carrying the pilot out.
  restricted: ['findings'],
  schema: supervisionCheckRecorded,
});

export const IssueFlaggedDefinition = defineEvent({
  type: 'IssueFlagged',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  // A flagged violation describes someone's conduct.
  restricted: ['description'],
  schema: issueFlagged,
});

export const SupportProvidedDefinition = defineEvent({
  type: 'SupportProvided',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: supportProvided,
});

export const PilotAdjustedDefinition = defineEvent({
  type: 'PilotAdjusted',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: pilotAdjusted,
});

export const PilotSuspendedDefinition = defineEvent({
  type: 'PilotSuspended',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: pilotSuspended,
});

export const PilotResumedDefinition = defineEvent({
  type: 'PilotResumed',
  version: 1,
  context: 'monitoring',
  classification: 'internal',
  schema: pilotResumed,
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
  schema: pilotTerminated,
});

export const PilotCompletedDefinition = defineEvent({
  type: 'PilotCompleted',
  // 2: people (D73-10b), legalBasis (D73-2).
  version: 2,
  upcasters: { 1: withPeople },
  context: 'monitoring',
  classification: 'public',
  schema: pilotCompleted,
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
