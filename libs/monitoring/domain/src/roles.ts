import type { PilotCommandType } from './commands';

/** The roles of DOMAIN.md §2 that act in monitoring. */
export type MonitoringRole = 'proposer' | 'supervisor' | 'authority' | 'unit-head' | 'collective';

/**
 * Who may issue each command; the application enforces it. PlanPilot is issued when
 * ProposalApproved arrives and runs as whoever approved.
 */
export const commandRoles: Readonly<Record<PilotCommandType, readonly MonitoringRole[]>> = {
  PlanPilot: ['authority', 'unit-head', 'collective'],
  StartPilot: ['proposer', 'supervisor'],
  ReportProgress: ['proposer'],
  RecordCheck: ['supervisor'],
  FlagIssue: ['supervisor'],
  // C14-2.3f: leaders, not only the supervisor, back a pilot with resources.
  ProvideSupport: ['supervisor', 'unit-head', 'collective', 'authority'],
  AdjustPilot: ['supervisor', 'authority'],
  SuspendPilot: ['supervisor', 'authority'],
  ResumePilot: ['supervisor', 'authority'],
  TerminatePilot: ['supervisor', 'authority'],
  CompletePilot: ['supervisor'],
};
