import { type Decider, type DomainEvent, EventRegistry, InvalidEventPayload, type PendingEvent } from '@dotpha/kernel';
import { meta } from '@dotpha/testkit';
import { cadreRecordDecider, recognitionDecider, rewardsEventDefinitions } from './index';

const registry = new EventRegistry(rewardsEventDefinitions);

/** Any payload, malformed ones included: refusing them is the registry's job. */
function appended(events: readonly { readonly type: string; readonly data: unknown }[]): PendingEvent[] {
  return events.map((e, i) => ({ ...e, eventId: `rw-${i}`, occurredAt: '2026-03-02T08:00:00.000Z', actor: { userId: 'u', role: 'organization-office' }, correlationId: 'c', causationId: null }));
}

function decideAll<S, C, E extends DomainEvent>(decider: Decider<S, C, E>, commands: readonly C[]): E[] {
  let state = decider.initialState();
  const events: E[] = [];
  for (const command of commands) {
    const decided = decider.decide(command, state);
    events.push(...decided);
    state = decided.reduce(decider.evolve, state);
  }
  return events;
}

describe('rewards event definitions', () => {
  const subject = { proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1' };
  const office = meta({ role: 'organization-office', userId: 'u-office' });
  const awards = { commendation: { level: 'praise', form: 'Giấy khen' }, bonusPoints: 2, salaryStepEarlyMonths: 12 } as const;
  const recognition = decideAll(recognitionDecider, [
    { type: 'RecommendRecognition', data: { ...subject, outcome: 'achieved', notable: true, noSelfInterest: true }, metadata: meta({ role: 'evaluator', userId: 'u-e' }) },
    {
      type: 'GrantRecognition',
      data: { proposalId: 'p-1', awards, proportionality: { scale: 'unit', effectiveness: 'outstanding', influence: 'national', justification: 'Lan tỏa' } },
      metadata: office,
    },
    {
      type: 'RecommendReplication',
      data: { proposalId: 'p-1', replicationId: 'r-1', targetUnitIds: [], reviewPeriod: '2026', reasons: ['Hiệu quả'] },
      metadata: office,
    },
    {
      type: 'ProposeInstitutionalization',
      data: { proposalId: 'p-1', institutionalizationId: 'i-1', level: 'central', addressedTo: 'Chính phủ', instrument: 'Nghị định', reasons: ['Thành công'] },
      metadata: office,
    },
    { type: 'RecordAbuseReferral', data: { ...subject, grounds: ['negativity'], referredAt: '2026-03-01T08:00:00.000Z' }, metadata: office },
  ]);
  const record = decideAll(cadreRecordDecider, [
    { type: 'RecordLiability', data: { ...subject, liability: 'reduced', decidedAt: '2026-02-01T08:00:00.000Z' }, metadata: office },
    { type: 'RecordAbuseReferral', data: { ...subject, grounds: ['negativity'], referredAt: '2026-03-01T08:00:00.000Z' }, metadata: office },
    { type: 'RecordRecognition', data: { ...subject, awards, grantedAt: '2026-02-10T08:00:00.000Z' }, metadata: office },
  ]);

  it('compile under the strict registry, in the rewards context', () => {
    expect(registry.definitions().map((d) => d.context)).toEqual(Array(9).fill('rewards'));
  });

  it('accept every event both deciders write', () => {
    expect(recognition).toHaveLength(5);
    expect(record).toHaveLength(3);
    expect(() => registry.validateAppend(appended([...recognition, ...record]))).not.toThrow();
  });

  it('refuse empty awards and blank reasons', () => {
    const [, granted, replicated] = recognition;
    expect(() => registry.validateAppend(appended([{ ...granted, data: { ...granted.data, awards: {} } }]))).toThrow(InvalidEventPayload);
    expect(() => registry.validateAppend(appended([{ ...replicated, data: { ...replicated.data, reasons: [' '] } }]))).toThrow(InvalidEventPayload);
  });

  it("keep the cadre's record restricted as a whole", () => {
    const classification = Object.fromEntries(rewardsEventDefinitions.map((d) => [d.type, d.classification]));
    expect(classification).toMatchObject({ LiabilityRecorded: 'restricted', AbuseReferralRecorded: 'restricted', RecognitionRecorded: 'restricted' });
  });
});
