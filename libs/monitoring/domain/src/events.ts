import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { type EventOf, type PayloadOf, Type, closedObject, eventDefiner, id, idOf, instant, money, stringEnum } from '@dotpha/kernel';
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
  pilotSubjectProperties,
  planProperties,
  reasons,
  resolvedFlagIds,
  text,
} from './schema';

const monitoringEvent = eventDefiner('monitoring');

export type { FlagDetection, FlagSource, KpiResult, MilestoneResult } from './schema';

// ---- Payloads: the published JSON Schemas, types derived from the definitions below ----

/** The hand-off the evaluation context relies on (docs/domain-conventions.md). */
export type PilotEnd = PayloadOf<typeof pilotEndProperties>;

const pilotPlanned = closedObject({
  ...pilotSubjectProperties,
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

export type PilotEvent = EventOf<(typeof monitoringEventDefinitions)[number]>;

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

export const PilotPlannedDefinition = monitoringEvent('PilotPlanned', {
  // 2: people (D73-10b), legalBasis (D73-2).
  version: 2,
  upcasters: { 1: withPeople },
  classification: 'public',
  schema: pilotPlanned,
});
export type PilotPlanned = EventOf<typeof PilotPlannedDefinition>;

export const PilotStartedDefinition = monitoringEvent('PilotStarted', {
  version: 1,
  classification: 'public',
  schema: pilotStarted,
});
export type PilotStarted = EventOf<typeof PilotStartedDefinition>;

export const ProgressReportedDefinition = monitoringEvent('ProgressReported', {
  version: 1,
  classification: 'internal',
  schema: progressReported,
});
export type ProgressReported = EventOf<typeof ProgressReportedDefinition>;

export const SupervisionCheckRecordedDefinition = monitoringEvent('SupervisionCheckRecorded', {
  version: 1,
  classification: 'internal',
  // A supervisor's findings judge how the cadre is carrying the pilot out.
  restricted: ['findings'],
  schema: supervisionCheckRecorded,
});
export type SupervisionCheckRecorded = EventOf<typeof SupervisionCheckRecordedDefinition>;

export const IssueFlaggedDefinition = monitoringEvent('IssueFlagged', {
  version: 1,
  classification: 'internal',
  // A flagged violation describes someone's conduct.
  restricted: ['description'],
  schema: issueFlagged,
});
export type IssueFlagged = EventOf<typeof IssueFlaggedDefinition>;

export const SupportProvidedDefinition = monitoringEvent('SupportProvided', {
  version: 1,
  classification: 'internal',
  schema: supportProvided,
});
export type SupportProvided = EventOf<typeof SupportProvidedDefinition>;

export const PilotAdjustedDefinition = monitoringEvent('PilotAdjusted', {
  version: 1,
  classification: 'internal',
  schema: pilotAdjusted,
});
export type PilotAdjusted = EventOf<typeof PilotAdjustedDefinition>;

export const PilotSuspendedDefinition = monitoringEvent('PilotSuspended', {
  version: 1,
  classification: 'internal',
  schema: pilotSuspended,
});
export type PilotSuspended = EventOf<typeof PilotSuspendedDefinition>;

export const PilotResumedDefinition = monitoringEvent('PilotResumed', {
  version: 1,
  classification: 'internal',
  schema: pilotResumed,
});
export type PilotResumed = EventOf<typeof PilotResumedDefinition>;

export const PilotTerminatedDefinition = monitoringEvent('PilotTerminated', {
  // 2: people (D73-10b), legalBasis (D73-2).
  version: 2,
  upcasters: { 1: withPeople },
  classification: 'public',
  // Why a pilot was stopped often amounts to a judgement of the person running it.
  restricted: ['reasons'],
  schema: pilotTerminated,
});
export type PilotTerminated = EventOf<typeof PilotTerminatedDefinition>;

export const PilotCompletedDefinition = monitoringEvent('PilotCompleted', {
  // 2: people (D73-10b), legalBasis (D73-2).
  version: 2,
  upcasters: { 1: withPeople },
  classification: 'public',
  schema: pilotCompleted,
});
export type PilotCompleted = EventOf<typeof PilotCompletedDefinition>;

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
