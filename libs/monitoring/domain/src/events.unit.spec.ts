import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { EventRegistry, InvalidEventPayload } from '@dotpha/kernel';
import { meta } from '@dotpha/testkit';
import type { PilotCommand } from './commands';
import type { PilotEvent } from './events';
import { monitoringEventDefinitions } from './events';
import { pilotDecider } from './pilot.decider';

const registry = new EventRegistry(monitoringEventDefinitions);
const pending = (events: readonly PilotEvent[]) =>
  events.map((e, i) => ({ ...e, eventId: `e-${i}`, occurredAt: '2026-03-02T08:00:00.000Z', actor: { userId: 'u', role: 'supervisor' }, correlationId: 'c', causationId: null }));

/** Runs commands in order, returning every event decided: the whole life of one pilot. */
function run(commands: readonly PilotCommand[]): PilotEvent[] {
  const events: PilotEvent[] = [];
  let state = pilotDecider.initialState();
  for (const command of commands) {
    for (const event of pilotDecider.decide(command, state)) {
      events.push(event);
      state = pilotDecider.evolve(state, event);
    }
  }
  return events;
}

describe('monitoring event definitions', () => {
  const proposalId = 'p-1';
  const sup = meta({ role: 'supervisor', userId: 'u-supervisor', at: '2026-05-05T03:00:00.000Z' });
  const life = run([
    {
      type: 'PlanPilot',
      data: {
        proposalId,
        proposerId: 'u-proposer',
        proposerUnitId: 'unit-1',
        kind: 'pilot',
        plan: {
          scope: 'Phường A',
          startDate: '2026-03-01',
          endDate: '2026-08-31',
          kpis: [{ id: 'k-1', name: 'Tỷ lệ trực tuyến', unit: '%', target: 80, direction: 'at-least' }],
          milestones: [{ id: 'm-1', name: 'Vận hành', dueDate: '2026-04-30' }],
          resources: [{ kind: 'people', description: 'Hai cán bộ' }],
          supervisorId: 'u-supervisor',
        },
        people: { proposerId: 'u-proposer', coProposerIds: ['u-co'], implementerIds: [], approvingHeadId: 'u-authority' },
        legalBasis: 'Kết luận 14-KL/TW',
      },
      metadata: meta({ role: 'authority', userId: 'u-authority' }),
    },
    { type: 'StartPilot', data: { proposalId }, metadata: meta() },
    {
      type: 'ReportProgress',
      data: { proposalId, reportId: 'r-1', kpiValues: [{ kpiId: 'k-1', value: 40 }], milestonesMet: [], narrative: 'Chậm', kpiTolerance: 0.1 },
      metadata: meta({ at: '2026-05-05T03:00:00.000Z' }),
    },
    { type: 'RecordCheck', data: { proposalId, checkId: 'c-1', findings: 'Thiếu người', resolvesFlagIds: ['r-1/kpi:k-1'] }, metadata: sup },
    { type: 'FlagIssue', data: { proposalId, flagId: 'f-1', category: 'damage', description: 'Mất dữ liệu' }, metadata: sup },
    { type: 'ProvideSupport', data: { proposalId, supportId: 's-1', kind: 'guidance', description: 'Hướng dẫn', resolvesFlagIds: ['f-1'] }, metadata: sup },
    {
      type: 'AdjustPilot',
      data: { proposalId, adjustmentId: 'a-1', reasons: ['Chậm'], changes: { milestoneDueDates: [{ milestoneId: 'm-1', dueDate: '2026-06-30' }] } },
      metadata: sup,
    },
    { type: 'SuspendPilot', data: { proposalId, reasons: ['Tạm dừng'] }, metadata: sup },
    { type: 'ResumePilot', data: { proposalId, reasons: ['Tiếp tục'] }, metadata: sup },
    { type: 'CompletePilot', data: { proposalId, kpiTolerance: 0.1 }, metadata: sup },
  ]);

  it('compile under the strict registry and belong to the monitoring context', () => {
    expect(registry.definitions()).toHaveLength(11);
    for (const d of monitoringEventDefinitions) expect(d.context).toBe('monitoring');
  });

  it('accept every event the decider writes over a pilot life', () => {
    expect(new Set(life.map((e) => e.type)).size).toBe(10);
    expect(() => registry.validateAppend(pending(life))).not.toThrow();
  });

  it('refuse unknown fields and unbounded text', () => {
    const planned = life[0] as Extract<PilotEvent, { type: 'PilotPlanned' }>;
    const withExtra = { ...planned, data: { ...planned.data, extra: 1 } };
    expect(() => registry.validateAppend(pending([withExtra]))).toThrow(InvalidEventPayload);
    const withLongScope = { ...planned, data: { ...planned.data, scope: 'x'.repeat(5000) } };
    expect(() => registry.validateAppend(pending([withLongScope]))).toThrow(InvalidEventPayload);
  });

  it('mark personal free text as restricted', () => {
    const restricted = Object.fromEntries(monitoringEventDefinitions.map((d) => [d.type, 'restricted' in d ? d.restricted : []]));
    expect(restricted).toMatchObject({ SupervisionCheckRecorded: ['findings'], IssueFlagged: ['description'], PilotTerminated: ['reasons'] });
  });
});

describe('monitoring events written before D73-10b', () => {
  const stored = (type: string, data: Record<string, unknown>) =>
    registry.upcast({
      eventId: 'e', type, version: 1, streamId: 'pilot-p-1', streamType: 'pilot', streamPosition: 1, occurredAt: '', recordedAt: '',
      instance: 'tm', actor: { userId: 'u', role: 'supervisor' }, correlationId: 'c', causationId: null, classification: 'public',
      data, prevHash: '', hash: '',
    } as never) as unknown as { version: number; data: Record<string, unknown> };
  const noOneElse = { proposerId: 'u-proposer', coProposerIds: [], implementerIds: [], approvingHeadId: null };

  it('D73-10b, D73-2: a version 1 PilotPlanned, PilotCompleted or PilotTerminated reads with the proposer alone and the all-staff basis', () => {
    const planned = {
      proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1', kind: 'pilot', scope: 'Phường A', startDate: '2026-03-01',
      endDate: '2026-08-31', kpis: [], milestones: [], resources: [], supervisorId: 'u-supervisor', plannedAt: '2026-03-01T00:00:00.000Z',
    };
    const end = {
      proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1', kind: 'pilot', supervisorId: 'u-supervisor',
      endedAt: '2026-09-01T00:00:00.000Z', kpiTolerance: 0.1, kpiResults: [], milestones: [], flags: 0, openFlags: 0,
    };
    const basis = DEFAULT_LEGAL_BASIS['all-staff'];
    expect(stored('PilotPlanned', planned)).toEqual(expect.objectContaining({ version: 2, data: { ...planned, people: noOneElse, legalBasis: basis } }));
    expect(stored('PilotCompleted', { ...end, completedBy: 'u-supervisor' }).data.people).toEqual(noOneElse);
    expect(stored('PilotTerminated', { ...end, reasons: ['Dừng'], terminatedBy: 'u-supervisor' })).toMatchObject({ version: 2, data: { people: noOneElse } });
    // The decider folds the upcast history as before.
    const state = pilotDecider.evolve(pilotDecider.initialState(), stored('PilotPlanned', planned) as unknown as PilotEvent);
    expect(state).toMatchObject({ status: 'planned', pilot: { people: noOneElse } });
  });
});
