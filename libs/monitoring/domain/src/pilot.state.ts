import { assertNever } from '@dotpha/kernel';
import type { IssueCategory, Kpi, Milestone, PilotChanges } from './commands';
import type { FlagDetection, FlagSource, PilotEvent } from './events';

export type PilotStatus = 'planned' | 'running' | 'suspended' | 'completed' | 'terminated';

export interface TrackedKpi extends Kpi {
  readonly latest: number | null;
  readonly latestAt: string | null;
}

export interface TrackedMilestone extends Milestone {
  readonly metOn: string | null;
}

export interface TrackedFlag {
  readonly flagId: string;
  readonly category: IssueCategory;
  readonly source: FlagSource;
  readonly detection: FlagDetection | null;
  readonly flaggedAt: string;
  readonly open: boolean;
}

/** The plan as PilotPlanned fixed it, with what was reported and flagged since. */
export interface Pilot extends Omit<PilotEvent<'PilotPlanned'>['data'], 'kpis' | 'milestones' | 'plannedAt'> {
  readonly kpis: readonly TrackedKpi[];
  readonly milestones: readonly TrackedMilestone[];
  readonly flags: readonly TrackedFlag[];
  /** Reports, checks, support and adjustments already recorded, so a retried command is a no-op. */
  readonly handled: readonly string[];
}

export type PilotState = { readonly status: 'none' } | { readonly status: PilotStatus; readonly pilot: Pilot };

export const initialPilotState = (): PilotState => ({ status: 'none' });

export function evolvePilot(state: PilotState, event: PilotEvent): PilotState {
  switch (event.type) {
    case 'PilotPlanned': {
      const { plannedAt: _, kpis, milestones, ...rest } = event.data;
      return {
        status: 'planned',
        pilot: {
          ...rest,
          kpis: kpis.map((k) => ({ ...k, latest: null, latestAt: null })),
          milestones: milestones.map((m) => ({ ...m, metOn: null })),
          flags: [],
          handled: [],
        },
      };
    }
    case 'PilotStarted':
      return update(state, (p) => p, 'running');
    case 'ProgressReported': {
      const { kpiValues, milestonesMet, reportedAt, reportId } = event.data;
      return update(state, (p) => ({
        ...p,
        kpis: p.kpis.map((k) => {
          const reported = kpiValues.find((v) => v.kpiId === k.id);
          return reported ? { ...k, latest: reported.value, latestAt: reportedAt } : k;
        }),
        milestones: p.milestones.map((m) => {
          const met = milestonesMet.find((x) => x.milestoneId === m.id);
          return met ? { ...m, metOn: met.metOn } : m;
        }),
        handled: [...p.handled, `report:${reportId}`],
      }));
    }
    case 'SupervisionCheckRecorded':
      return update(state, (p) => resolve(handled(p, `check:${event.data.checkId}`), event.data.resolvedFlagIds));
    case 'IssueFlagged': {
      const { flagId, category, source, detection, flaggedAt } = event.data;
      return update(state, (p) => ({
        ...p,
        flags: [...p.flags, { flagId, category, source, detection: detection ?? null, flaggedAt, open: true }],
      }));
    }
    case 'SupportProvided':
      return update(state, (p) => resolve(handled(p, `support:${event.data.supportId}`), event.data.resolvedFlagIds));
    case 'PilotAdjusted':
      return update(state, (p) =>
        resolve(handled(applyChanges(p, event.data.changes), `adjustment:${event.data.adjustmentId}`), event.data.resolvedFlagIds),
      );
    case 'PilotSuspended':
      return update(state, (p) => p, 'suspended');
    case 'PilotResumed':
      return update(state, (p) => p, 'running');
    case 'PilotTerminated':
      return update(state, (p) => p, 'terminated');
    case 'PilotCompleted':
      return update(state, (p) => p, 'completed');
    default:
      return assertNever(event, 'pilot event');
  }
}

function update(state: PilotState, change: (pilot: Pilot) => Pilot, status?: PilotStatus): PilotState {
  if (state.status === 'none') return state;
  return { status: status ?? state.status, pilot: change(state.pilot) };
}

function handled(pilot: Pilot, key: string): Pilot {
  return { ...pilot, handled: [...pilot.handled, key] };
}

function resolve(pilot: Pilot, flagIds: readonly string[]): Pilot {
  if (flagIds.length === 0) return pilot;
  return { ...pilot, flags: pilot.flags.map((f) => (flagIds.includes(f.flagId) ? { ...f, open: false } : f)) };
}

function applyChanges(pilot: Pilot, changes: PilotChanges): Pilot {
  const targets = changes.kpiTargets ?? [];
  const dues = changes.milestoneDueDates ?? [];
  return {
    ...pilot,
    startDate: changes.startDate ?? pilot.startDate,
    endDate: changes.endDate ?? pilot.endDate,
    kpis: pilot.kpis.map((k) => {
      const changed = targets.find((t) => t.kpiId === k.id);
      return changed ? { ...k, target: changed.target } : k;
    }),
    milestones: [
      ...pilot.milestones.map((m) => {
        const changed = dues.find((d) => d.milestoneId === m.id);
        return changed ? { ...m, dueDate: changed.dueDate } : m;
      }),
      ...(changes.addedMilestones ?? []).map((m) => ({ ...m, metOn: null })),
    ],
  };
}
