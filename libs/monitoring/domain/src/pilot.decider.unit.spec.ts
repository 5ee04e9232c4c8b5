import { Forbidden, IllegalTransition, InvalidInput, RuleViolation, fold } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { PilotCommand, PilotPeople, PilotPlan, PlanPilot } from './commands';
import type { PilotEvent } from './events';
import { pilotDecider } from './pilot.decider';
import { kpiStatuses, openFlags, overdueMilestones } from './pilot.queries';
import { kpiShortfall, kpiStatus, localDate } from './progress';

const spec = DeciderSpecification.for(pilotDecider);
const proposalId = 'p-1';
const asProposer = (at?: string) => meta(at ? { at } : {});
const asSupervisor = (at?: string) => meta({ role: 'supervisor', userId: 'u-supervisor', ...(at ? { at } : {}) });
const T0 = '2026-03-02T08:00:00.000Z';

const plan: PilotPlan = {
  scope: 'Liên thông hồ sơ đất đai một cửa tại phường Bến Nghé',
  startDate: '2026-03-01',
  endDate: '2026-08-31',
  kpis: [
    { id: 'k-online', name: 'Tỷ lệ hồ sơ trực tuyến', unit: '%', target: 80, direction: 'at-least' },
    { id: 'k-days', name: 'Thời gian xử lý', unit: 'ngày', target: 3, direction: 'at-most' },
  ],
  milestones: [
    { id: 'm-software', name: 'Đưa phần mềm vào vận hành', dueDate: '2026-04-30' },
    { id: 'm-midterm', name: 'Sơ kết giữa kỳ', dueDate: '2026-06-30' },
  ],
  resources: [{ kind: 'funding', description: 'Kinh phí nâng cấp phần mềm', amount: 500_000_000 }],
  supervisorId: 'u-supervisor',
};

const LEGAL_BASIS = 'Nghị định 73/2023/NĐ-CP';
const people: PilotPeople = { proposerId: 'u-proposer', coProposerIds: ['u-co'], implementerIds: ['u-implementer'], approvingHeadId: 'u-head' };

const planned: PilotEvent<'PilotPlanned'> = {
  type: 'PilotPlanned',
  data: { proposalId, proposerId: 'u-proposer', proposerUnitId: 'unit-ward', kind: 'pilot', ...plan, people, legalBasis: LEGAL_BASIS, plannedAt: '2026-02-20T08:00:00.000Z' },
};
/** What every PilotCompleted or PilotTerminated of this pilot carries, whatever its results. */
const handOff = {
  proposalId,
  proposerId: 'u-proposer',
  proposerUnitId: 'unit-ward',
  kind: 'pilot',
  supervisorId: 'u-supervisor',
  endedAt: T0,
  kpiTolerance: 0.1,
  people,
  legalBasis: LEGAL_BASIS,
} as const;
const started: PilotEvent<'PilotStarted'> = { type: 'PilotStarted', data: { proposalId, startedBy: 'u-proposer', startedAt: '2026-03-01T01:00:00.000Z' } };
const suspended: PilotEvent = {
  type: 'PilotSuspended',
  data: { proposalId, reasons: ['Chờ hướng dẫn của Sở'], suspendedBy: 'u-supervisor', suspendedAt: T0 },
};

const authority = (at?: string) => meta({ role: 'authority', userId: 'u-authority', ...(at ? { at } : {}) });

/** The plan fixed by the approval; a test changes only what it is about. */
function planPilot(data: Partial<PlanPilot['data']> = {}, metadata = authority()): PlanPilot {
  return { type: 'PlanPilot', data: { proposalId, proposerId: 'u-proposer', proposerUnitId: 'unit-ward', kind: 'pilot', plan, people, legalBasis: LEGAL_BASIS, ...data }, metadata };
}

function report(
  data: Partial<Extract<PilotCommand, { type: 'ReportProgress' }>['data']> = {},
  at?: string,
): PilotCommand {
  return {
    type: 'ReportProgress',
    data: { proposalId, reportId: 'r-1', kpiValues: [], milestonesMet: [], narrative: 'Tháng đầu vận hành', kpiTolerance: 0.1, ...data },
    metadata: asProposer(at),
  };
}

function reported(data: Partial<PilotEvent<'ProgressReported'>['data']> = {}, at = T0): PilotEvent<'ProgressReported'> {
  return {
    type: 'ProgressReported',
    data: { proposalId, reportId: 'r-1', reportedBy: 'u-proposer', kpiValues: [], milestonesMet: [], narrative: 'Tháng đầu vận hành', reportedAt: at, ...data },
  };
}

/** Funding from the supervisor for the first report's KPI shortfall: the command, and the event it leads to. */
const SUPPORT = { proposalId, supportId: 's-1', kind: 'funding', description: 'Bổ sung kinh phí đào tạo', amount: 50_000_000 } as const;
const support = (): PilotCommand => ({ type: 'ProvideSupport', data: { ...SUPPORT, resolvesFlagIds: ['r-1/kpi:k-online'] }, metadata: asSupervisor() });
const supported = (): PilotEvent<'SupportProvided'> => ({
  type: 'SupportProvided',
  data: { ...SUPPORT, resolvedFlagIds: ['r-1/kpi:k-online'], providedBy: 'u-supervisor', providedAt: T0 },
});

function kpiFlag(flagId: string, kpiId: string, value: number, target: number, at = T0): PilotEvent<'IssueFlagged'> {
  const direction = kpiId === 'k-days' ? 'at-most' : 'at-least';
  return {
    type: 'IssueFlagged',
    data: {
      proposalId,
      flagId,
      category: 'risk',
      source: 'automatic',
      detection: { kind: 'kpi-off-target', kpiId, value, target, direction, tolerance: 0.1 },
      flaggedBy: 'u-proposer',
      flaggedAt: at,
    },
  };
}

describe('Pilot: planning', () => {
  it('plans the pilot with the plan fixed by the approval', () => {
    spec
      .given([])
      .when(planPilot({}, authority('2026-02-20T08:00:00.000Z')))
      .then([planned]);
  });

  it('plans nothing when ProposalApproved is delivered again', () => {
    spec
      .given([planned, started])
      .when(planPilot())
      .then([]);
  });

  it('C14-2.4a: the proposer cannot be named supervisor of their own pilot', () => {
    spec
      .given([])
      .when(planPilot({ plan: { ...plan, supervisorId: 'u-proposer' } }))
      .thenThrows(RuleViolation, { clause: 'C14-2.4a' });
  });

  it('refuses a plan that ends before it starts', () => {
    spec
      .given([])
      .when(planPilot({ kind: 'implementation', plan: { ...plan, endDate: '2026-02-01' } }))
      .thenThrows(InvalidInput);
  });

  it('D73-10b, D73-2: the pilot carries the people the approval protects and recognises, and its legal basis', () => {
    const [event] = spec
      .given([])
      .when(planPilot({}, meta()))
      .events();
    expect(event.data).toMatchObject({ people, legalBasis: LEGAL_BASIS });
    const bad = [{ ...people, proposerId: 'u-other' }, { ...people, implementerIds: ['u-i', 'u-i'] }];
    for (const wrong of bad) {
      spec
        .given([])
        .when(planPilot({ people: wrong }, meta()))
        .thenThrows(InvalidInput);
    }
  });

  it('C14-2.4a: a KPI target its own unit cannot hold (a percentage over 100, negative days) is refused', () => {
    for (const kpis of [
      [{ id: 'k-online', name: 'Tỷ lệ', unit: '%', target: 120, direction: 'at-least' as const }],
      [{ id: 'k-days', name: 'Thời gian', unit: 'ngày', target: -5, direction: 'at-most' as const }],
    ]) {
      spec
        .given([])
        .when(planPilot({ plan: { ...plan, kpis } }, meta()))
        .thenThrows(InvalidInput);
    }
  });

  it('starts a planned pilot', () => {
    spec.given([planned]).when({ type: 'StartPilot', data: { proposalId }, metadata: asProposer('2026-03-01T01:00:00.000Z') }).then([started]);
  });
});

describe('Pilot: C14-2.4a early detection in progress reports', () => {
  const reportingKpi = (kpiId: string, value: number) => spec.given([planned, started]).when(report({ kpiValues: [{ kpiId, value }] }));

  it('C14-2.4a: a KPI trailing its target beyond the tolerance raises IssueFlagged in the same decision', () => {
    reportingKpi('k-online', 60).then([reported({ kpiValues: [{ kpiId: 'k-online', value: 60 }] }), kpiFlag('r-1/kpi:k-online', 'k-online', 60, 80)]);
  });

  it('C14-2.4a: a progress value its unit cannot hold (a percentage over 100, negative days) is refused, writing nothing', () => {
    for (const kpiValues of [[{ kpiId: 'k-online', value: 140 }], [{ kpiId: 'k-online', value: -1 }], [{ kpiId: 'k-days', value: -2 }]]) {
      spec.given([planned, started]).when(report({ kpiValues })).thenThrows(InvalidInput);
    }
    expect(spec.given([planned, started]).when(report({ kpiValues: [{ kpiId: 'k-online', value: 100 }] })).events()).toHaveLength(1);
  });

  it('C14-2.4a: an adjusted KPI target its unit cannot hold is refused', () => {
    const adjust: PilotCommand = {
      type: 'AdjustPilot',
      data: { proposalId, adjustmentId: 'a-1', reasons: ['Nâng mục tiêu'], changes: { kpiTargets: [{ kpiId: 'k-online', target: 101 }] } },
      metadata: asSupervisor(),
    };
    spec.given([planned, started]).when(adjust).thenThrows(InvalidInput);
  });

  it('C14-2.4a: a KPI within the tolerance raises no flag', () => {
    reportingKpi('k-online', 73).then([reported({ kpiValues: [{ kpiId: 'k-online', value: 73 }] })]);
  });

  it('C14-2.4a: an at-most KPI above its ceiling beyond the tolerance is flagged', () => {
    reportingKpi('k-days', 4).then([reported({ kpiValues: [{ kpiId: 'k-days', value: 4 }] }), kpiFlag('r-1/kpi:k-days', 'k-days', 4, 3)]);
  });

  it('C14-2.4a: a milestone past due and unmet raises IssueFlagged', () => {
    const at = '2026-05-05T03:00:00.000Z';
    spec
      .given([planned, started])
      .when(report({}, at))
      .then([
        reported({}, at),
        {
          type: 'IssueFlagged',
          data: {
            proposalId,
            flagId: 'r-1/milestone:m-software',
            category: 'risk',
            source: 'automatic',
            detection: { kind: 'milestone-overdue', milestoneId: 'm-software', dueDate: '2026-04-30' },
            flaggedBy: 'u-proposer',
            flaggedAt: at,
          },
        },
      ]);
  });

  it('C14-2.4a: a milestone reported met in the same report is not flagged', () => {
    const at = '2026-05-05T03:00:00.000Z';
    const milestonesMet = [{ milestoneId: 'm-software', metOn: '2026-05-04' }];
    spec.given([planned, started]).when(report({ milestonesMet }, at)).then([reported({ milestonesMet }, at)]);
  });

  it('C14-2.4a: a milestone is not overdue until its due date has passed in Vietnam (UTC+7)', () => {
    const lateEveningOfDueDate = '2026-04-30T16:30:00.000Z';
    const earlyNextMorning = '2026-04-30T17:30:00.000Z';
    expect(spec.given([planned, started]).when(report({}, lateEveningOfDueDate)).events()).toHaveLength(1);
    expect(spec.given([planned, started]).when(report({}, earlyNextMorning)).events()).toHaveLength(2);
  });

  it('C14-2.4a: an issue still open is not flagged again on the next report', () => {
    spec
      .given([planned, started, reported({ kpiValues: [{ kpiId: 'k-online', value: 60 }] }), kpiFlag('r-1/kpi:k-online', 'k-online', 60, 80)])
      .when(report({ reportId: 'r-2', kpiValues: [{ kpiId: 'k-online', value: 62 }] }))
      .then([reported({ reportId: 'r-2', kpiValues: [{ kpiId: 'k-online', value: 62 }] })]);
  });

  it('C14-2.4a: once support has dealt with a flag, a new shortfall is flagged again', () => {
    const events = spec
      .given([planned, started, reported({ kpiValues: [{ kpiId: 'k-online', value: 60 }] }), kpiFlag('r-1/kpi:k-online', 'k-online', 60, 80), supported()])
      .when(report({ reportId: 'r-2', kpiValues: [{ kpiId: 'k-online', value: 65 }] }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['ProgressReported', 'IssueFlagged']);
    expect(events[1].data).toMatchObject({ flagId: 'r-2/kpi:k-online' });
  });

  it('a retried report changes nothing', () => {
    spec
      .given([planned, started, reported({ kpiValues: [{ kpiId: 'k-online', value: 60 }] })])
      .when(report({ kpiValues: [{ kpiId: 'k-online', value: 60 }] }))
      .then([]);
  });

  it('only the proposer reports progress on their pilot', () => {
    spec
      .given([planned, started])
      .when({ ...report(), metadata: asSupervisor() })
      .thenThrows(Forbidden);
  });

  it('refuses values for KPIs the plan does not have, and a tolerance that is not a fraction', () => {
    spec.given([planned, started]).when(report({ kpiValues: [{ kpiId: 'k-unknown', value: 1 }] })).thenThrows(InvalidInput);
    spec.given([planned, started]).when(report({ kpiTolerance: 10 })).thenThrows(InvalidInput);
  });
});

describe('Pilot: C14-2.4a supervision, support and adjustment', () => {
  const flagged = kpiFlag('r-1/kpi:k-online', 'k-online', 60, 80);
  const withFlag = [planned, started, reported({ kpiValues: [{ kpiId: 'k-online', value: 60 }] }), flagged];

  it('C14-2.4a: the supervisor records a check, which may close open flags', () => {
    spec
      .given(withFlag)
      .when({
        type: 'RecordCheck',
        data: { proposalId, checkId: 'c-1', findings: 'Đã bổ sung nhân lực, tỷ lệ đang tăng', resolvesFlagIds: ['r-1/kpi:k-online'] },
        metadata: asSupervisor(),
      })
      .then([
        {
          type: 'SupervisionCheckRecorded',
          data: {
            proposalId,
            checkId: 'c-1',
            checkedBy: 'u-supervisor',
            findings: 'Đã bổ sung nhân lực, tỷ lệ đang tăng',
            resolvedFlagIds: ['r-1/kpi:k-online'],
            checkedAt: T0,
          },
        },
      ]);
  });

  it.each(['risk', 'damage', 'violation'] as const)('C14-2.4a: the supervisor flags a %s', (category) => {
    spec
      .given([planned, started])
      .when({ type: 'FlagIssue', data: { proposalId, flagId: 'f-1', category, description: 'Phát hiện khi kiểm tra' }, metadata: asSupervisor() })
      .then([
        {
          type: 'IssueFlagged',
          data: { proposalId, flagId: 'f-1', category, source: 'supervisor', description: 'Phát hiện khi kiểm tra', flaggedBy: 'u-supervisor', flaggedAt: T0 },
        },
      ]);
  });

  it('C14-2.4a: the proposer cannot supervise their own pilot', () => {
    spec
      .given([planned, started])
      .when({ type: 'RecordCheck', data: { proposalId, checkId: 'c-1', findings: 'Tự đánh giá tốt' }, metadata: asProposer() })
      .thenThrows(Forbidden);
  });

  it('C14-2.3f: support given is recorded and closes the flags it deals with', () => {
    const events = spec.given(withFlag).when(support()).events();
    expect(events).toEqual([supported()]);
    expect(openFlags(fold(pilotDecider, withFlag)).map((f) => f.flagId)).toEqual(['r-1/kpi:k-online']);
    expect(openFlags(fold(pilotDecider, [...withFlag, ...events]))).toEqual([]);
  });

  it('refuses to resolve a flag that is not open', () => {
    spec
      .given([planned, started])
      .when({ type: 'RecordCheck', data: { proposalId, checkId: 'c-1', findings: 'Ổn', resolvesFlagIds: ['f-x'] }, metadata: asSupervisor() })
      .thenThrows(InvalidInput);
  });

  it('C14-2.4a: an adjustment changes targets, dates and milestones with its reasons', () => {
    const changes = {
      endDate: '2026-10-31',
      kpiTargets: [{ kpiId: 'k-online', target: 65 }],
      milestoneDueDates: [{ milestoneId: 'm-midterm', dueDate: '2026-07-31' }],
      addedMilestones: [{ id: 'm-training', name: 'Tập huấn người dân', dueDate: '2026-06-15' }],
    };
    const events = spec
      .given(withFlag)
      .when({
        type: 'AdjustPilot',
        data: { proposalId, adjustmentId: 'a-1', reasons: ['Hạ tầng mạng chưa đáp ứng'], changes, resolvesFlagIds: ['r-1/kpi:k-online'] },
        metadata: asSupervisor(),
      })
      .events();
    expect(events).toEqual([
      {
        type: 'PilotAdjusted',
        data: {
          proposalId,
          adjustmentId: 'a-1',
          reasons: ['Hạ tầng mạng chưa đáp ứng'],
          changes,
          resolvedFlagIds: ['r-1/kpi:k-online'],
          adjustedBy: 'u-supervisor',
          adjustedAt: T0,
        },
      },
    ]);
    const after = fold(pilotDecider, [...withFlag, ...events]);
    expect(kpiStatuses(after, 0.1).find((k) => k.id === 'k-online')).toMatchObject({ target: 65, latest: 60, status: 'on-target' });
    expect(after.status !== 'none' && after.pilot.endDate).toBe('2026-10-31');
    expect(after.status !== 'none' && after.pilot.milestones.map((m) => m.id)).toEqual(['m-software', 'm-midterm', 'm-training']);
  });

  it('C14-2.4a: an adjustment without reasons is refused', () => {
    spec
      .given([planned, started])
      .when({ type: 'AdjustPilot', data: { proposalId, adjustmentId: 'a-1', reasons: [], changes: { endDate: '2026-10-31' } }, metadata: asSupervisor() })
      .thenThrows(InvalidInput);
  });

  it('the start date can no longer move once the pilot runs', () => {
    spec
      .given([planned, started])
      .when({ type: 'AdjustPilot', data: { proposalId, adjustmentId: 'a-1', reasons: ['Lùi'], changes: { startDate: '2026-04-01' } }, metadata: asSupervisor() })
      .thenThrows(InvalidInput);
  });

  it('suspends with reasons and resumes', () => {
    spec
      .given([planned, started])
      .when({ type: 'SuspendPilot', data: { proposalId, reasons: ['Chờ hướng dẫn của Sở'] }, metadata: asSupervisor() })
      .then([suspended]);
    spec
      .given([planned, started, suspended])
      .when({ type: 'ResumePilot', data: { proposalId, reasons: ['Đã có hướng dẫn'] }, metadata: asSupervisor() })
      .then([{ type: 'PilotResumed', data: { proposalId, reasons: ['Đã có hướng dẫn'], resumedBy: 'u-supervisor', resumedAt: T0 } }]);
  });
});

describe('Pilot: ending hands off to evaluation', () => {
  const history: PilotEvent[] = [
    planned,
    started,
    reported({ kpiValues: [{ kpiId: 'k-online', value: 60 }], milestonesMet: [{ milestoneId: 'm-software', metOn: '2026-03-02' }] }),
    kpiFlag('r-1/kpi:k-online', 'k-online', 60, 80),
  ];
  const end = {
    ...handOff,
    kpiResults: [
      { id: 'k-online', target: 80, direction: 'at-least', latest: 60, onTarget: false },
      { id: 'k-days', target: 3, direction: 'at-most', latest: null, onTarget: false },
    ],
    milestones: [
      { id: 'm-software', dueDate: '2026-04-30', metAt: '2026-03-02' },
      { id: 'm-midterm', dueDate: '2026-06-30', metAt: null },
    ],
    flags: 1,
    openFlags: 1,
  } as const;

  it('PilotCompleted carries KPI results, milestones and flag counts', () => {
    spec
      .given(history)
      .when({ type: 'CompletePilot', data: { proposalId, kpiTolerance: 0.1 }, metadata: asSupervisor() })
      .then([{ type: 'PilotCompleted', data: { ...end, completedBy: 'u-supervisor' } }]);
  });

  it('PilotTerminated carries the same hand-off and its reasons', () => {
    spec
      .given([...history, suspended])
      .when({ type: 'TerminatePilot', data: { proposalId, reasons: ['Rủi ro vượt dự liệu'], kpiTolerance: 0.1 }, metadata: asSupervisor() })
      .then([{ type: 'PilotTerminated', data: { ...end, reasons: ['Rủi ro vượt dự liệu'], terminatedBy: 'u-supervisor' } }]);
  });

  it('a pilot is terminated only with its reasons', () => {
    spec
      .given(history)
      .when({ type: 'TerminatePilot', data: { proposalId, reasons: [], kpiTolerance: 0.1 }, metadata: asSupervisor() })
      .thenThrows(InvalidInput);
  });
});

describe('Pilot: illegal transitions', () => {
  const completed: PilotEvent = {
    type: 'PilotCompleted',
    data: { ...handOff, kpiResults: [], milestones: [], flags: 0, openFlags: 0, completedBy: 'u-supervisor' },
  };
  const cases: [string, PilotEvent[], PilotCommand][] = [
    ['none', [], { type: 'StartPilot', data: { proposalId }, metadata: asProposer() }],
    ['planned', [planned], report()],
    ['running', [planned, started], { type: 'StartPilot', data: { proposalId }, metadata: asProposer() }],
    ['running', [planned, started], { type: 'ResumePilot', data: { proposalId, reasons: ['x'] }, metadata: asSupervisor() }],
    ['suspended', [planned, started, suspended], report()],
    ['suspended', [planned, started, suspended], { type: 'CompletePilot', data: { proposalId, kpiTolerance: 0.1 }, metadata: asSupervisor() }],
    ['completed', [planned, started, completed], { type: 'SuspendPilot', data: { proposalId, reasons: ['x'] }, metadata: asSupervisor() }],
    [
      'completed',
      [planned, started, completed],
      { type: 'FlagIssue', data: { proposalId, flagId: 'f-9', category: 'risk', description: 'x' }, metadata: asSupervisor() },
    ],
  ];

  it.each(cases.map(([from, given, command]) => [command.type, from, given, command] as const))('refuses %s from %s', (_, from, given, command) => {
    spec.given(given).when(command).thenThrows(IllegalTransition, { from, command: command.type });
  });
});

describe('Pilot: read-model helpers', () => {
  it('C14-2.4a: KPI status relative to the target, given the tolerance', () => {
    const atLeast = { target: 80, direction: 'at-least' } as const;
    expect(kpiStatus(atLeast, 72, 0.1)).toBe('on-target');
    expect(kpiStatus(atLeast, 71.9, 0.1)).toBe('off-target');
    expect(kpiStatus(atLeast, 95, 0)).toBe('on-target');
    expect(kpiStatus(atLeast, null, 0.1)).toBe('no-data');
    expect(kpiStatus({ target: 0, direction: 'at-most' }, 1, 0.5)).toBe('off-target');
    expect(kpiShortfall({ target: 3, direction: 'at-most' }, 2)).toBe(0);
  });

  it('lists overdue milestones by the local date', () => {
    const state = fold(pilotDecider, [planned, started]);
    expect(overdueMilestones(state, new Date('2026-05-01T00:00:00.000Z')).map((m) => m.id)).toEqual(['m-software']);
    expect(overdueMilestones(state, new Date('2026-04-30T12:00:00.000Z'))).toEqual([]);
    expect(localDate(new Date('2026-04-30T17:00:00.000Z'))).toBe('2026-05-01');
  });
});
