import { Forbidden, IllegalTransition, InvalidInput, RuleViolation } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { AssessOutcome, EvaluationCommand, Liability, MotiveFindings } from './commands';
import type { AbuseReferred, EvaluationEvent, EvaluationOpened, LiabilityDecided, OutcomeAssessed } from './events';
import { evaluationDecider } from './evaluation.decider';

const spec = DeciderSpecification.for(evaluationDecider);
const subject = { proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-ward' } as const;
const { proposalId } = subject;
const ENDED = '2026-09-01T10:00:00.000Z';
const OPENED = '2026-09-01T10:05:00.000Z';
const BEFORE_REPORT_DUE = '2026-09-07T03:00:00.000Z';
const REPORT_DUE = '2026-09-08T16:59:59.999Z';
const BETWEEN_DUES = '2026-09-09T03:00:00.000Z';
const EVALUATION_DUE = '2026-09-10T16:59:59.999Z';
const AFTER_ALL = '2026-09-15T03:00:00.000Z';
const evaluator = (at = BETWEEN_DUES) => meta({ role: 'evaluator', userId: 'u-evaluator', at });
const positive: MotiveFindings = { followedApprovedPlan: true, pureMotive: true, commonGood: true, noSelfInterest: true };
const pilot = {
  ending: 'completed',
  kind: 'pilot',
  endedAt: ENDED,
  kpisOnTarget: 1,
  kpisTotal: 2,
  milestonesMet: 2,
  milestonesTotal: 2,
  flags: 1,
} as const;

const opened = (consultationRequired = false): EvaluationOpened => ({
  type: 'EvaluationOpened',
  data: {
    ...subject,
    pilot,
    reportDueBy: REPORT_DUE,
    evaluationDueBy: EVALUATION_DUE,
    partyCommitteeConsultationRequired: consultationRequired,
    openedAt: OPENED,
  },
});
const resultsReported: EvaluationEvent = {
  type: 'ResultsReported',
  data: { proposalId, reportedBy: 'u-proposer', report: 'Báo cáo kết quả', attachmentIds: [], reportDueBy: REPORT_DUE, late: false, reportedAt: BEFORE_REPORT_DUE },
};
const consulted: EvaluationEvent = {
  type: 'EvaluationPartyCommitteeConsulted',
  data: {
    proposalId,
    committeeUnitId: 'unit-ward-party',
    opinion: 'supports',
    summary: 'Đảng ủy phường thống nhất',
    consultedBy: 'u-evaluator',
    consultedAt: BETWEEN_DUES,
  },
};

type Assessment = Omit<AssessOutcome['data'], 'proposalId'>;
const failedWithoutDamage: Assessment = {
  outcome: 'not-achieved',
  notable: false,
  damage: { caused: false },
  causes: [{ description: 'Hạ tầng mạng của phường không đáp ứng', kind: 'objective' }],
  motive: positive,
  assessment: 'Cán bộ thực hiện đúng phương án, tận tụy',
};
const partialWithDamage: Assessment = {
  ...failedWithoutDamage,
  outcome: 'partially-achieved',
  damage: { caused: true, estimate: 120_000_000, description: 'Chi phí thuê máy chủ không thu hồi được' },
};
const achieved: Assessment = { ...failedWithoutDamage, outcome: 'achieved', causes: [] };

const assess = (a: Assessment, at = BETWEEN_DUES): EvaluationCommand => ({ type: 'AssessOutcome', data: { proposalId, ...a }, metadata: evaluator(at) });
const assessed = (a: Assessment, resultsWereReported = true, at = BETWEEN_DUES): OutcomeAssessed => ({
  type: 'OutcomeAssessed',
  data: {
    ...subject,
    ...a,
    resultsReported: resultsWereReported,
    evaluationDueBy: EVALUATION_DUE,
    late: at > EVALUATION_DUE,
    assessedBy: 'u-evaluator',
    assessedAt: at,
  },
});
const decide = (liability: Liability): EvaluationCommand => ({
  type: 'DecideLiability',
  data: { proposalId, liability, reasons: ['Theo kết quả đánh giá'] },
  metadata: evaluator(),
});
const decided = (liability: Liability, a: Assessment): LiabilityDecided => ({
  type: 'LiabilityDecided',
  data: {
    ...subject,
    liability,
    reasons: ['Theo kết quả đánh giá'],
    outcome: a.outcome,
    damageCaused: a.damage.caused,
    decidedBy: 'u-evaluator',
    decidedAt: BETWEEN_DUES,
  },
});
const refer = (grounds: AbuseReferred['data']['grounds'], referralId = 'ref-1'): EvaluationCommand => ({
  type: 'ReferAbuse',
  data: { ...subject, referralId, grounds, description: 'Có dấu hiệu vụ lợi trong lựa chọn nhà cung cấp' },
  metadata: evaluator(),
});
const referred = (grounds: AbuseReferred['data']['grounds'], stage: AbuseReferred['data']['stage'], referralId = 'ref-1'): AbuseReferred => ({
  type: 'AbuseReferred',
  data: {
    ...subject,
    referralId,
    grounds,
    description: 'Có dấu hiệu vụ lợi trong lựa chọn nhà cung cấp',
    stage,
    referredBy: 'u-evaluator',
    referredAt: BETWEEN_DUES,
  },
});
const openCommand = (dues: { reportDueBy?: string; evaluationDueBy?: string } = {}): EvaluationCommand => ({
  type: 'OpenEvaluation',
  data: {
    ...subject,
    pilot,
    reportDueBy: REPORT_DUE,
    evaluationDueBy: EVALUATION_DUE,
    partyCommitteeConsultationRequired: false,
    ...dues,
  },
  metadata: meta({ role: 'supervisor', userId: 'u-supervisor', at: OPENED }),
});
const upTo = (a: Assessment) => [opened(), resultsReported, assessed(a)];
const closedAchieved: EvaluationEvent = {
  type: 'EvaluationClosed',
  data: { ...subject, outcome: 'achieved', notable: false, liability: 'none', abuseReferred: false, closedBy: 'u-evaluator', closedAt: BETWEEN_DUES },
};

describe('Evaluation: D73-eval timing', () => {
  it('D73-eval: opening records when the results and the evaluation are due', () => {
    spec.given([]).when(openCommand()).then([opened()]);
  });

  it('D73-eval: a pilot end delivered again opens nothing twice', () => {
    spec.given([opened()]).when(openCommand()).then([]);
  });

  it.each([
    ['the report is due before the pilot ends', { reportDueBy: '2026-08-31T16:59:59.999Z' }],
    ['the evaluation is due before the report', { evaluationDueBy: '2026-09-05T16:59:59.999Z' }],
  ])('D73-eval: refuses due times out of order (%s)', (_, dues) => {
    spec.given([]).when(openCommand(dues)).thenThrows(RuleViolation, { clause: 'D73-eval' });
  });

  it('D73-eval: results reported in writing by the implementer, on time', () => {
    spec
      .given([opened()])
      .when({ type: 'ReportResults', data: { proposalId, report: 'Báo cáo kết quả' }, metadata: meta({ at: BEFORE_REPORT_DUE }) })
      .then([resultsReported]);
  });

  it('D73-eval: results reported after the due time are recorded as late', () => {
    const [event] = spec
      .given([opened()])
      .when({ type: 'ReportResults', data: { proposalId, report: 'Báo cáo muộn', attachmentIds: ['doc-1'] }, metadata: meta({ at: BETWEEN_DUES }) })
      .events();
    expect(event.data).toMatchObject({ late: true, reportDueBy: REPORT_DUE, attachmentIds: ['doc-1'] });
  });

  it('D73-eval: only the implementer reports the results', () => {
    spec
      .given([opened()])
      .when({ type: 'ReportResults', data: { proposalId, report: 'Báo cáo' }, metadata: evaluator(BEFORE_REPORT_DUE) })
      .thenThrows(Forbidden);
  });

  it('D73-eval: the outcome is not assessed without results while the implementer still has time to report', () => {
    spec.given([opened()]).when(assess(failedWithoutDamage, BEFORE_REPORT_DUE)).thenThrows(RuleViolation, { clause: 'D73-eval' });
  });

  it('D73-eval: once the report deadline has passed the evaluation goes on without it', () => {
    spec.given([opened()]).when(assess(failedWithoutDamage)).then([assessed(failedWithoutDamage, false)]);
  });

  it('D73-eval: an assessment after the evaluation due time is marked late', () => {
    const [event] = spec.given([opened(), resultsReported]).when(assess(failedWithoutDamage, AFTER_ALL)).events();
    expect(event.data).toMatchObject({ late: true, evaluationDueBy: EVALUATION_DUE });
  });
});

describe('Evaluation: D73-4 party committee consulted before evaluating', () => {
  it('D73-4: the consultation is recorded', () => {
    spec
      .given([opened(true), resultsReported])
      .when({
        type: 'ConsultPartyCommittee',
        data: { proposalId, committeeUnitId: 'unit-ward-party', opinion: 'supports', summary: 'Đảng ủy phường thống nhất' },
        metadata: evaluator(),
      })
      .then([consulted]);
  });

  it('D73-4: where required, assessing before consulting the party committee is refused', () => {
    spec.given([opened(true), resultsReported]).when(assess(failedWithoutDamage)).thenThrows(RuleViolation, { clause: 'D73-4' });
  });

  it('D73-4: after the consultation the outcome is assessed', () => {
    spec.given([opened(true), resultsReported, consulted]).when(assess(failedWithoutDamage)).then([assessed(failedWithoutDamage)]);
  });

  it('D73-4: where the instance does not require it, no consultation is needed', () => {
    spec.given([opened(false), resultsReported]).when(assess(failedWithoutDamage)).then([assessed(failedWithoutDamage)]);
  });
});

describe('Evaluation: C14-2.4b causes, assessed impartially', () => {
  it.each(['not-achieved', 'partially-achieved'] as const)('C14-2.4b: a %s outcome must state at least one cause', (outcome) => {
    spec
      .given([opened(), resultsReported])
      .when(assess({ ...failedWithoutDamage, outcome, causes: [] }))
      .thenThrows(RuleViolation, { clause: 'C14-2.4b' });
  });

  it('C14-2.4b: damage caused must state its causes, even on an achieved outcome', () => {
    spec
      .given([opened(), resultsReported])
      .when(assess({ ...achieved, damage: { caused: true, estimate: 1_000_000 } }))
      .thenThrows(RuleViolation, { clause: 'C14-2.4b' });
  });

  it('C14-2.4b: causes are recorded, each objective or subjective, with the damage estimate', () => {
    const mixed: Assessment = {
      ...partialWithDamage,
      causes: [
        { description: 'Thiên tai làm gián đoạn', kind: 'objective' },
        { description: 'Khảo sát nhu cầu chưa kỹ', kind: 'subjective' },
      ],
    };
    spec.given([opened(), resultsReported]).when(assess(mixed)).then([assessed(mixed)]);
  });

  it('C14-2.4b: the proposer cannot assess their own pilot', () => {
    spec
      .given([opened(), resultsReported])
      .when({ ...assess(failedWithoutDamage), metadata: meta({ at: BETWEEN_DUES }) })
      .thenThrows(Forbidden);
  });

  it('damage caused is recorded with its estimate', () => {
    spec
      .given([opened(), resultsReported])
      .when(assess({ ...partialWithDamage, damage: { caused: true } }))
      .thenThrows(InvalidInput);
  });

  it('an assessment may be corrected until liability is decided', () => {
    spec.given(upTo(failedWithoutDamage)).when(assess(partialWithDamage)).then([assessed(partialWithDamage)]);
  });
});

describe('Evaluation: D73-11 / C14-2.4c liability', () => {
  it('D73-11: an achieved outcome carries no liability', () => {
    spec.given(upTo(achieved)).when(decide('none')).then([decided('none', achieved)]);
  });

  it.each(['excluded', 'exempted', 'reduced', 'upheld'] as const)('D73-11: an achieved outcome refuses %s', (liability) => {
    spec.given(upTo(achieved)).when(decide(liability)).thenThrows(RuleViolation, { clause: 'D73-11', allowed: ['none'] });
  });

  it('D73-11: not achieved, plan followed, every motive finding positive, no damage: excluded', () => {
    spec.given(upTo(failedWithoutDamage)).when(decide('excluded')).then([decided('excluded', failedWithoutDamage)]);
  });

  it.each(['exempted', 'reduced', 'upheld', 'none'] as const)(
    'D73-11: not achieved with protection and no damage refuses %s',
    (liability) => {
      spec.given(upTo(failedWithoutDamage)).when(decide(liability)).thenThrows(RuleViolation, { clause: 'D73-11', allowed: ['excluded'] });
    },
  );

  it.each(['excluded', 'exempted', 'reduced'] as const)(
    'D73-11: partially achieved with damage and every finding positive accepts %s',
    (liability) => {
      spec.given(upTo(partialWithDamage)).when(decide(liability)).then([decided(liability, partialWithDamage)]);
    },
  );

  it.each(['upheld', 'none'] as const)('D73-11: partially achieved with damage and every finding positive refuses %s', (liability) => {
    spec.given(upTo(partialWithDamage)).when(decide(liability)).thenThrows(RuleViolation, { clause: 'D73-11' });
  });

  it.each(['followedApprovedPlan', 'pureMotive', 'commonGood'] as const)(
    'C14-2.4c: without %s there is no protection: excluded refused, only upheld accepted',
    (finding) => {
      const unprotected: Assessment = { ...partialWithDamage, motive: { ...positive, [finding]: false } };
      for (const liability of ['excluded', 'exempted', 'reduced', 'none'] as const) {
        spec.given(upTo(unprotected)).when(decide(liability)).thenThrows(RuleViolation, { clause: 'C14-2.4c', allowed: ['upheld'] });
      }
      spec.given(upTo(unprotected)).when(decide('upheld')).then([decided('upheld', unprotected)]);
    },
  );

  it('liability is decided with its reasons, and not by the proposer', () => {
    spec
      .given(upTo(failedWithoutDamage))
      .when({ type: 'DecideLiability', data: { proposalId, liability: 'excluded', reasons: [] }, metadata: evaluator() })
      .thenThrows(InvalidInput);
    spec.given(upTo(failedWithoutDamage)).when({ ...decide('excluded'), metadata: meta({ at: BETWEEN_DUES }) }).thenThrows(Forbidden);
  });
});

describe('Evaluation: C14-2.4d abuse is never protected', () => {
  const selfInterest: Assessment = { ...partialWithDamage, motive: { ...positive, noSelfInterest: false } };

  it.each(['excluded', 'exempted', 'reduced'] as const)('C14-2.4d: a finding of self-interest refuses %s', (liability) => {
    spec.given(upTo(selfInterest)).when(decide(liability)).thenThrows(RuleViolation, { clause: 'C14-2.4d', allowed: ['upheld'] });
  });

  it('C14-2.4d: a finding of self-interest accepts only upheld', () => {
    spec.given(upTo(selfInterest)).when(decide('upheld')).then([decided('upheld', selfInterest)]);
  });

  it('C14-2.4d: self-interest behind an achieved outcome is still upheld, not none', () => {
    const achievedForSelf: Assessment = { ...achieved, motive: { ...positive, noSelfInterest: false } };
    spec.given(upTo(achievedForSelf)).when(decide('none')).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
  });

  it('C14-2.4d: after an abuse referral, liability can only be upheld', () => {
    const given = [...upTo(failedWithoutDamage), referred(['corruption'], 'assessed')];
    spec.given(given).when(decide('excluded')).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
    spec.given(given).when(decide('upheld')).then([decided('upheld', failedWithoutDamage)]);
  });

  it.each([
    ['none', []],
    ['open', [opened()]],
    ['assessed', upTo(failedWithoutDamage)],
    ['liability-decided', [...upTo(failedWithoutDamage), decided('excluded', failedWithoutDamage)]],
    ['closed', [...upTo(achieved), decided('none', achieved), closedAchieved]],
  ] as const)('C14-2.4d: abuse can be referred at any stage (%s)', (stage, given) => {
    spec.given(given).when(refer(['self-interest', 'corruption'])).then([referred(['self-interest', 'corruption'], stage)]);
  });

  it('C14-2.4d: the same referral delivered twice is recorded once', () => {
    spec.given([opened(), referred(['negativity'], 'open')]).when(refer(['negativity'])).then([]);
  });

  it('C14-2.4d: a referral after a protective decision reopens it, and only upheld is then accepted', () => {
    const given = [...upTo(partialWithDamage), decided('reduced', partialWithDamage), referred(['corruption'], 'liability-decided')];
    spec.given(given).when(decide('reduced')).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
    spec.given(given).when(decide('upheld')).then([decided('upheld', partialWithDamage)]);
  });

  it('C14-2.4d: closing is refused while a referral post-dates a protective decision', () => {
    spec
      .given([...upTo(partialWithDamage), decided('reduced', partialWithDamage), referred(['corruption'], 'liability-decided')])
      .when({ type: 'CloseEvaluation', data: { proposalId }, metadata: evaluator() })
      .thenThrows(RuleViolation, { clause: 'C14-2.4d' });
  });

  it('C14-2.4d: a finding of self-interest is not closed until it is referred to the inspector', () => {
    const given = [...upTo(selfInterest), decided('upheld', selfInterest)];
    const close: EvaluationCommand = { type: 'CloseEvaluation', data: { proposalId }, metadata: evaluator() };
    spec.given(given).when(close).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
    const [event] = spec.given([...given, referred(['self-interest'], 'liability-decided')]).when(close).events();
    expect(event.data).toMatchObject({ liability: 'upheld', abuseReferred: true });
  });
});

describe('Evaluation: closing hands off', () => {
  it('EvaluationClosed carries the outcome and the liability', () => {
    spec
      .given([...upTo(partialWithDamage), decided('exempted', partialWithDamage)])
      .when({ type: 'CloseEvaluation', data: { proposalId }, metadata: evaluator() })
      .then([
        {
          type: 'EvaluationClosed',
          data: {
            ...subject,
            outcome: 'partially-achieved',
            notable: false,
            liability: 'exempted',
            abuseReferred: false,
            closedBy: 'u-evaluator',
            closedAt: BETWEEN_DUES,
          },
        },
      ]);
  });
});

describe('Evaluation: illegal transitions', () => {
  const decidedAchieved = [...upTo(achieved), decided('none', achieved)];
  const cases: [string, EvaluationEvent[], EvaluationCommand][] = [
    ['none', [], { type: 'ReportResults', data: { proposalId, report: 'x' }, metadata: meta() }],
    ['none', [referred(['corruption'], 'none')], assess(failedWithoutDamage)],
    ['open', [opened()], decide('excluded')],
    ['results-reported', [opened(), resultsReported], { type: 'ReportResults', data: { proposalId, report: 'x' }, metadata: meta() }],
    ['results-reported', [opened(), resultsReported], { type: 'CloseEvaluation', data: { proposalId }, metadata: evaluator() }],
    [
      'assessed',
      upTo(achieved),
      { type: 'ConsultPartyCommittee', data: { proposalId, committeeUnitId: 'u', opinion: 'supports', summary: 'x' }, metadata: evaluator() },
    ],
    ['liability-decided', decidedAchieved, decide('none')],
    ['liability-decided', decidedAchieved, assess(achieved)],
    ['closed', [...decidedAchieved, closedAchieved], assess(achieved)],
    ['closed', [...decidedAchieved, closedAchieved], { type: 'CloseEvaluation', data: { proposalId }, metadata: evaluator() }],
  ];

  it.each(cases.map(([from, given, command]) => [command.type, from, given, command] as const))('refuses %s from %s', (_, from, given, command) => {
    spec.given(given).when(command).thenThrows(IllegalTransition, { from, command: command.type });
  });
});
