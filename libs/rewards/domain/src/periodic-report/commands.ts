import type { Command } from '@dotpha/kernel';
import type { ReportFigures, ReportPeriod, ReportRecipients } from '../schema';

/** The shapes are the published schema's (../schema.ts); only the command is written here. */
export type { ReportFigures, ReportPeriod, ReportRecipients } from '../schema';

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
