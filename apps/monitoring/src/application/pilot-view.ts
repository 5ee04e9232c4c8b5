import { planParts } from '@dotpha/kernel';
import {
  type FlagDetection, type IssueCategory, type FlagSource, type KpiDirection, type KpiStatus, type PilotPeople, type PilotPlan, type PilotState,
  kpiStatuses, openFlags, overdueMilestones,
} from '@dotpha/monitoring-domain';
import type { PilotRecord } from './pilot-record';

export interface KpiView {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly target: number;
  readonly direction: KpiDirection;
  readonly latest: number | null;
  readonly latestAt: string | null;
  readonly status: KpiStatus;
}

export interface MilestoneView {
  readonly id: string;
  readonly name: string;
  readonly dueDate: string;
  readonly metOn: string | null;
  readonly overdue: boolean;
}

export interface FlagView {
  readonly flagId: string;
  readonly category: IssueCategory;
  readonly source: FlagSource;
  readonly detection: FlagDetection | null;
  readonly description: string | null;
  readonly flaggedAt: string;
}

export interface PilotView
  extends Pick<PilotRecord, 'proposalId' | 'kind' | 'status' | 'proposerId' | 'proposerUnitId' | 'supervisorId' | 'lastReport' | 'plannedAt' | 'startedAt' | 'endedAt' | 'lastChangedAt'> {
  /** D73-10b: whom the pilot's protection and recognition reach. */
  readonly people: PilotPeople;
  /** D73-2: the legal basis of the approval. */
  readonly legalBasis: string;
  /** The plan as it stands after adjustments. */
  readonly plan: PilotPlan;
  /** The instance's tolerance the KPI statuses were judged with. */
  readonly kpiTolerance: number;
  readonly kpis: readonly KpiView[];
  readonly milestones: readonly MilestoneView[];
  readonly openFlags: readonly FlagView[];
  readonly flagCount: number;
  /** A KPI off target or a flag still open: what early detection (C14-2.4a) puts in front of leaders. */
  readonly offTarget: boolean;
}

/** Judged at read time: the tolerance is instance policy and a milestone becomes overdue as days pass. */
export function pilotView(record: PilotRecord, kpiTolerance: number, now: Date): PilotView {
  const { pilot } = record;
  const state: PilotState = { status: record.status, pilot };
  const overdue = new Set(overdueMilestones(state, now).map((m) => m.id));
  const kpis = kpiStatuses(state, kpiTolerance).map(({ id, name, unit, target, direction, latest, latestAt, status }) => ({
    id, name, unit, target, direction, latest, latestAt, status,
  }));
  const open = openFlags(state).map(({ flagId, category, source, detection, flaggedAt }) => ({
    flagId, category, source, detection, description: record.flagDescriptions[flagId] ?? null, flaggedAt,
  }));
  return {
    proposalId: record.proposalId,
    kind: record.kind,
    status: record.status,
    proposerId: record.proposerId,
    proposerUnitId: record.proposerUnitId,
    supervisorId: record.supervisorId,
    people: pilot.people,
    legalBasis: pilot.legalBasis,
    plan: planParts(pilot),
    kpiTolerance,
    kpis,
    milestones: pilot.milestones.map(({ id, name, dueDate, metOn }) => ({ id, name, dueDate, metOn, overdue: overdue.has(id) })),
    openFlags: open,
    flagCount: pilot.flags.length,
    offTarget: open.length > 0 || kpis.some((k) => k.status === 'off-target'),
    lastReport: record.lastReport,
    plannedAt: record.plannedAt,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    lastChangedAt: record.lastChangedAt,
  };
}
