import { type Decider, type DomainEvent, EventRegistry, InvalidEventPayload, type PendingEvent, type RecordedEvent } from '@dotpha/kernel';
import { meta } from '@dotpha/testkit';
import { REPORT_FIGURES, type RecognitionEvent, cadreRecordDecider, periodicReportDecider, recognitionDecider, rewardsEventDefinitions } from './index';

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
  const inspector = meta({ role: 'inspector', userId: 'u-inspector' });
  const referral = { referralId: 'ref-1', caseId: 'ref-1' };
  const referral2 = { referralId: 'ref-2', caseId: 'ref-2' };
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
    { type: 'RecordAbuseReferral', data: { ...subject, ...referral, grounds: ['negativity'], referredAt: '2026-03-01T08:00:00.000Z' }, metadata: office },
    { type: 'RecordReferralFinding', data: { proposalId: 'p-1', caseId: 'ref-1', finding: 'dismissed', foundAt: '2026-03-02T07:00:00.000Z' }, metadata: inspector },
    { type: 'RecordAbuseReferral', data: { ...subject, ...referral2, grounds: ['corruption'], referredAt: '2026-03-01T09:00:00.000Z' }, metadata: office },
    { type: 'RecordReferralFinding', data: { proposalId: 'p-1', caseId: 'ref-2', finding: 'substantiated', foundAt: '2026-03-02T07:00:00.000Z' }, metadata: inspector },
  ]);
  const record = decideAll(cadreRecordDecider, [
    { type: 'RecordLiability', data: { ...subject, liability: 'reduced', decidedAt: '2026-02-01T08:00:00.000Z' }, metadata: office },
    { type: 'RecordAbuseReferral', data: { ...subject, ...referral, grounds: ['negativity'], referredAt: '2026-03-01T08:00:00.000Z' }, metadata: office },
    { type: 'RecordReferralFinding', data: { proposalId: 'p-1', caseId: 'ref-1', finding: 'dismissed', foundAt: '2026-03-02T07:00:00.000Z', holderId: 'u-proposer' }, metadata: inspector },
    { type: 'RecordRecognition', data: { ...subject, awards, grantedAt: '2026-02-10T08:00:00.000Z' }, metadata: office },
  ]);

  const report = decideAll(periodicReportDecider, [
    {
      type: 'SendPeriodicReport',
      data: {
        unitId: 'unit-1',
        period: { label: 'H1-2026', from: '2026-01-01', to: '2026-06-30' },
        field: null,
        recipients: { partyCommittee: { unitId: 'unit-party', headId: 'u-secretary' }, organizationOfficeIds: ['u-office'] },
        figures: Object.fromEntries(REPORT_FIGURES.map((f) => [f, 1])) as never,
      },
      metadata: office,
    },
  ]);

  it('compile under the strict registry, in the rewards context', () => {
    expect(registry.definitions().map((d) => d.context)).toEqual(Array(14).fill('rewards'));
  });

  it('accept every event the deciders write', () => {
    expect(recognition.map((e) => e.type)).toEqual([
      'RecognitionRecommended', 'RecognitionGranted', 'ReplicationRecommended', 'InstitutionalizationProposed',
      'RecognitionBarred', 'RecognitionBarLifted', 'RecognitionBarred', 'RecognitionBarConfirmed',
    ]);
    expect(record.map((e) => e.type)).toEqual(['LiabilityRecorded', 'AbuseReferralRecorded', 'AbuseReferralFindingRecorded', 'RecognitionRecorded']);
    expect(report).toHaveLength(1);
    expect(() => registry.validateAppend(appended([...recognition, ...record, ...report]))).not.toThrow();
  });

  it('refuse empty awards and blank reasons', () => {
    const [, granted, replicated] = recognition;
    expect(() => registry.validateAppend(appended([{ ...granted, data: { ...granted.data, awards: {} } }]))).toThrow(InvalidEventPayload);
    expect(() => registry.validateAppend(appended([{ ...replicated, data: { ...replicated.data, reasons: [' '] } }]))).toThrow(InvalidEventPayload);
  });

  it("keep the cadre's record restricted as a whole", () => {
    const classification = Object.fromEntries(rewardsEventDefinitions.map((d) => [d.type, d.classification]));
    expect(classification).toMatchObject({
      LiabilityRecorded: 'restricted', AbuseReferralRecorded: 'restricted', AbuseReferralFindingRecorded: 'restricted', RecognitionRecorded: 'restricted',
    });
  });

  it('C14-2.4e: keep the bars and their findings off the public topics: they tell of a referral', () => {
    const classification = Object.fromEntries(rewardsEventDefinitions.map((d) => [d.type, d.classification]));
    expect(classification).toMatchObject({ RecognitionBarred: 'internal', RecognitionBarLifted: 'internal', RecognitionBarConfirmed: 'internal' });
  });
});

/** Payloads exactly as the code before D73-10b wrote them (version 1), read through the registry. */
describe('rewards events written before D73-10b (version 1)', () => {
  const stored = (type: string, data: Record<string, unknown>): RecordedEvent => ({
    eventId: 'e-1', type, version: 1, data, streamId: 's-1', streamType: 's', streamPosition: 1, occurredAt: '2026-02-01T08:00:00.000Z',
    recordedAt: '2026-02-01T08:00:00.000Z', actor: { userId: 'u', role: 'organization-office' }, correlationId: 'c', causationId: null,
    instance: 'tm', classification: 'public', prevHash: '0', hash: '1',
  });
  const alone = { proposerId: 'u-proposer', coProposerIds: [], implementerIds: [], approvingHeadId: null };
  const v1Entry = { userId: 'u-proposer', proposalId: 'p-1', proposerUnitId: 'unit-1', recordedAt: '2026-02-01T08:00:00.000Z' };

  it('D73-10b: a version 1 recommendation and grant name the proposer alone', () => {
    const recommendedV1 = stored('RecognitionRecommended', {
      proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1', outcome: 'achieved', notable: false, recommendedAt: '2026-02-01T08:00:00.000Z',
    });
    const grantedV1 = stored('RecognitionGranted', {
      proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1', awards: { bonusPoints: 2 },
      proportionality: { scale: 'unit', effectiveness: 'high', influence: 'unit', justification: 'x' }, grantedBy: 'u-office', grantedAt: '2026-02-01T08:00:00.000Z',
    });
    for (const old of [recommendedV1, grantedV1]) {
      const read = registry.upcast(old);
      expect(read).toMatchObject({ version: 2, data: { ...(old.data as object), people: alone } });
      expect(() => registry.validateAppend(appended([read]))).not.toThrow();
    }
  });

  it.each([
    ['LiabilityRecorded', { liability: 'excluded', decidedAt: '2026-02-01T08:00:00.000Z' }, {}],
    // Read on to version 3 (C14-2.4e): no referral or case was named.
    ['AbuseReferralRecorded', { grounds: ['negativity'], referredAt: '2026-02-01T08:00:00.000Z' }, { referralId: null, caseId: null }],
    ['RecognitionRecorded', { awards: { bonusPoints: 2 }, grantedAt: '2026-02-01T08:00:00.000Z' }, {}],
  ])("D73-10b: a version 1 %s is the proposer's own entry, in the proposal's unit", (type, fields, later) => {
    const read = registry.upcast(stored(type, { ...v1Entry, ...fields }));
    expect(read).toMatchObject({ version: registry.definition(type).version, data: { ...v1Entry, ...fields, unitId: 'unit-1', as: 'proposer', ...later } });
    expect(() => registry.validateAppend(appended([read]))).not.toThrow();
  });
});

/** Payloads exactly as the code before C14-2.4e wrote them, read through the registry. */
describe('rewards events written before C14-2.4e (referrals as findings)', () => {
  const stored = (type: string, version: number, data: Record<string, unknown>): RecordedEvent => ({
    eventId: 'e-1', type, version, data, streamId: 's-1', streamType: 's', streamPosition: 1, occurredAt: '2026-02-01T08:00:00.000Z',
    recordedAt: '2026-02-01T08:00:00.000Z', actor: { userId: 'u', role: 'evaluator' }, correlationId: 'c', causationId: null,
    instance: 'tm', classification: 'internal', prevHash: '0', hash: '1',
  });
  const oldBar = {
    proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1', grounds: ['self-interest'], referredAt: '2026-02-01T08:00:00.000Z',
    afterGrant: false, barredAt: '2026-02-01T09:00:00.000Z',
  };

  it('C14-2.4e: a version 1 RecognitionBarred reads as a bar naming no referral or case, and a dismissed finding on its case lifts it', () => {
    const read = registry.upcast(stored('RecognitionBarred', 1, oldBar));
    expect(read).toMatchObject({ version: 2, data: { ...oldBar, referralId: null, caseId: null } });
    expect(() => registry.validateAppend(appended([read]))).not.toThrow();
    const state = [read as unknown as RecognitionEvent].reduce(recognitionDecider.evolve, recognitionDecider.initialState());
    expect(state).toMatchObject({ barred: true, referrals: [{ referralId: null, caseId: null, finding: null }] });
    const lifted = recognitionDecider.decide(
      { type: 'RecordReferralFinding', data: { proposalId: 'p-1', caseId: 'case-old', finding: 'dismissed', foundAt: '2026-02-03T08:00:00.000Z' }, metadata: meta({ role: 'inspector' }) },
      state,
    );
    expect(lifted).toMatchObject([{ type: 'RecognitionBarLifted', data: { referralId: null, caseId: 'case-old', stillBarred: false } }]);
    expect(lifted.reduce(recognitionDecider.evolve, state).barred).toBe(false);
  });

  it('C14-2.4e: a version 2 AbuseReferralRecorded (D73-10b entry, no case) reads as version 3 naming no referral or case', () => {
    const v2 = { userId: 'u-co', proposalId: 'p-1', proposerUnitId: 'unit-1', unitId: 'unit-2', as: 'co-proposer', grounds: ['corruption'], referredAt: '2026-02-01T08:00:00.000Z', recordedAt: '2026-02-01T08:00:00.000Z' };
    const read = registry.upcast(stored('AbuseReferralRecorded', 2, v2));
    expect(read).toMatchObject({ version: 3, data: { ...v2, referralId: null, caseId: null } });
    expect(() => registry.validateAppend(appended([read]))).not.toThrow();
  });
});
