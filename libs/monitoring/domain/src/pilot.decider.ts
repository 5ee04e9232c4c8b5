import {
  type CommandMetadata,
  type Decider,
  Forbidden,
  IllegalTransition,
  InvalidInput,
  RuleViolation,
  assertNever,
} from '@dotpha/kernel';
import type {
  IssueCategory,
  Kpi,
  Milestone,
  PilotChanges,
  PilotCommand,
  PilotKind,
  PilotPeople,
  PilotPlan,
  ReportProgress,
  Resource,
} from './commands';
import type { FlagDetection, FlagSource, IssueFlagged, PilotEnd, PilotEvent, ProgressReported } from './events';
import { kpiStatus, kpiValueProblem, localDate } from './progress';
import { flagSubject, openFlags } from './pilot.queries';

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

export interface Pilot {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly kind: PilotKind;
  readonly supervisorId: string;
  readonly scope: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly kpis: readonly TrackedKpi[];
  readonly milestones: readonly TrackedMilestone[];
  readonly resources: readonly Resource[];
  readonly people: PilotPeople;
  readonly legalBasis: string;
  readonly flags: readonly TrackedFlag[];
  /** Reports, checks, support and adjustments already recorded, so a retried command is a no-op. */
  readonly handled: readonly string[];
}

export type PilotState = { readonly status: 'none' } | { readonly status: PilotStatus; readonly pilot: Pilot };

const WHAT = 'Pilot';

export const pilotDecider: Decider<PilotState, PilotCommand, PilotEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};

function decide(command: PilotCommand, state: PilotState): readonly PilotEvent[] {
  const { metadata } = command;
  const at = metadata.now.toISOString();
  const by = metadata.actor.userId;
  switch (command.type) {
    case 'PlanPilot': {
      const { data } = command;
      if (state.status !== 'none') {
        if (state.pilot.proposalId !== data.proposalId) throw otherProposal(data.proposalId, state.pilot);
        // ProposalApproved delivered again: the plan is already in place.
        return [];
      }
      checkPlan(data.plan, data.proposerId);
      const { plan } = data;
      const people = checkPeople(data.people, data.proposerId);
      return [
        {
          type: 'PilotPlanned',
          data: {
            proposalId: data.proposalId,
            proposerId: data.proposerId,
            proposerUnitId: data.proposerUnitId,
            kind: data.kind,
            scope: plan.scope,
            startDate: plan.startDate,
            endDate: plan.endDate,
            kpis: plan.kpis,
            milestones: plan.milestones,
            resources: plan.resources,
            supervisorId: plan.supervisorId,
            people,
            legalBasis: nonBlank(data.legalBasis ?? '', 'legalBasis'),
            plannedAt: at,
          },
        },
      ];
    }
    case 'StartPilot': {
      const pilot = inStatus(state, command, 'planned');
      return [{ type: 'PilotStarted', data: { proposalId: pilot.proposalId, startedBy: by, startedAt: at } }];
    }
    case 'ReportProgress':
      return reportProgress(command, state);
    case 'RecordCheck': {
      const pilot = inStatus(state, command, 'running', 'suspended');
      supervising(pilot, metadata, 'record a supervision check');
      if (pilot.handled.includes(`check:${command.data.checkId}`)) return [];
      return [
        {
          type: 'SupervisionCheckRecorded',
          data: {
            proposalId: pilot.proposalId,
            checkId: command.data.checkId,
            checkedBy: by,
            findings: nonBlank(command.data.findings, 'findings'),
            resolvedFlagIds: resolvable(pilot, command.data.resolvesFlagIds),
            checkedAt: at,
          },
        },
      ];
    }
    case 'FlagIssue': {
      const pilot = inStatus(state, command, 'running', 'suspended');
      supervising(pilot, metadata, 'flag issues');
      if (pilot.flags.some((f) => f.flagId === command.data.flagId)) return [];
      return [
        {
          type: 'IssueFlagged',
          data: {
            proposalId: pilot.proposalId,
            flagId: command.data.flagId,
            category: command.data.category,
            source: 'supervisor',
            description: nonBlank(command.data.description, 'description'),
            flaggedBy: by,
            flaggedAt: at,
          },
        },
      ];
    }
    case 'ProvideSupport': {
      const pilot = inStatus(state, command, 'planned', 'running', 'suspended');
      supervising(pilot, metadata, 'record support');
      const { data } = command;
      if (pilot.handled.includes(`support:${data.supportId}`)) return [];
      if (data.amount !== undefined && !(Number.isFinite(data.amount) && data.amount >= 0)) {
        throw new InvalidInput('a support amount is a non-negative number');
      }
      return [
        {
          type: 'SupportProvided',
          data: {
            proposalId: pilot.proposalId,
            supportId: data.supportId,
            kind: data.kind,
            description: nonBlank(data.description, 'description'),
            ...(data.amount === undefined ? {} : { amount: data.amount }),
            resolvedFlagIds: resolvable(pilot, data.resolvesFlagIds),
            providedBy: by,
            providedAt: at,
          },
        },
      ];
    }
    case 'AdjustPilot': {
      const pilot = inStatus(state, command, 'planned', 'running', 'suspended');
      supervising(pilot, metadata, 'adjust');
      const { data } = command;
      if (pilot.handled.includes(`adjustment:${data.adjustmentId}`)) return [];
      return [
        {
          type: 'PilotAdjusted',
          data: {
            proposalId: pilot.proposalId,
            adjustmentId: data.adjustmentId,
            reasons: requireReasons(data.reasons),
            changes: checkChanges(pilot, state.status !== 'planned', data.changes),
            resolvedFlagIds: resolvable(pilot, data.resolvesFlagIds),
            adjustedBy: by,
            adjustedAt: at,
          },
        },
      ];
    }
    case 'SuspendPilot': {
      const pilot = inStatus(state, command, 'running');
      supervising(pilot, metadata, 'suspend');
      const reasons = requireReasons(command.data.reasons);
      return [{ type: 'PilotSuspended', data: { proposalId: pilot.proposalId, reasons, suspendedBy: by, suspendedAt: at } }];
    }
    case 'ResumePilot': {
      const pilot = inStatus(state, command, 'suspended');
      supervising(pilot, metadata, 'resume');
      const reasons = requireReasons(command.data.reasons);
      return [{ type: 'PilotResumed', data: { proposalId: pilot.proposalId, reasons, resumedBy: by, resumedAt: at } }];
    }
    case 'TerminatePilot': {
      const pilot = inStatus(state, command, 'running', 'suspended');
      supervising(pilot, metadata, 'terminate');
      const reasons = requireReasons(command.data.reasons);
      const end = pilotEnd(pilot, command.data.kpiTolerance, at);
      return [{ type: 'PilotTerminated', data: { ...end, reasons, terminatedBy: by } }];
    }
    case 'CompletePilot': {
      const pilot = inStatus(state, command, 'running');
      supervising(pilot, metadata, 'complete');
      return [{ type: 'PilotCompleted', data: { ...pilotEnd(pilot, command.data.kpiTolerance, at), completedBy: by } }];
    }
    default:
      return assertNever(command, 'pilot command');
  }
}

/**
 * C14-2.4a: problems are found early. The report and the flags it raises are one decision, so a
 * KPI off target or a milestone past due can never be recorded without its flag.
 */
function reportProgress(command: ReportProgress, state: PilotState): readonly PilotEvent[] {
  const pilot = inStatus(state, command, 'running');
  const { data, metadata } = command;
  if (metadata.actor.userId !== pilot.proposerId) throw new Forbidden('only the proposer reports progress on their pilot');
  if (pilot.handled.includes(`report:${data.reportId}`)) return [];
  const tolerance = checkTolerance(data.kpiTolerance);
  const today = localDate(metadata.now);

  const kpiIds = data.kpiValues.map((v) => v.kpiId);
  unique(kpiIds, 'KPI');
  for (const { kpiId, value } of data.kpiValues) {
    const kpi = pilot.kpis.find((k) => k.id === kpiId);
    if (!kpi) throw new InvalidInput(`the plan has no KPI '${kpiId}'`);
    if (!Number.isFinite(value)) throw new InvalidInput(`the value of KPI '${kpiId}' is not a number`);
    const problem = kpiValueProblem(kpi.unit, value);
    // C14-2.4a: a value its own unit cannot hold would hide (or fake) a problem found early.
    if (problem) throw new InvalidInput(`the value ${value} of KPI '${kpiId}' ${problem}`, { kpiId, value });
  }
  unique(data.milestonesMet.map((m) => m.milestoneId), 'milestone');
  for (const { milestoneId, metOn } of data.milestonesMet) {
    const milestone = pilot.milestones.find((m) => m.id === milestoneId);
    if (!milestone) throw new InvalidInput(`the plan has no milestone '${milestoneId}'`);
    if (milestone.metOn !== null) throw new InvalidInput(`milestone '${milestoneId}' was already reported met`);
    if (!isDate(metOn) || metOn > today) throw new InvalidInput(`milestone '${milestoneId}' cannot be met on '${metOn}'`);
  }

  const reported: ProgressReported = {
    type: 'ProgressReported',
    data: {
      proposalId: pilot.proposalId,
      reportId: data.reportId,
      reportedBy: metadata.actor.userId,
      kpiValues: data.kpiValues,
      milestonesMet: data.milestonesMet,
      narrative: nonBlank(data.narrative, 'narrative'),
      reportedAt: metadata.now.toISOString(),
    },
  };
  const after = evolve(state, reported);
  // An issue already flagged and not yet dealt with is not flagged again on every report.
  const alreadyOpen = new Set(openFlags(after).map((f) => (f.detection ? flagSubject(f.detection) : null)));
  const detections: FlagDetection[] = [];
  if (after.status !== 'none') {
    for (const kpi of after.pilot.kpis) {
      if (!kpiIds.includes(kpi.id) || kpi.latest === null) continue;
      if (kpiStatus(kpi, kpi.latest, tolerance) === 'off-target') {
        detections.push({ kind: 'kpi-off-target', kpiId: kpi.id, value: kpi.latest, target: kpi.target, direction: kpi.direction, tolerance });
      }
    }
    for (const m of after.pilot.milestones) {
      if (m.metOn === null && m.dueDate < today) detections.push({ kind: 'milestone-overdue', milestoneId: m.id, dueDate: m.dueDate });
    }
  }
  const flags = detections
    .filter((d) => !alreadyOpen.has(flagSubject(d)))
    .map(
      (detection): IssueFlagged => ({
        type: 'IssueFlagged',
        data: {
          proposalId: pilot.proposalId,
          flagId: `${data.reportId}/${flagSubject(detection)}`,
          category: 'risk',
          source: 'automatic',
          detection,
          flaggedBy: metadata.actor.userId,
          flaggedAt: metadata.now.toISOString(),
        },
      }),
    );
  return [reported, ...flags];
}

function evolve(state: PilotState, event: PilotEvent): PilotState {
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

function pilotEnd(pilot: Pilot, kpiTolerance: number, endedAt: string): PilotEnd {
  const tolerance = checkTolerance(kpiTolerance);
  return {
    proposalId: pilot.proposalId,
    proposerId: pilot.proposerId,
    proposerUnitId: pilot.proposerUnitId,
    kind: pilot.kind,
    supervisorId: pilot.supervisorId,
    endedAt,
    kpiTolerance: tolerance,
    kpiResults: pilot.kpis.map((k) => ({
      id: k.id,
      target: k.target,
      direction: k.direction,
      latest: k.latest,
      onTarget: kpiStatus(k, k.latest, tolerance) === 'on-target',
    })),
    milestones: pilot.milestones.map((m) => ({ id: m.id, dueDate: m.dueDate, metAt: m.metOn })),
    flags: pilot.flags.length,
    openFlags: pilot.flags.filter((f) => f.open).length,
    people: pilot.people,
    legalBasis: pilot.legalBasis,
  };
}

// ---- guards ----

function inStatus(state: PilotState, command: PilotCommand, ...allowed: PilotStatus[]): Pilot {
  if (state.status === 'none' || !allowed.includes(state.status)) {
    throw new IllegalTransition(WHAT, state.status, command.type);
  }
  if (command.data.proposalId !== state.pilot.proposalId) throw otherProposal(command.data.proposalId, state.pilot);
  return state.pilot;
}

function otherProposal(proposalId: string, pilot: Pilot): InvalidInput {
  return new InvalidInput(`the command is for proposal '${proposalId}', this pilot is '${pilot.proposalId}'`);
}

/** Supervision only means something when the supervised cadre is not their own supervisor. */
function supervising(pilot: Pilot, metadata: CommandMetadata, act: string): void {
  if (metadata.actor.userId === pilot.proposerId) throw new Forbidden(`the proposer cannot ${act} on their own pilot`);
}

function checkPlan(plan: PilotPlan, proposerId: string): void {
  if (plan.supervisorId === proposerId) {
    throw new RuleViolation('C14-2.4a', 'the proposer cannot supervise their own pilot');
  }
  if (!isDate(plan.startDate) || !isDate(plan.endDate) || plan.startDate > plan.endDate) {
    throw new InvalidInput(`the plan runs from '${plan.startDate}' to '${plan.endDate}'`);
  }
  unique(plan.kpis.map((k) => k.id), 'KPI');
  unique(plan.milestones.map((m) => m.id), 'milestone');
  for (const k of plan.kpis) {
    if (!Number.isFinite(k.target)) throw new InvalidInput(`KPI '${k.id}' has no numeric target`);
    const problem = kpiValueProblem(k.unit, k.target);
    if (problem) throw new InvalidInput(`the target ${k.target} of KPI '${k.id}' ${problem}`, { kpiId: k.id });
  }
  for (const m of plan.milestones) if (!isDate(m.dueDate)) throw new InvalidInput(`milestone '${m.id}' is due on '${m.dueDate}'`);
}

/** D73-10b: the people named are distinct, and the proposer is the pilot's. */
function checkPeople(people: PilotPeople, proposerId: string): PilotPeople {
  if (!people || people.proposerId !== proposerId) throw new InvalidInput('the pilot\'s people name its proposer');
  unique(people.coProposerIds, 'co-proposer');
  unique(people.implementerIds, 'implementer');
  return {
    proposerId,
    coProposerIds: [...people.coProposerIds],
    implementerIds: [...people.implementerIds],
    approvingHeadId: people.approvingHeadId,
  };
}

function checkChanges(pilot: Pilot, started: boolean, changes: PilotChanges): PilotChanges {
  const { startDate, endDate, kpiTargets = [], milestoneDueDates = [], addedMilestones = [] } = changes;
  if (startDate === undefined && endDate === undefined && !kpiTargets.length && !milestoneDueDates.length && !addedMilestones.length) {
    throw new InvalidInput('an adjustment changes at least one date, target or milestone');
  }
  if (startDate !== undefined && started) throw new InvalidInput('the start date is fixed once the pilot has started');
  const start = startDate ?? pilot.startDate;
  const end = endDate ?? pilot.endDate;
  if (!isDate(start) || !isDate(end) || start > end) throw new InvalidInput(`the pilot would run from '${start}' to '${end}'`);
  unique(kpiTargets.map((t) => t.kpiId), 'KPI');
  for (const { kpiId, target } of kpiTargets) {
    const kpi = pilot.kpis.find((k) => k.id === kpiId);
    if (!kpi) throw new InvalidInput(`the plan has no KPI '${kpiId}'`);
    if (!Number.isFinite(target)) throw new InvalidInput(`KPI '${kpiId}' has no numeric target`);
    const problem = kpiValueProblem(kpi.unit, target);
    if (problem) throw new InvalidInput(`the target ${target} of KPI '${kpiId}' ${problem}`, { kpiId });
  }
  unique(milestoneDueDates.map((d) => d.milestoneId), 'milestone');
  for (const { milestoneId, dueDate } of milestoneDueDates) {
    const milestone = pilot.milestones.find((m) => m.id === milestoneId);
    if (!milestone) throw new InvalidInput(`the plan has no milestone '${milestoneId}'`);
    if (milestone.metOn !== null) throw new InvalidInput(`milestone '${milestoneId}' is already met`);
    if (!isDate(dueDate)) throw new InvalidInput(`milestone '${milestoneId}' cannot be due on '${dueDate}'`);
  }
  unique([...pilot.milestones.map((m) => m.id), ...addedMilestones.map((m) => m.id)], 'milestone');
  for (const m of addedMilestones) if (!isDate(m.dueDate)) throw new InvalidInput(`milestone '${m.id}' is due on '${m.dueDate}'`);
  return changes;
}

function resolvable(pilot: Pilot, flagIds: readonly string[] = []): readonly string[] {
  for (const flagId of flagIds) {
    if (!pilot.flags.some((f) => f.flagId === flagId && f.open)) throw new InvalidInput(`flag '${flagId}' is not open`);
  }
  return [...new Set(flagIds)];
}

function checkTolerance(tolerance: number): number {
  if (!(Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= 1)) {
    throw new InvalidInput(`kpiTolerance is a fraction between 0 and 1, not ${tolerance}`);
  }
  return tolerance;
}

function requireReasons(reasons: readonly string[]): readonly string[] {
  if (reasons.length === 0 || reasons.some((r) => r.trim() === '')) throw new InvalidInput('give the reasons');
  return reasons;
}

function nonBlank(value: string, field: string): string {
  if (value.trim() === '') throw new InvalidInput(`${field} is empty`);
  return value;
}

function unique(ids: readonly string[], what: string): void {
  const duplicate = ids.find((x, i) => ids.indexOf(x) !== i);
  if (duplicate !== undefined) throw new InvalidInput(`${what} '${duplicate}' appears twice`);
}

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  // Rejects dates that do not exist (2026-02-30) rather than letting them roll over.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}
