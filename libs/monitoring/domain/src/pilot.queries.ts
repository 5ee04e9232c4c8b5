import type { FlagDetection } from './events';
import type { PilotState, TrackedFlag, TrackedKpi, TrackedMilestone } from './pilot.state';
import { type KpiStatus, kpiStatus, localDate } from './progress';

/** Read-model helpers over a folded pilot (`fold(pilotDecider, events)`): the same rules the decider applies. */

export interface KpiView extends TrackedKpi {
  readonly status: KpiStatus;
}

export function kpiStatuses(state: PilotState, tolerance: number): readonly KpiView[] {
  if (state.status === 'none') return [];
  return state.pilot.kpis.map((k) => ({ ...k, status: kpiStatus(k, k.latest, tolerance) }));
}

/** Flags not yet resolved by a check, support or adjustment. */
export function openFlags(state: PilotState): readonly TrackedFlag[] {
  return state.status === 'none' ? [] : state.pilot.flags.filter((f) => f.open);
}

export function overdueMilestones(state: PilotState, now: Date): readonly TrackedMilestone[] {
  if (state.status === 'none') return [];
  const today = localDate(now);
  return state.pilot.milestones.filter((m) => m.metOn === null && m.dueDate < today);
}

/** What an automatic flag is about; one open flag per subject. */
export function flagSubject(detection: FlagDetection): string {
  return detection.kind === 'kpi-off-target' ? `kpi:${detection.kpiId}` : `milestone:${detection.milestoneId}`;
}
