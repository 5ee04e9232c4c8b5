import { InvalidInput, fold } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { CadreRecordCommand, RecordedLiability } from './commands';
import type { CadreRecordEvent } from './events';
import { cadreRecordDecider } from './cadre-record.decider';

const spec = DeciderSpecification.for(cadreRecordDecider);
const cadre = { proposerId: 'u-proposer', proposerUnitId: 'unit-ward' } as const;
const T0 = '2026-03-02T08:00:00.000Z';
const DECIDED = '2026-02-20T08:00:00.000Z';
const asEvaluator = meta({ role: 'evaluator', userId: 'u-evaluator' });

const recordLiability = (liability: RecordedLiability, decidedAt = DECIDED, proposalId = 'p-1'): CadreRecordCommand => ({
  type: 'RecordLiability',
  data: { ...cadre, proposalId, liability, decidedAt },
  metadata: asEvaluator,
});
const liabilityRecorded = (liability: RecordedLiability, decidedAt = DECIDED, proposalId = 'p-1'): CadreRecordEvent => ({
  type: 'LiabilityRecorded',
  data: { userId: 'u-proposer', proposalId, proposerUnitId: 'unit-ward', unitId: 'unit-ward', as: 'proposer', liability, decidedAt, recordedAt: T0 },
});
const recordReferral: CadreRecordCommand = {
  type: 'RecordAbuseReferral',
  data: { ...cadre, proposalId: 'p-1', grounds: ['self-interest'], referredAt: '2026-02-25T08:00:00.000Z' },
  metadata: meta({ role: 'inspector', userId: 'u-inspector' }),
};
const recordRecognition: CadreRecordCommand = {
  type: 'RecordRecognition',
  data: { ...cadre, proposalId: 'p-2', awards: { bonusPoints: 3, planningPriority: true }, grantedAt: DECIDED },
  metadata: meta({ role: 'organization-office', userId: 'u-office' }),
};
const recognitionRecorded: CadreRecordEvent = {
  type: 'RecognitionRecorded',
  data: { userId: 'u-proposer', proposalId: 'p-2', proposerUnitId: 'unit-ward', unitId: 'unit-ward', as: 'proposer', awards: { bonusPoints: 3, planningPriority: true }, grantedAt: DECIDED, recordedAt: T0 },
};

describe('Cadre record', () => {
  it('D73-11: the record shows each liability decision, the protection included', () => {
    spec.given([]).when(recordLiability('excluded')).then([liabilityRecorded('excluded')]);
  });

  it('D73-11: the same decision delivered twice is recorded once', () => {
    spec.given([liabilityRecorded('excluded')]).when(recordLiability('excluded')).then([]);
  });

  it('C14-2.4d: a later decision on the same proposal, upheld after a referral, is kept beside the first', () => {
    const later = '2026-02-28T08:00:00.000Z';
    spec.given([liabilityRecorded('excluded')]).when(recordLiability('upheld', later)).then([liabilityRecorded('upheld', later)]);
  });

  it('C14-2.4d: an abuse referral appears on the record, once', () => {
    const referralRecorded: CadreRecordEvent = {
      type: 'AbuseReferralRecorded',
      data: { userId: 'u-proposer', proposalId: 'p-1', proposerUnitId: 'unit-ward', unitId: 'unit-ward', as: 'proposer', grounds: ['self-interest'], referredAt: '2026-02-25T08:00:00.000Z', recordedAt: T0 },
    };
    spec.given([liabilityRecorded('upheld')]).when(recordReferral).then([referralRecorded]);
    spec.given([referralRecorded]).when(recordReferral).then([]);
  });

  it('C14-2.5c: a granted recognition appears on the record, once', () => {
    spec.given([liabilityRecorded('none')]).when(recordRecognition).then([recognitionRecorded]);
    spec.given([recognitionRecorded]).when(recordRecognition).then([]);
  });

  it('keeps facts from every proposal of the cadre, in order', () => {
    const state = fold(cadreRecordDecider, [liabilityRecorded('excluded'), recognitionRecorded, liabilityRecorded('none', DECIDED, 'p-3')]);
    expect(state.userId).toBe('u-proposer');
    expect(state.entries.map((e) => `${e.kind}:${e.proposalId}`)).toEqual(['liability:p-1', 'recognition:p-2', 'liability:p-3']);
  });

  it('D73-10b: an implementer named on the plan has the recognition on their own record, in their own unit', () => {
    spec
      .given([])
      .when({ ...recordRecognition, data: { ...recordRecognition.data, holder: { userId: 'u-impl', unitId: 'unit-impl', as: 'implementer' } } })
      .then([{ ...recognitionRecorded, data: { ...recognitionRecorded.data, userId: 'u-impl', unitId: 'unit-impl', as: 'implementer' } } as CadreRecordEvent]);
  });

  it("D73-10b: a protected co-proposer's record shows the liability decision of the proposal", () => {
    const command = recordLiability('excluded');
    spec
      .given([])
      .when({ ...command, data: { ...command.data, holder: { userId: 'u-co', unitId: 'unit-co', as: 'co-proposer' } } } as CadreRecordCommand)
      .then([{ ...liabilityRecorded('excluded'), data: { ...liabilityRecorded('excluded').data, userId: 'u-co', unitId: 'unit-co', as: 'co-proposer' } } as CadreRecordEvent]);
  });

  it("refuses a fact about another cadre on this cadre's record", () => {
    spec
      .given([liabilityRecorded('excluded')])
      .when({
        type: 'RecordLiability',
        data: { proposerId: 'u-other', proposerUnitId: 'unit-ward', proposalId: 'p-9', liability: 'none', decidedAt: DECIDED },
        metadata: asEvaluator,
      })
      .thenThrows(InvalidInput);
  });
});
