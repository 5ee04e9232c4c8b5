import { Forbidden, IllegalTransition, InvalidInput, RuleViolation } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { Awards } from '../facts';
import type { GrantRecognition, RecognitionCommand, RecommendRecognition } from './commands';
import type { RecognitionEvent } from './events';
import { MAX_BONUS_POINTS, recognitionDecider } from './recognition.decider';

const spec = DeciderSpecification.for(recognitionDecider);
const subject = { proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-ward' } as const;
const { proposalId } = subject;
const T0 = '2026-03-02T08:00:00.000Z';
const office = meta({ role: 'organization-office', userId: 'u-office' });
const authority = meta({ role: 'authority', userId: 'u-authority' });
const proportionality = {
  scale: 'locality',
  effectiveness: 'high',
  influence: 'province',
  justification: 'Rút ngắn thời gian xử lý hồ sơ một nửa; nhiều phường học tập',
} as const;

const recommendCommand = (data: Partial<RecommendRecognition['data']> = {}): RecognitionCommand => ({
  type: 'RecommendRecognition',
  data: { ...subject, outcome: 'achieved', notable: false, noSelfInterest: true, ...data },
  metadata: meta({ role: 'evaluator', userId: 'u-evaluator' }),
});
const alone = { proposerId: 'u-proposer', coProposerIds: [], implementerIds: [], approvingHeadId: null };
const planPeople = { proposerId: 'u-proposer', coProposerIds: ['u-co'], implementerIds: ['u-impl-1', 'u-impl-2'], approvingHeadId: 'u-head' };
const recommended = (outcome: 'achieved' | 'partially-achieved' = 'achieved', notable = false, people: typeof planPeople | typeof alone = alone): RecognitionEvent<'RecognitionRecommended'> => ({
  type: 'RecognitionRecommended',
  data: { ...subject, outcome, notable, people, recommendedAt: T0 },
});
const REFERRED = '2026-03-01T08:00:00.000Z';
const FOUND = '2026-03-01T15:00:00.000Z';
const inspector = meta({ role: 'inspector', userId: 'u-inspector' });
/** Evaluation opens the inspection case under the referral's id (C14-2.4e). */
const referralOf = (referralId = 'ref-1'): RecognitionCommand => ({
  type: 'RecordAbuseReferral',
  data: { ...subject, referralId, caseId: referralId, grounds: ['corruption'], referredAt: REFERRED },
  metadata: inspector,
});
const referral = referralOf();
const barred = (afterGrant = false, referralId: string | null = 'ref-1'): RecognitionEvent<'RecognitionBarred'> => ({
  type: 'RecognitionBarred',
  data: { ...subject, referralId, caseId: referralId, grounds: ['corruption'], referredAt: REFERRED, afterGrant, barredAt: T0 },
});
const finding = (found: 'dismissed' | 'substantiated', caseId = 'ref-1'): RecognitionCommand => ({
  type: 'RecordReferralFinding',
  data: { proposalId, caseId, finding: found, foundAt: FOUND },
  metadata: inspector,
});
const lifted = (caseId = 'ref-1', stillBarred = false, referralId: string | null = caseId): RecognitionEvent<'RecognitionBarLifted'> => ({
  type: 'RecognitionBarLifted',
  data: { ...subject, referralId, caseId, finding: 'dismissed', foundAt: FOUND, stillBarred, liftedAt: T0 },
});
const confirmed = (caseId = 'ref-1'): RecognitionEvent<'RecognitionBarConfirmed'> => ({
  type: 'RecognitionBarConfirmed',
  data: { ...subject, referralId: caseId, caseId, finding: 'substantiated', foundAt: FOUND, stillBarred: true, confirmedAt: T0 },
});
const grantCommand = (awards: Awards, data: Partial<GrantRecognition['data']> = {}): RecognitionCommand => ({
  type: 'GrantRecognition',
  data: { proposalId, awards, proportionality, ...data },
  metadata: office,
});
const granted = (awards: Awards, people: typeof planPeople | typeof alone = alone): RecognitionEvent<'RecognitionGranted'> => ({
  type: 'RecognitionGranted',
  data: { ...subject, awards, proportionality, people, grantedBy: 'u-office', grantedAt: T0 },
});
const replicate: RecognitionCommand = {
  type: 'RecommendReplication',
  data: { proposalId, replicationId: 'rep-1', targetUnitIds: ['unit-ward-2', 'unit-ward-3'], reviewPeriod: '2026-H1', reasons: ['Hiệu quả rõ rệt'] },
  metadata: authority,
};
const replicated: RecognitionEvent<'ReplicationRecommended'> = {
  type: 'ReplicationRecommended',
  data: {
    proposalId,
    replicationId: 'rep-1',
    targetUnitIds: ['unit-ward-2', 'unit-ward-3'],
    reviewPeriod: '2026-H1',
    reasons: ['Hiệu quả rõ rệt'],
    recommendedBy: 'u-authority',
    recommendedAt: T0,
  },
};
const commendation = { level: 'reward', form: 'Bằng khen của Chủ tịch UBND tỉnh' } as const;

describe('Recognition: recommendation (C14-2.5c)', () => {
  it('C14-2.5c: an achieved outcome is recommended for recognition', () => {
    spec.given([]).when(recommendCommand()).then([recommended()]);
  });

  it('C14-2.5c: a notable partial outcome is recommended for recognition', () => {
    spec.given([]).when(recommendCommand({ outcome: 'partially-achieved', notable: true })).then([recommended('partially-achieved', true)]);
  });

  it.each([
    ['a not-achieved outcome', { outcome: 'not-achieved', notable: true }],
    ['a partial outcome that is not notable', { outcome: 'partially-achieved', notable: false }],
  ] as const)('C14-2.5c: %s is not recommended', (_, data) => {
    spec.given([]).when(recommendCommand(data)).thenThrows(RuleViolation, { clause: 'C14-2.5c' });
  });

  it('recommends once when an assessment is corrected or delivered again', () => {
    spec.given([recommended()]).when(recommendCommand()).then([]);
  });
});

// Issue 11: an abuse referral is an allegation, not a finding. Until then any referral barred the
// recognition for good; now it suspends it while the inspection case it opened has no finding.
describe('Recognition: C14-2.4e a referral suspends it until the finding; C14-2.4d a substantiated one bars it', () => {
  it('C14-2.4e: an abuse referral suspends the recognition, naming the referral and its inspection case', () => {
    spec.given([recommended()]).when(referral).then([barred()]);
  });

  it('C14-2.4e: a suspended recognition cannot be granted or spread while the case is open', () => {
    spec.given([recommended(), barred()]).when(grantCommand({ commendation })).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
    spec.given([recommended(), barred()]).when(replicate).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
  });

  // Was 'C14-2.4d: a referral arriving before any recommendation bars it all the same', where the
  // recommendation was refused: it is now recorded (the grant is what waits) so that a dismissal
  // leaves the recognition where it would have been without the referral.
  it('C14-2.4e: a referral arriving before any recommendation suspends it all the same; the recommendation is recorded, the grant waits', () => {
    spec.given([]).when(referral).then([barred()]);
    spec.given([barred()]).when(recommendCommand()).then([recommended()]);
    spec.given([barred(), recommended()]).when(grantCommand({ commendation })).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
  });

  it('C14-2.4e: a recognition already granted is suspended and marked for review', () => {
    spec.given([recommended(), granted({ commendation })]).when(referral).then([barred(true)]);
  });

  it('C14-2.4e: a referral delivered twice bars once', () => {
    spec.given([recommended(), barred()]).when(referral).then([]);
  });

  // Wrong before issue 11: the referral barred the recognition for good, whatever the inspection found.
  it('C14-2.4e: a dismissed referral lets the grant through, as if it had not been made', () => {
    spec.given([recommended(), barred()]).when(finding('dismissed')).then([lifted()]);
    spec.given([recommended(), barred(), lifted()]).when(grantCommand({ commendation })).then([granted({ commendation })]);
    spec.given([recommended(), barred(), lifted()]).when(replicate).then([replicated]);
  });

  it('C14-2.4e: dismissed before any assessment, the recognition is recommended and granted as usual', () => {
    spec.given([barred(), lifted()]).when(recommendCommand()).then([recommended()]);
    spec.given([barred(), recommended(), lifted()]).when(grantCommand({ commendation })).then([granted({ commendation })]);
  });

  it('C14-2.4e: the outcome still decides after a dismissal: a partial outcome is only praised (D73-10c)', () => {
    spec
      .given([recommended('partially-achieved', true), barred(), lifted()])
      .when(grantCommand({ commendation, bonusPoints: 2 }))
      .thenThrows(RuleViolation, { clause: 'D73-10c' });
  });

  it('C14-2.4e: a second open referral keeps the bar until its own finding', () => {
    const both = [recommended(), barred(), barred(false, 'ref-2')];
    spec.given([recommended(), barred()]).when(referralOf('ref-2')).then([barred(false, 'ref-2')]);
    spec.given(both).when(finding('dismissed')).then([lifted('ref-1', true)]);
    spec.given([...both, lifted('ref-1', true)]).when(grantCommand({ commendation })).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
    spec.given([...both, lifted('ref-1', true)]).when(finding('dismissed', 'ref-2')).then([lifted('ref-2')]);
    spec.given([...both, lifted('ref-1', true), lifted('ref-2')]).when(grantCommand({ commendation })).then([granted({ commendation })]);
  });

  it('C14-2.4d: a substantiated referral bars the recognition for good', () => {
    const proven = [recommended(), barred(), confirmed()];
    spec.given([recommended(), barred()]).when(finding('substantiated')).then([confirmed()]);
    spec.given(proven).when(grantCommand({ commendation })).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
    spec.given(proven).when(replicate).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
    spec.given([barred(), confirmed()]).when(recommendCommand()).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
  });

  it('C14-2.4d: once a referral is substantiated, a dismissal of another one does not lift the bar', () => {
    const given = [recommended(), barred(), barred(false, 'ref-2'), confirmed('ref-2')];
    spec.given(given).when(finding('dismissed')).then([lifted('ref-1', true)]);
    spec.given([...given, lifted('ref-1', true)]).when(grantCommand({ commendation })).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
    spec.given([...given, lifted('ref-1', true)]).when(referralOf('ref-3')).then([]);
  });

  it('C14-2.4e: a finding delivered again, or on a case that never barred this recognition, changes nothing', () => {
    spec.given([recommended(), barred(), lifted()]).when(finding('dismissed')).then([]);
    spec.given([recommended(), barred(), confirmed()]).when(finding('substantiated')).then([]);
    spec.given([recommended()]).when(finding('substantiated', 'case-other')).then([]);
    spec.given([]).when(finding('dismissed')).then([]);
    spec.given([recommended(), barred(), lifted()]).when(referral).then([]);
  });

  it('C14-2.4e: a bar recorded before inspection cases (no referral named) is lifted by the dismissed finding on its case', () => {
    const old = barred(false, null);
    spec.given([recommended(), old]).when(finding('dismissed', 'case-old')).then([lifted('case-old', false, null)]);
    spec.given([recommended(), old, lifted('case-old', false, null)]).when(grantCommand({ commendation })).then([granted({ commendation })]);
  });

  it('C14-2.4d: a finding of self-interest is never recommended', () => {
    spec.given([]).when(recommendCommand({ noSelfInterest: false })).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
  });
});

describe('Recognition: granting (C14-2.5c, HCM3815-3, HP-points, D73-10)', () => {
  it('C14-2.5c: the organization office grants a commendation, recorded with its proportionality', () => {
    spec.given([recommended()]).when(grantCommand({ commendation })).then([granted({ commendation })]);
  });

  it.each([{}, { promotionPriority: false, planningPriority: false, excellentAchievement: false }])(
    'C14-2.5c: a recognition grants at least one award (%j)',
    (awards) => {
      spec.given([recommended()]).when(grantCommand(awards)).thenThrows(RuleViolation, { clause: 'C14-2.5c' });
    },
  );

  it('C14-2.5c: an innovative cadre is given priority in appointment', () => {
    spec.given([recommended()]).when(grantCommand({ promotionPriority: true })).then([granted({ promotionPriority: true })]);
  });

  it('HCM3815-3: a successful initiative earns commendation, promotion and planning priority', () => {
    const awards = { commendation, promotionPriority: true, planningPriority: true };
    spec.given([recommended()]).when(grantCommand(awards)).then([granted(awards)]);
  });

  // Was HCM3815-3: the refusal now names D73-10c, which forbids everything beyond praise for a partial outcome.
  it.each([{ promotionPriority: true }, { planningPriority: true }])(
    'HCM3815-3, D73-10c: a notable partial outcome earns no appointment or planning priority (%j)',
    (awards) => {
      spec.given([recommended('partially-achieved', true)]).when(grantCommand(awards)).thenThrows(RuleViolation, { clause: 'D73-10c' });
    },
  );

  it('HP-points: bonus points in the annual evaluation, up to the cap, for an achieved outcome', () => {
    spec.given([recommended()]).when(grantCommand({ bonusPoints: 2.5 })).then([granted({ bonusPoints: 2.5 })]);
    spec.given([recommended()]).when(grantCommand({ bonusPoints: MAX_BONUS_POINTS })).then([granted({ bonusPoints: MAX_BONUS_POINTS })]);
  });

  it.each([0, -1, MAX_BONUS_POINTS + 0.5, Number.NaN, Number.POSITIVE_INFINITY])('HP-points: %p bonus points are refused', (bonusPoints) => {
    spec.given([recommended()]).when(grantCommand({ bonusPoints })).thenThrows(RuleViolation, { clause: 'HP-points' });
  });

  it('D73-10: the salary step is raised 12 months early and counts as an excellent achievement for rank promotion', () => {
    const awards = { salaryStepEarlyMonths: 12, excellentAchievement: true };
    spec.given([recommended()]).when(grantCommand(awards)).then([granted(awards)]);
  });

  it.each([6, 11, 24])('D73-10: a salary step %p months early is refused', (salaryStepEarlyMonths) => {
    spec.given([recommended()]).when(grantCommand({ salaryStepEarlyMonths })).thenThrows(RuleViolation, { clause: 'D73-10' });
  });

  // Was D73-10: the refusal now names D73-10c.
  it.each([{ salaryStepEarlyMonths: 12 }, { excellentAchievement: true }])(
    'D73-10, D73-10c: a notable partial outcome earns no early salary step or excellent achievement (%j)',
    (awards) => {
      spec.given([recommended('partially-achieved', true)]).when(grantCommand(awards)).thenThrows(RuleViolation, { clause: 'D73-10c' });
    },
  );

  it('the proportionality is justified in writing', () => {
    spec
      .given([recommended()])
      .when(grantCommand({ commendation }, { proportionality: { ...proportionality, justification: '  ' } }))
      .thenThrows(InvalidInput);
  });

  it('a cadre cannot grant recognition for their own proposal', () => {
    spec.given([recommended()]).when({ ...grantCommand({ commendation }), metadata: meta({ role: 'organization-office' }) }).thenThrows(Forbidden);
  });

  it('the office declines with its reasons', () => {
    const decline = (reasons: string[]): RecognitionCommand => ({ type: 'DeclineRecognition', data: { proposalId, reasons }, metadata: office });
    spec
      .given([recommended()])
      .when(decline(['Quy mô nhỏ, đã biểu dương tại đơn vị']))
      .then([
        {
          type: 'RecognitionDeclined',
          data: { proposalId, proposerId: 'u-proposer', reasons: ['Quy mô nhỏ, đã biểu dương tại đơn vị'], declinedBy: 'u-office', declinedAt: T0 },
        },
      ]);
    spec.given([recommended()]).when(decline([])).thenThrows(InvalidInput);
  });
});

describe('Recognition: D73-10c a partial outcome is only praised', () => {
  const praise = { commendation: { level: 'praise', form: 'Biểu dương tại hội nghị sơ kết' } } as const;

  it('D73-10c: a notable partial outcome is praised (biểu dương)', () => {
    spec.given([recommended('partially-achieved', true)]).when(grantCommand(praise)).then([granted(praise)]);
  });

  // Wrong before issue 11: a notable partial outcome earned a formal reward, points and the salary step.
  it.each([
    ['a formal reward (khen thưởng)', { commendation }],
    ['bonus points', { ...praise, bonusPoints: 2 }],
    ['the salary step 12 months early', { ...praise, salaryStepEarlyMonths: 12 }],
    ['reward, points and the salary step together', { commendation, bonusPoints: 2, salaryStepEarlyMonths: 12 }],
  ] as const)('D73-10c: a notable partial outcome is not given %s', (_, awards) => {
    spec.given([recommended('partially-achieved', true)]).when(grantCommand(awards)).thenThrows(RuleViolation, { clause: 'D73-10c' });
  });

  it('D73-10, D73-10c: an achieved outcome earns the formal reward, bonus points and the salary step 12 months early', () => {
    const awards = { commendation, bonusPoints: 3, salaryStepEarlyMonths: 12 };
    spec.given([recommended()]).when(grantCommand(awards)).then([granted(awards)]);
  });
});

describe('Recognition: D73-10b the people the plan names', () => {
  it('D73-10b: the recommendation names the co-proposers, the implementers and the approving head', () => {
    spec.given([]).when(recommendCommand({ people: planPeople })).then([recommended('achieved', false, planPeople)]);
  });

  it('D73-10b: without people in the assessment the proposer alone is named', () => {
    spec.given([]).when(recommendCommand()).then([recommended()]);
  });

  it('D73-10b: the grant reaches everyone the recommendation named', () => {
    spec.given([recommended('achieved', false, planPeople)]).when(grantCommand({ commendation })).then([granted({ commendation }, planPeople)]);
  });

  it('D73-10b: the proposer stays the subject even when the people name another', () => {
    spec
      .given([])
      .when(recommendCommand({ people: { ...planPeople, proposerId: 'u-someone-else' } }))
      .then([recommended('achieved', false, planPeople)]);
  });
});

describe('Recognition: replication and institutionalization', () => {
  it('C14-2.5a: an effective model is recommended for replication after a periodic review', () => {
    spec.given([recommended(), granted({ commendation })]).when(replicate).then([replicated]);
  });

  it('C14-2.5a: a model whose outcome was not recognised as effective is not replicated', () => {
    spec.given([]).when(replicate).thenThrows(RuleViolation, { clause: 'C14-2.5a' });
  });

  // The refusal now names C14-2.4e while the referral's case is open (C14-2.4d once substantiated).
  it('C14-2.5a, C14-2.4e: a model under an abuse referral is not spread', () => {
    spec.given([recommended(), barred()]).when(replicate).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
  });

  it('C14-2.5a: the same replication recommendation delivered twice is recorded once', () => {
    spec.given([recommended(), replicated]).when(replicate).then([]);
  });

  it.each(['unit', 'local', 'central'] as const)('C14-2.5b: a replicated model is proposed for institutionalization at %s level', (level) => {
    const data = {
      proposalId,
      institutionalizationId: `inst-${level}`,
      level,
      addressedTo: level === 'central' ? 'Bộ Nội vụ' : 'UBND tỉnh',
      instrument: 'Quy định về liên thông hồ sơ đất đai',
      reasons: ['Đã nhân rộng thành công'],
    };
    spec
      .given([recommended(), granted({ commendation }), replicated])
      .when({ type: 'ProposeInstitutionalization', data, metadata: authority })
      .then([{ type: 'InstitutionalizationProposed', data: { ...data, proposedBy: 'u-authority', proposedAt: T0 } }]);
  });

  it('C14-2.5b: a model is not proposed for institutionalization before it is recommended for replication', () => {
    spec
      .given([recommended(), granted({ commendation })])
      .when({
        type: 'ProposeInstitutionalization',
        data: { proposalId, institutionalizationId: 'inst-1', level: 'central', addressedTo: 'Bộ Nội vụ', instrument: 'Quy định', reasons: ['x'] },
        metadata: authority,
      })
      .thenThrows(RuleViolation, { clause: 'C14-2.5b' });
  });
});

describe('Recognition: illegal transitions', () => {
  const decline: RecognitionCommand = { type: 'DeclineRecognition', data: { proposalId, reasons: ['x'] }, metadata: office };
  const declined: RecognitionEvent = {
    type: 'RecognitionDeclined',
    data: { proposalId, proposerId: 'u-proposer', reasons: ['x'], declinedBy: 'u-office', declinedAt: T0 },
  };
  const cases: [string, RecognitionEvent[], RecognitionCommand][] = [
    ['none', [], grantCommand({ commendation })],
    ['none', [], decline],
    ['granted', [recommended(), granted({ commendation })], grantCommand({ commendation })],
    ['granted', [recommended(), granted({ commendation })], decline],
    ['declined', [recommended(), declined], grantCommand({ commendation })],
  ];

  it.each(cases.map(([from, given, command]) => [command.type, from, given, command] as const))('refuses %s from %s', (_, from, given, command) => {
    spec.given(given).when(command).thenThrows(IllegalTransition, { from, command: command.type });
  });
});
