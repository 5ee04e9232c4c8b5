import { Forbidden, IllegalTransition, InvalidInput, deciderOf } from '@dotpha/kernel';
import type {
  AdjustPilot,
  CompletePilot,
  FlagIssue,
  PilotCommand,
  PlanPilot,
  ProvideSupport,
  RecordCheck,
  ReportProgress,
  ResumePilot,
  StartPilot,
  SuspendPilot,
  TerminatePilot,
} from './commands';
import type { FlagDetection, PilotEnd, PilotEvent } from './events';
import { checkAmount, checkChanges, checkPeople, checkPlan, checkProgress, checkTolerance, nonBlank, requireReasons, resolvable } from './input';
import { type Pilot, type PilotState, type PilotStatus, evolvePilot, initialPilotState } from './pilot.state';
import { flagSubject, openFlags } from './pilot.queries';
import { kpiStatus, localDate } from './progress';

const WHAT = 'Pilot';

function planPilot(command: PlanPilot, state: PilotState): readonly PilotEvent[] {
  const { data, metadata } = command;
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
        plannedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function startPilot(command: StartPilot, state: PilotState): readonly PilotEvent[] {
  const pilot = inStatus(state, command, 'planned');
  const { actor, now } = command.metadata;
  return [{ type: 'PilotStarted', data: { proposalId: pilot.proposalId, startedBy: actor.userId, startedAt: now.toISOString() } }];
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
  checkProgress(pilot, data, metadata.now);
  const reported: PilotEvent<'ProgressReported'> = {
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
  const after = evolvePilot(state, reported);
  // An issue already flagged and not yet dealt with is not flagged again on every report.
  const alreadyOpen = new Set(openFlags(after).map((f) => (f.detection ? flagSubject(f.detection) : null)));
  const kpiIds = data.kpiValues.map((v) => v.kpiId);
  const flags = detectionsAfter(after, kpiIds, tolerance, localDate(metadata.now))
    .filter((d) => !alreadyOpen.has(flagSubject(d)))
    .map(
      (detection): PilotEvent<'IssueFlagged'> => ({
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

/** What a report shows: the KPIs it reported off target, the milestones past due. */
function detectionsAfter(state: PilotState, kpiIds: readonly string[], tolerance: number, today: string): FlagDetection[] {
  if (state.status === 'none') return [];
  const detections: FlagDetection[] = [];
  for (const kpi of state.pilot.kpis) {
    if (!kpiIds.includes(kpi.id) || kpi.latest === null) continue;
    if (kpiStatus(kpi, kpi.latest, tolerance) === 'off-target') {
      detections.push({ kind: 'kpi-off-target', kpiId: kpi.id, value: kpi.latest, target: kpi.target, direction: kpi.direction, tolerance });
    }
  }
  for (const m of state.pilot.milestones) {
    if (m.metOn === null && m.dueDate < today) detections.push({ kind: 'milestone-overdue', milestoneId: m.id, dueDate: m.dueDate });
  }
  return detections;
}

function recordCheck(command: RecordCheck, state: PilotState): readonly PilotEvent[] {
  const pilot = supervised(state, command, 'record a supervision check', 'running', 'suspended');
  const { data, metadata } = command;
  if (pilot.handled.includes(`check:${data.checkId}`)) return [];
  return [
    {
      type: 'SupervisionCheckRecorded',
      data: {
        proposalId: pilot.proposalId,
        checkId: data.checkId,
        checkedBy: metadata.actor.userId,
        findings: nonBlank(data.findings, 'findings'),
        resolvedFlagIds: resolvable(pilot, data.resolvesFlagIds),
        checkedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function flagIssue(command: FlagIssue, state: PilotState): readonly PilotEvent[] {
  const pilot = supervised(state, command, 'flag issues', 'running', 'suspended');
  const { data, metadata } = command;
  if (pilot.flags.some((f) => f.flagId === data.flagId)) return [];
  return [
    {
      type: 'IssueFlagged',
      data: {
        proposalId: pilot.proposalId,
        flagId: data.flagId,
        category: data.category,
        source: 'supervisor',
        description: nonBlank(data.description, 'description'),
        flaggedBy: metadata.actor.userId,
        flaggedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function provideSupport(command: ProvideSupport, state: PilotState): readonly PilotEvent[] {
  const pilot = supervised(state, command, 'record support', 'planned', 'running', 'suspended');
  const { data, metadata } = command;
  if (pilot.handled.includes(`support:${data.supportId}`)) return [];
  checkAmount(data.amount);
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
        providedBy: metadata.actor.userId,
        providedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function adjustPilot(command: AdjustPilot, state: PilotState): readonly PilotEvent[] {
  const pilot = supervised(state, command, 'adjust', 'planned', 'running', 'suspended');
  const { data, metadata } = command;
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
        adjustedBy: metadata.actor.userId,
        adjustedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function suspendPilot(command: SuspendPilot, state: PilotState): readonly PilotEvent[] {
  const pilot = supervised(state, command, 'suspend', 'running');
  const reasons = requireReasons(command.data.reasons);
  const { actor, now } = command.metadata;
  return [{ type: 'PilotSuspended', data: { proposalId: pilot.proposalId, reasons, suspendedBy: actor.userId, suspendedAt: now.toISOString() } }];
}

function resumePilot(command: ResumePilot, state: PilotState): readonly PilotEvent[] {
  const pilot = supervised(state, command, 'resume', 'suspended');
  const reasons = requireReasons(command.data.reasons);
  const { actor, now } = command.metadata;
  return [{ type: 'PilotResumed', data: { proposalId: pilot.proposalId, reasons, resumedBy: actor.userId, resumedAt: now.toISOString() } }];
}

function terminatePilot(command: TerminatePilot, state: PilotState): readonly PilotEvent[] {
  const pilot = supervised(state, command, 'terminate', 'running', 'suspended');
  const reasons = requireReasons(command.data.reasons);
  const end = pilotEnd(pilot, command.data.kpiTolerance, command.metadata.now);
  return [{ type: 'PilotTerminated', data: { ...end, reasons, terminatedBy: command.metadata.actor.userId } }];
}

function completePilot(command: CompletePilot, state: PilotState): readonly PilotEvent[] {
  const pilot = supervised(state, command, 'complete', 'running');
  const end = pilotEnd(pilot, command.data.kpiTolerance, command.metadata.now);
  return [{ type: 'PilotCompleted', data: { ...end, completedBy: command.metadata.actor.userId } }];
}

function pilotEnd(pilot: Pilot, kpiTolerance: number, now: Date): PilotEnd {
  const tolerance = checkTolerance(kpiTolerance);
  return {
    proposalId: pilot.proposalId,
    proposerId: pilot.proposerId,
    proposerUnitId: pilot.proposerUnitId,
    kind: pilot.kind,
    supervisorId: pilot.supervisorId,
    endedAt: now.toISOString(),
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

export const pilotDecider = deciderOf<PilotState, PilotCommand, PilotEvent>({
  initialState: initialPilotState,
  evolve: evolvePilot,
  commands: {
    PlanPilot: planPilot,
    StartPilot: startPilot,
    ReportProgress: reportProgress,
    RecordCheck: recordCheck,
    FlagIssue: flagIssue,
    ProvideSupport: provideSupport,
    AdjustPilot: adjustPilot,
    SuspendPilot: suspendPilot,
    ResumePilot: resumePilot,
    TerminatePilot: terminatePilot,
    CompletePilot: completePilot,
  },
});

// ---- guards ----

function inStatus(state: PilotState, command: PilotCommand, ...allowed: PilotStatus[]): Pilot {
  if (state.status === 'none' || !allowed.includes(state.status)) {
    throw new IllegalTransition(WHAT, state.status, command.type);
  }
  if (command.data.proposalId !== state.pilot.proposalId) throw otherProposal(command.data.proposalId, state.pilot);
  return state.pilot;
}

/** Supervision only means something when the supervised cadre is not their own supervisor. */
function supervised(state: PilotState, command: PilotCommand, act: string, ...allowed: PilotStatus[]): Pilot {
  const pilot = inStatus(state, command, ...allowed);
  if (command.metadata.actor.userId === pilot.proposerId) throw new Forbidden(`the proposer cannot ${act} on their own pilot`);
  return pilot;
}

function otherProposal(proposalId: string, pilot: Pilot): InvalidInput {
  return new InvalidInput(`the command is for proposal '${proposalId}', this pilot is '${pilot.proposalId}'`);
}
