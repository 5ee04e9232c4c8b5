import type { Pilot, PilotKind, PilotStatus, PilotEvent } from '@dotpha/monitoring-domain';

export type LastReport = Omit<PilotEvent<'ProgressReported'>['data'], 'proposalId'>;

/**
 * A pilot as its proposer, supervisor and leaders follow it. The folded `pilot` is kept whole so
 * the query side judges KPIs and milestones with the policy and clock of the moment it is asked.
 */
export interface PilotRecord {
  readonly proposalId: string;
  readonly kind: PilotKind;
  readonly status: PilotStatus;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly supervisorId: string;
  readonly pilot: Pilot;
  /** The domain state keeps no free text; a supervisor's flag is shown with what they wrote. */
  readonly flagDescriptions: Readonly<Record<string, string>>;
  readonly lastReport: LastReport | null;
  readonly plannedAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly lastChangedAt: string;
}

export const PILOTS_COLLECTION = 'pilots';
