import type { Command } from '@dotpha/kernel';

export type PilotKind = 'pilot' | 'implementation';
export type KpiDirection = 'at-least' | 'at-most';
export type ResourceKind = 'funding' | 'people' | 'equipment' | 'other';
export type IssueCategory = 'risk' | 'damage' | 'violation';
export type SupportKind = 'funding' | 'people' | 'equipment' | 'guidance' | 'other';

export interface Kpi {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly target: number;
  readonly direction: KpiDirection;
}

/** `dueDate` is a calendar date (YYYY-MM-DD) in the instance's local time. */
export interface Milestone {
  readonly id: string;
  readonly name: string;
  readonly dueDate: string;
}

export interface Resource {
  readonly kind: ResourceKind;
  readonly description: string;
  readonly amount?: number;
}

/** The plan fixed by `ProposalApproved` (approvals). */
export interface PilotPlan {
  readonly scope: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly kpis: readonly Kpi[];
  readonly milestones: readonly Milestone[];
  readonly resources: readonly Resource[];
  readonly supervisorId: string;
}

export interface PilotChanges {
  readonly startDate?: string;
  readonly endDate?: string;
  readonly kpiTargets?: readonly { readonly kpiId: string; readonly target: number }[];
  readonly milestoneDueDates?: readonly { readonly milestoneId: string; readonly dueDate: string }[];
  readonly addedMilestones?: readonly Milestone[];
}

/**
 * D73-10b: whom the protection and recognition of the pilot reach (the shape the proposals
 * context records on the approval): proposer, co-proposers, implementers named on the plan,
 * the approving head (null only on pilots planned before it was recorded).
 */
export interface PilotPeople {
  readonly proposerId: string;
  readonly coProposerIds: readonly string[];
  readonly implementerIds: readonly string[];
  readonly approvingHeadId: string | null;
}

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
    readonly kpiValues: readonly { readonly kpiId: string; readonly value: number }[];
    readonly milestonesMet: readonly { readonly milestoneId: string; readonly metOn: string }[];
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
