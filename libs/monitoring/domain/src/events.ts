import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { type EventsOf, type PayloadOf, Type, closedObject, defineEvents, definitionsOf, id, idOf, instant, money, stringEnum } from '@dotpha/kernel';
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

export type { FlagDetection, FlagSource, KpiResult, MilestoneResult } from './schema';

// ---- Payloads: the published JSON Schemas, types derived from the table below ----

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

type Pilot = EventsOf<typeof monitoringEvents>;
/** Each event of the table: `PilotEvent` is any of them, `PilotEvent<'PilotPlanned'>` one. */
export type PilotEvent<T extends keyof Pilot = keyof Pilot> = Pilot[T];

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

/*
 * The monitoring context's events: for each, its version, classification, restricted fields and
 * the payload's published JSON Schema.
 */
export const monitoringEvents = defineEvents('monitoring', {
  // 2: people (D73-10b), legalBasis (D73-2).
  PilotPlanned: { version: 2, upcasters: { 1: withPeople }, classification: 'public', schema: pilotPlanned },
  PilotStarted: { version: 1, classification: 'public', schema: pilotStarted },
  ProgressReported: { version: 1, classification: 'internal', schema: progressReported },
  // A supervisor's findings judge how the cadre is carrying the pilot out.
  SupervisionCheckRecorded: { version: 1, classification: 'internal', restricted: ['findings'], schema: supervisionCheckRecorded },
  // A flagged violation describes someone's conduct.
  IssueFlagged: { version: 1, classification: 'internal', restricted: ['description'], schema: issueFlagged },
  SupportProvided: { version: 1, classification: 'internal', schema: supportProvided },
  PilotAdjusted: { version: 1, classification: 'internal', schema: pilotAdjusted },
  PilotSuspended: { version: 1, classification: 'internal', schema: pilotSuspended },
  PilotResumed: { version: 1, classification: 'internal', schema: pilotResumed },
  // 2: people (D73-10b), legalBasis (D73-2). Why a pilot was stopped often amounts to a judgement of the person running it.
  PilotTerminated: { version: 2, upcasters: { 1: withPeople }, classification: 'public', restricted: ['reasons'], schema: pilotTerminated },
  // 2: people (D73-10b), legalBasis (D73-2).
  PilotCompleted: { version: 2, upcasters: { 1: withPeople }, classification: 'public', schema: pilotCompleted },
});
export const monitoringEventDefinitions = definitionsOf(monitoringEvents);

