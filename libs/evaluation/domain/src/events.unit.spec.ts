import { EventRegistry, InvalidEventPayload, type PendingEvent, type RecordedEvent, fold } from '@dotpha/kernel';
import { meta } from '@dotpha/testkit';
import type { EvaluationCommand } from './commands';
import { evaluationEventDefinitions } from './definitions';
import type { EvaluationEvent } from './events';
import { evaluationDecider } from './evaluation.decider';
import type { InspectionCaseCommand } from './inspection-case.commands';
import { inspectionCaseDecider } from './inspection-case.decider';

const registry = new EventRegistry(evaluationEventDefinitions);

/** Malformed payloads included: the registry is what refuses them. */
function toPending(event: { readonly type: string; readonly data: unknown }, i: number): PendingEvent {
  return { ...event, eventId: `ev-${i}`, occurredAt: '2026-09-09T03:00:00.000Z', actor: { userId: 'u', role: 'evaluator' }, correlationId: 'c', causationId: null };
}

/** A stored event as the code before issue 11 wrote it: version 1. */
function storedV1(type: string, data: Record<string, unknown>, position = 1): RecordedEvent {
  return {
    eventId: `old-${type}`, type, version: 1, streamId: 'evaluation-p-old', streamType: 'evaluation', streamPosition: position,
    occurredAt: '2026-03-02T03:00:00.000Z', recordedAt: '2026-03-02T03:00:00.000Z', instance: 'tm', actor: { userId: 'u', role: 'evaluator' },
    correlationId: 'c', causationId: null, classification: 'public', data, hash: 'h', previousHash: 'p',
  } as unknown as RecordedEvent;
}

describe('evaluation event definitions', () => {
  const subject = { proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1' };
  const asEvaluator = meta({ role: 'evaluator', userId: 'u-evaluator', at: '2026-09-09T03:00:00.000Z' });
  const asHead = meta({ role: 'unit-head', userId: 'u-head', at: '2026-09-09T04:00:00.000Z' });
  const asInspector = meta({ role: 'inspector', userId: 'u-inspector', at: '2026-09-09T05:00:00.000Z' });
  const commands: EvaluationCommand[] = [
    {
      type: 'OpenEvaluation',
      data: {
        ...subject,
        pilot: { ending: 'terminated', kind: 'pilot', endedAt: '2026-09-01T10:00:00.000Z', kpisOnTarget: 0, kpisTotal: 1, milestonesMet: 0, milestonesTotal: 1, flags: 3 },
        people: { proposerId: 'u-proposer', coProposerIds: ['u-co'], implementerIds: [], approvingHeadId: 'u-approver' },
        reportDueBy: '2026-09-08T16:59:59.999Z',
        evaluationDueBy: '2026-09-10T16:59:59.999Z',
      },
      metadata: meta({ role: 'supervisor', userId: 'u-supervisor', at: '2026-09-01T10:05:00.000Z' }),
    },
    {
      type: 'ReportResults',
      data: { proposalId: 'p-1', report: 'Báo cáo', attachmentIds: ['d-1'], evaluationDueBy: '2026-09-11T16:59:59.999Z' },
      metadata: meta({ at: '2026-09-02T03:00:00.000Z' }),
    },
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
        collective: { unitId: 'unit-eval', headId: 'u-head', memberIds: ['u-head', 'u-deputy'] },
      },
      metadata: asEvaluator,
    },
    { type: 'CastEvaluationVote', data: { proposalId: 'p-1', vote: 'for' }, metadata: asHead },
    { type: 'CastEvaluationVote', data: { proposalId: 'p-1', vote: 'abstain' }, metadata: meta({ role: 'collective', userId: 'u-deputy', at: '2026-09-09T04:00:00.000Z' }) },
    { type: 'TallyEvaluationVote', data: { proposalId: 'p-1', closeMeeting: false, answerDueBy: '2026-09-16T16:59:59.999Z' }, metadata: asHead },
    { type: 'AnswerAssessment', data: { proposalId: 'p-1', answer: 'Tôi xin giải trình' }, metadata: meta({ at: '2026-09-10T03:00:00.000Z' }) },
    { type: 'ReferAbuse', data: { ...subject, referralId: 'r-1', grounds: ['self-interest'], description: 'Chuyển UBKT' }, metadata: asEvaluator },
    { type: 'RecordInspectionFinding', data: { proposalId: 'p-1', referralId: 'r-1', caseId: 'r-1', finding: 'substantiated', foundAt: '2026-09-11T03:00:00.000Z' }, metadata: asInspector },
    { type: 'DecideLiability', data: { proposalId: 'p-1', liability: 'upheld', reasons: ['Vụ lợi'], legalBasis: 'Nghị định 73/2023/NĐ-CP' }, metadata: asEvaluator },
    { type: 'CloseEvaluation', data: { proposalId: 'p-1' }, metadata: asEvaluator },
  ];
  const run = <S, C, E>(decider: { initialState: () => S; evolve: (s: S, e: E) => S; decide: (c: C, s: S) => readonly E[] }, list: C[]) =>
    list.reduce<{ state: S; events: E[] }>(
      ({ state, events }, command) => {
        const decided = decider.decide(command, state);
        return { state: decided.reduce(decider.evolve, state), events: [...events, ...decided] };
      },
      { state: decider.initialState(), events: [] },
    ).events;
  const life = run(evaluationDecider, commands) as EvaluationEvent[];
  const caseCommands: InspectionCaseCommand[] = [
    {
      type: 'OpenInspectionCase',
      data: { caseId: 'r-1', kind: 'abuse-referral', proposalId: 'p-1', subjectIds: ['u-proposer'], unitId: 'unit-1', grounds: ['self-interest'], description: 'Chuyển UBKT' },
      metadata: asEvaluator,
    },
    { type: 'RecordFinding', data: { caseId: 'r-1', finding: 'substantiated', reasons: ['Có căn cứ'] }, metadata: asInspector },
  ];
  const caseLife = run(inspectionCaseDecider, caseCommands);

  it('compile under the strict registry and belong to the evaluation context', () => {
    expect(registry.definitions().map((d) => d.context)).toEqual(Array(14).fill('evaluation'));
  });

  it('accept every event the deciders write over an evaluation and an inspection case', () => {
    expect(life.map((e) => e.type)).toEqual([
      'EvaluationOpened',
      'ResultsReported',
      'EvaluationPartyCommitteeConsulted',
      'AssessmentProposed',
      'EvaluationVoteRecorded',
      'EvaluationVoteRecorded',
      'EvaluationVoteTallied',
      'OutcomeAssessed',
      'AssessmentAnswered',
      'AbuseReferred',
      'ReferralFindingRecorded',
      'LiabilityDecided',
      'EvaluationClosed',
    ]);
    expect(() => registry.validateAppend(life.map(toPending))).not.toThrow();
    expect(caseLife.map((e) => e.type)).toEqual(['InspectionCaseOpened', 'InspectionFindingRecorded']);
    expect(() => registry.validateAppend(caseLife.map(toPending))).not.toThrow();
  });

  it('refuse a liability outside the published set and unknown fields', () => {
    const decided = life.find((e) => e.type === 'LiabilityDecided')!;
    expect(() => registry.validateAppend([toPending({ ...decided, data: { ...decided.data, liability: 'forgiven' } }, 0)])).toThrow(
      InvalidEventPayload,
    );
    expect(() => registry.validateAppend([toPending({ ...decided, data: { ...decided.data, note: 'x' } }, 0)])).toThrow(
      InvalidEventPayload,
    );
  });

  it('mark free-text assessments of a person, answers and who reported as restricted', () => {
    const restricted = Object.fromEntries(evaluationEventDefinitions.map((d) => [d.type, 'restricted' in d ? d.restricted : []]));
    expect(restricted).toMatchObject({
      EvaluationPartyCommitteeConsulted: ['summary'],
      AssessmentProposed: ['assessment', 'causes'],
      OutcomeAssessed: ['assessment', 'causes'],
      AssessmentAnswered: ['answer'],
      LiabilityDecided: ['reasons'],
      AbuseReferred: ['description'],
      InspectionCaseOpened: ['description', 'reporterId'],
      InspectionFindingRecorded: ['reasons'],
    });
  });
});

/** Payloads exactly as the evaluation code before issue 11 wrote them (version 1). */
describe('evaluation events written before issue 11 stay readable (upcasters)', () => {
  const subject = { proposalId: 'p-old', proposerId: 'u-proposer', proposerUnitId: 'unit-1' };
  const openedV1 = storedV1('EvaluationOpened', {
    ...subject,
    pilot: { ending: 'completed', kind: 'pilot', endedAt: '2026-03-02T03:00:00.000Z', kpisOnTarget: 1, kpisTotal: 1, milestonesMet: 1, milestonesTotal: 1, flags: 0 },
    reportDueBy: '2026-03-09T16:59:59.999Z',
    evaluationDueBy: '2026-03-18T16:59:59.999Z',
    partyCommitteeConsultationRequired: false,
    openedAt: '2026-03-02T03:05:00.000Z',
  });
  const reportedV1 = storedV1('ResultsReported', {
    proposalId: 'p-old', reportedBy: 'u-proposer', report: 'Báo cáo', attachmentIds: [], reportDueBy: '2026-03-09T16:59:59.999Z', late: false,
    reportedAt: '2026-03-04T03:00:00.000Z',
  }, 2);
  const assessedV1 = storedV1('OutcomeAssessed', {
    ...subject, outcome: 'not-achieved', notable: false, damage: { caused: false }, causes: [{ description: 'Khách quan', kind: 'objective' }],
    motive: { followedApprovedPlan: true, pureMotive: true, commonGood: true, noSelfInterest: true }, assessment: 'Đánh giá', resultsReported: true,
    evaluationDueBy: '2026-03-18T16:59:59.999Z', late: false, assessedBy: 'u-evaluator', assessedAt: '2026-03-05T03:00:00.000Z',
  }, 3);
  const decidedV1 = (liability: string) => storedV1('LiabilityDecided', {
    ...subject, liability, reasons: ['Theo đánh giá'], outcome: 'not-achieved', damageCaused: false, decidedBy: 'u-evaluator', decidedAt: '2026-03-05T04:00:00.000Z',
  }, 4);
  const closedV1 = storedV1('EvaluationClosed', {
    ...subject, outcome: 'not-achieved', notable: false, liability: 'upheld', abuseReferred: true, closedBy: 'u-evaluator', closedAt: '2026-03-06T03:00:00.000Z',
  }, 5);
  const upcast = (e: RecordedEvent) => registry.upcast(e);
  const valid = (e: RecordedEvent) => expect(() => registry.validateAppend([toPending(upcast(e), 0)])).not.toThrow();

  it('D73-10b: EvaluationOpened v1 names the proposer alone as the people of the plan', () => {
    expect(upcast(openedV1)).toMatchObject({
      version: 2,
      data: { people: { proposerId: 'u-proposer', coProposerIds: [], implementerIds: [], approvingHeadId: null }, partyCommitteeConsultationRequired: false },
    });
    valid(openedV1);
  });

  it('D73-eval: ResultsReported v1 leaves the evaluation due as opening set it', () => {
    expect(upcast(reportedV1)).toMatchObject({ version: 2, data: { evaluationDueBy: null } });
    valid(reportedV1);
  });

  it('C14-2.4f: OutcomeAssessed v1 was assessed alone with no window to answer', () => {
    expect(upcast(assessedV1)).toMatchObject({ version: 2, data: { round: null, answerDueBy: '2026-03-05T03:00:00.000Z' } });
    valid(assessedV1);
  });

  it('D73-2 / D73-10b: LiabilityDecided v1 protected the proposer alone, under Conclusion 14', () => {
    expect(upcast(decidedV1('excluded')).data).toMatchObject({ legalBasis: 'Kết luận 14-KL/TW', protectedPersonIds: ['u-proposer'] });
    expect(upcast(decidedV1('upheld')).data).toMatchObject({ protectedPersonIds: [] });
    valid(decidedV1('excluded'));
  });

  it('C14-2.4e: EvaluationClosed v1 took every referral as proven', () => {
    expect(upcast(closedV1)).toMatchObject({ version: 2, data: { abuseReferred: true, abuseSubstantiated: true } });
    valid(closedV1);
  });

  it('an old stream folds and goes on: liability is decided at once on a v1 assessment', () => {
    const state = fold(evaluationDecider, [openedV1, reportedV1, assessedV1].map(upcast) as unknown as EvaluationEvent[]);
    expect(state.schedule?.evaluationDueBy).toBe('2026-03-18T16:59:59.999Z');
    const [event] = evaluationDecider.decide(
      { type: 'DecideLiability', data: { proposalId: 'p-old', liability: 'excluded', reasons: ['x'], legalBasis: 'Kết luận 14-KL/TW' }, metadata: meta({ role: 'evaluator', userId: 'u-evaluator', at: '2026-03-05T05:00:00.000Z' }) },
      state,
    );
    expect(event.data).toMatchObject({ liability: 'excluded', protectedPersonIds: ['u-proposer'] });
  });
});
