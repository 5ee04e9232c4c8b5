import type { Command, FieldsOf, People as PilotPeople } from '@dotpha/kernel';
import type { PilotEvent } from './events';
import type { PilotKind, PilotPlan } from './schema';

/** The shapes are the published schemas' (./schema.ts); only the commands are written here. */
export type { Kpi, KpiDirection, Milestone, Resource, ResourceKind } from '@dotpha/kernel';
export type { IssueCategory, PilotChanges, PilotKind, PilotPlan, SupportKind } from './schema';
/** D73-10b: whom the protection and recognition of the pilot reach (`people` on the pilot's events). */
export type { PilotPeople };

export type PlanPilot = Command<
  'PlanPilot',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly kind: PilotKind;
    readonly plan: PilotPlan;
    readonly people: PilotPeople;
    /** D73-2: the legal basis the approval was taken under, named on the pilot's records. */
    readonly legalBasis: string;
  }
>;

export type StartPilot = Command<'StartPilot', { readonly proposalId: string }>;

/** A command's fields are its event's where they are the same (one source: the published schema). */
type Of<E extends { readonly data: object }, K extends keyof E['data']> = FieldsOf<E, K>;
/** Flags the step deals with, closed by it. */
type Resolves = { readonly resolvesFlagIds?: readonly string[] };
/** Instance policy: how far (a fraction of the target) a KPI may trail before it is flagged. */
type Tolerance = { readonly kpiTolerance: number };

/** `reportId` also seeds the ids of the flags the report raises, so a retried report changes nothing. */
export type ReportProgress = Command<
  'ReportProgress',
  Of<PilotEvent<'ProgressReported'>, 'proposalId' | 'reportId' | 'kpiValues' | 'milestonesMet' | 'narrative'> & Tolerance
>;
export type RecordCheck = Command<'RecordCheck', Of<PilotEvent<'SupervisionCheckRecorded'>, 'proposalId' | 'checkId' | 'findings'> & Resolves>;
/** A supervisor's flag always says what is wrong (an automatic one may not). */
export type FlagIssue = Command<'FlagIssue', Of<PilotEvent<'IssueFlagged'>, 'proposalId' | 'flagId' | 'category'> & { readonly description: string }>;
export type ProvideSupport = Command<
  'ProvideSupport',
  Of<PilotEvent<'SupportProvided'>, 'proposalId' | 'supportId' | 'kind' | 'description' | 'amount'> & Resolves
>;
export type AdjustPilot = Command<'AdjustPilot', Of<PilotEvent<'PilotAdjusted'>, 'proposalId' | 'adjustmentId' | 'reasons' | 'changes'> & Resolves>;
export type SuspendPilot = Command<'SuspendPilot', Of<PilotEvent<'PilotSuspended'>, 'proposalId' | 'reasons'>>;
export type ResumePilot = Command<'ResumePilot', Of<PilotEvent<'PilotResumed'>, 'proposalId' | 'reasons'>>;
export type TerminatePilot = Command<'TerminatePilot', Of<PilotEvent<'PilotTerminated'>, 'proposalId' | 'reasons'> & Tolerance>;
export type CompletePilot = Command<'CompletePilot', Of<PilotEvent<'PilotCompleted'>, 'proposalId'> & Tolerance>;

export type PilotCommand =
  | PlanPilot
  | StartPilot
  | ReportProgress
  | RecordCheck
  | FlagIssue
  | ProvideSupport
  | AdjustPilot
  | SuspendPilot
  | ResumePilot
  | TerminatePilot
  | CompletePilot;

export type PilotCommandType = PilotCommand['type'];
