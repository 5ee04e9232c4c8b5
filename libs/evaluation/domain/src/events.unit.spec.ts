import { EventRegistry, InvalidEventPayload, type PendingEvent } from '@dotpha/kernel';
import { meta } from '@dotpha/testkit';
import type { EvaluationCommand } from './commands';
import { type EvaluationEvent, evaluationEventDefinitions } from './events';
import { evaluationDecider } from './evaluation.decider';

const registry = new EventRegistry(evaluationEventDefinitions);

/** Malformed payloads included: the registry is what refuses them. */
function toPending(event: { readonly type: string; readonly data: unknown }, i: number): PendingEvent {
  return { ...event, eventId: `ev-${i}`, occurredAt: '2026-09-09T03:00:00.000Z', actor: { userId: 'u', role: 'evaluator' }, correlationId: 'c', causationId: null };
}

describe('evaluation event definitions', () => {
  const subject = { proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1' };
  const asEvaluator = meta({ role: 'evaluator', userId: 'u-evaluator', at: '2026-09-09T03:00:00.000Z' });
  const commands: EvaluationCommand[] = [
    {
      type: 'OpenEvaluation',
      data: {
        ...subject,
        pilot: { ending: 'terminated', kind: 'pilot', endedAt: '2026-09-01T10:00:00.000Z', kpisOnTarget: 0, kpisTotal: 1, milestonesMet: 0, milestonesTotal: 1, flags: 3 },
        reportDueBy: '2026-09-08T16:59:59.999Z',
        evaluationDueBy: '2026-09-10T16:59:59.999Z',
        partyCommitteeConsultationRequired: true,
      },
      metadata: meta({ role: 'supervisor', userId: 'u-supervisor', at: '2026-09-01T10:05:00.000Z' }),
    },
    { type: 'ReportResults', data: { proposalId: 'p-1', report: 'Báo cáo', attachmentIds: ['d-1'] }, metadata: meta({ at: '2026-09-02T03:00:00.000Z' }) },
    {
      type: 'ConsultPartyCommittee',
      data: { proposalId: 'p-1', committeeUnitId: 'unit-party', opinion: 'has-reservations', summary: 'Ý kiến' },
      metadata: asEvaluator,
    },
    {
      type: 'AssessOutcome',
      data: {
        proposalId: 'p-1',
        outcome: 'not-achieved',
        notable: false,
        damage: { caused: true, estimate: 10_000_000, description: 'Chi phí' },
        causes: [{ description: 'Vụ lợi', kind: 'subjective' }],
        motive: { followedApprovedPlan: true, pureMotive: false, commonGood: true, noSelfInterest: false },
        assessment: 'Đánh giá',
      },
      metadata: asEvaluator,
    },
    { type: 'ReferAbuse', data: { ...subject, referralId: 'r-1', grounds: ['self-interest'], description: 'Chuyển UBKT' }, metadata: asEvaluator },
    { type: 'DecideLiability', data: { proposalId: 'p-1', liability: 'upheld', reasons: ['Vụ lợi'] }, metadata: asEvaluator },
    { type: 'CloseEvaluation', data: { proposalId: 'p-1' }, metadata: asEvaluator },
  ];
  const life = commands.reduce<{ state: ReturnType<typeof evaluationDecider.initialState>; events: EvaluationEvent[] }>(
    ({ state, events }, command) => {
      const decided = evaluationDecider.decide(command, state);
      return { state: decided.reduce(evaluationDecider.evolve, state), events: [...events, ...decided] };
    },
    { state: evaluationDecider.initialState(), events: [] },
  ).events;

  it('compile under the strict registry and belong to the evaluation context', () => {
    expect(registry.definitions().map((d) => d.context)).toEqual(Array(7).fill('evaluation'));
  });

  it('accept every event the decider writes over an evaluation', () => {
    expect(life.map((e) => e.type)).toEqual([
      'EvaluationOpened',
      'ResultsReported',
      'EvaluationPartyCommitteeConsulted',
      'OutcomeAssessed',
      'AbuseReferred',
      'LiabilityDecided',
      'EvaluationClosed',
    ]);
    expect(() => registry.validateAppend(life.map(toPending))).not.toThrow();
  });

  it('refuse a liability outside the published set and unknown fields', () => {
    const decided = life[5];
    expect(() => registry.validateAppend([toPending({ ...decided, data: { ...decided.data, liability: 'forgiven' } }, 0)])).toThrow(
      InvalidEventPayload,
    );
    expect(() => registry.validateAppend([toPending({ ...decided, data: { ...decided.data, note: 'x' } }, 0)])).toThrow(
      InvalidEventPayload,
    );
  });

  it('mark free-text assessments of a person as restricted', () => {
    const restricted = Object.fromEntries(evaluationEventDefinitions.map((d) => [d.type, 'restricted' in d ? d.restricted : []]));
    expect(restricted).toMatchObject({
      EvaluationPartyCommitteeConsulted: ['summary'],
      OutcomeAssessed: ['assessment', 'causes'],
      LiabilityDecided: ['reasons'],
      AbuseReferred: ['description'],
    });
  });
});
