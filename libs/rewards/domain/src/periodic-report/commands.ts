import type { Command } from '@dotpha/kernel';

/** A reporting period (C14-2.5d): a half-year, a year or any range of local dates, both ends included. */
export interface ReportPeriod {
  /** 'H1-2026', 'H2-2026', '2026' or '2026-01-01..2026-03-31'. */
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

/** The figures a sent report states, as the sender saw them (C14-2.5a, C14-2.5d, HN24-shirk, D73-6). */
export interface ReportFigures {
  readonly submitted: number;
  readonly approvedForImplementation: number;
  readonly approvedForPilot: number;
  readonly rejected: number;
  readonly pilotsCompleted: number;
  readonly pilotsTerminated: number;
  readonly outcomesAchieved: number;
  readonly outcomesPartiallyAchieved: number;
  readonly outcomesNotAchieved: number;
  readonly liabilityDecisions: number;
  readonly recognitionsGranted: number;
  readonly replications: number;
  readonly institutionalizations: number;
  readonly overdueSteps: number;
  readonly prohibitedActReports: number;
}

/** Who a report goes up to, from the organisation chart. */
export interface ReportRecipients {
  /** The superior party committee: its unit and the secretary who heads it. */
  readonly partyCommittee: { readonly unitId: string; readonly headId: string } | null;
  /** The organisation office: the users who hold the role. */
  readonly organizationOfficeIds: readonly string[];
}

export type SendPeriodicReport = Command<
  'SendPeriodicReport',
  {
    readonly unitId: string;
    readonly period: ReportPeriod;
    readonly field: string | null;
    readonly recipients: ReportRecipients;
    readonly figures: ReportFigures;
  }
>;

export type PeriodicReportCommand = SendPeriodicReport;
export type PeriodicReportCommandType = PeriodicReportCommand['type'];
