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
const REFERRED = '2026-02-25T08:00:00.000Z';
const FOUND = '2026-02-27T08:00:00.000Z';
const asInspector = meta({ role: 'inspector', userId: 'u-inspector' });
const recordReferralOf = (referralId: string): CadreRecordCommand => ({
  type: 'RecordAbuseReferral',
  data: { ...cadre, proposalId: 'p-1', referralId, caseId: referralId, grounds: ['self-interest'], referredAt: REFERRED },
  metadata: asInspector,
});
const recordReferral = recordReferralOf('ref-1');
const referralRecordedOf = (referralId: string | null): CadreRecordEvent => ({
  type: 'AbuseReferralRecorded',
  data: {
    userId: 'u-proposer', proposalId: 'p-1', proposerUnitId: 'unit-ward', unitId: 'unit-ward', as: 'proposer', referralId, caseId: referralId,
    grounds: ['self-interest'], referredAt: REFERRED, recordedAt: T0,
  },
});
const referralRecorded = referralRecordedOf('ref-1');
const recordFinding = (finding: 'dismissed' | 'substantiated', caseId = 'ref-1', holderId = 'u-proposer'): CadreRecordCommand => ({
  type: 'RecordReferralFinding',
  data: { proposalId: 'p-1', caseId, finding, foundAt: FOUND, holderId },
  metadata: asInspector,
});
const findingRecorded = (finding: 'dismissed' | 'substantiated', caseId = 'ref-1', referralId: string | null = caseId): CadreRecordEvent => ({
  type: 'AbuseReferralFindingRecorded',
  data: {
    userId: 'u-proposer', proposalId: 'p-1', proposerUnitId: 'unit-ward', unitId: 'unit-ward', as: 'proposer', referralId, referredAt: REFERRED,
    caseId, finding, foundAt: FOUND, recordedAt: T0,
  },
});
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

  it('C14-2.4d, C14-2.4e: an abuse referral appears on the record, once, naming its inspection case', () => {
    spec.given([liabilityRecorded('upheld')]).when(recordReferral).then([referralRecorded]);
    spec.given([referralRecorded]).when(recordReferral).then([]);
  });

  it('C14-2.4e: two referrals of one proposal made at the same instant are two entries', () => {
    spec.given([referralRecorded]).when(recordReferralOf('ref-2')).then([referralRecordedOf('ref-2')]);
  });

  it.each(['dismissed', 'substantiated'] as const)('C14-2.4e: the referral on the record shows its finding when it comes (%s)', (finding) => {
    spec.given([referralRecorded]).when(recordFinding(finding)).then([findingRecorded(finding)]);
  });

  it('C14-2.4e: a finding is recorded once, and only beside a referral the record holds', () => {
    spec.given([referralRecorded, findingRecorded('dismissed')]).when(recordFinding('dismissed')).then([]);
    spec.given([referralRecorded]).when(recordFinding('dismissed', 'case-other-proposal')).then([]);
    spec.given([liabilityRecorded('none')]).when(recordFinding('dismissed')).then([]);
    spec.given([]).when(recordFinding('substantiated')).then([]);
  });

  it('C14-2.4e: each referral shows its own finding', () => {
    const both = [referralRecorded, referralRecordedOf('ref-2')];
    spec.given(both).when(recordFinding('substantiated', 'ref-2')).then([findingRecorded('substantiated', 'ref-2')]);
    spec.given([...both, findingRecorded('substantiated', 'ref-2')]).when(recordFinding('dismissed')).then([findingRecorded('dismissed')]);
  });

  it('C14-2.4e: a referral recorded before inspection cases (no case named) shows the finding on its case', () => {
    const old = referralRecordedOf(null);
    spec.given([old]).when(recordFinding('dismissed', 'case-old')).then([findingRecorded('dismissed', 'case-old', null)]);
    spec.given([old, findingRecorded('dismissed', 'case-old', null)]).when(recordFinding('dismissed', 'case-other')).then([]);
  });

  it("C14-2.4e: refuses a finding addressed to another cadre's record", () => {
    spec.given([referralRecorded]).when(recordFinding('dismissed', 'ref-1', 'u-other')).thenThrows(InvalidInput);
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
