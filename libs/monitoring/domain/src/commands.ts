import type { Command, People as PilotPeople } from '@dotpha/kernel';
import type { IssueCategory, KpiValue, MilestoneMet, PilotChanges, PilotKind, PilotPlan, SupportKind } from './schema';

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

export type ReportProgress = Command<
  'ReportProgress',
  {
    readonly proposalId: string;
    /** Also seeds the ids of the flags the report raises, so a retried report changes nothing. */
    readonly reportId: string;
    readonly kpiValues: readonly KpiValue[];
    readonly milestonesMet: readonly MilestoneMet[];
    readonly narrative: string;
    /** Instance policy: how far (a fraction of the target) a KPI may trail before it is flagged. */
    readonly kpiTolerance: number;
  }
>;

export type RecordCheck = Command<
  'RecordCheck',
  {
    readonly proposalId: string;
    readonly checkId: string;
    readonly findings: string;
    readonly resolvesFlagIds?: readonly string[];
  }
>;

export type FlagIssue = Command<
  'FlagIssue',
  {
    readonly proposalId: string;
    readonly flagId: string;
    readonly category: IssueCategory;
    readonly description: string;
  }
>;

export type ProvideSupport = Command<
  'ProvideSupport',
  {
    readonly proposalId: string;
    readonly supportId: string;
    readonly kind: SupportKind;
    readonly description: string;
    readonly amount?: number;
    readonly resolvesFlagIds?: readonly string[];
  }
>;

export type AdjustPilot = Command<
  'AdjustPilot',
  {
    readonly proposalId: string;
    readonly adjustmentId: string;
    readonly reasons: readonly string[];
    readonly changes: PilotChanges;
    readonly resolvesFlagIds?: readonly string[];
  }
>;

export type SuspendPilot = Command<'SuspendPilot', { readonly proposalId: string; readonly reasons: readonly string[] }>;
export type ResumePilot = Command<'ResumePilot', { readonly proposalId: string; readonly reasons: readonly string[] }>;

export type TerminatePilot = Command<
  'TerminatePilot',
  { readonly proposalId: string; readonly reasons: readonly string[]; readonly kpiTolerance: number }
>;

export type CompletePilot = Command<'CompletePilot', { readonly proposalId: string; readonly kpiTolerance: number }>;

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
