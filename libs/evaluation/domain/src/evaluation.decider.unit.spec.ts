import { Forbidden, IllegalTransition, InvalidInput, RuleViolation } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { AssessmentDraft, EvaluationCommand, InspectionFinding, Liability, MotiveFindings, PlanPeople } from './commands';
import type { EvaluationEvent } from './events';
import { evaluationDecider } from './evaluation.decider';

const spec = DeciderSpecification.for(evaluationDecider);
const subject = { proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-ward' } as const;
const { proposalId } = subject;
const ENDED = '2026-09-01T10:00:00.000Z';
const OPENED = '2026-09-01T10:05:00.000Z';
const BEFORE_REPORT_DUE = '2026-09-07T03:00:00.000Z'; // Monday 10:00 in Vietnam
const REPORT_DUE = '2026-09-08T16:59:59.999Z';
const BETWEEN_DUES = '2026-09-09T03:00:00.000Z';
/** Set at opening: 7 working days from the report's due date, for a report that never comes. */
const EVALUATION_DUE_UNREPORTED = '2026-09-10T16:59:59.999Z';
/** D73-eval: 7 working days from Monday 7 September, when the report was received. */
const EVALUATION_DUE = '2026-09-16T16:59:59.999Z';
const ANSWER_DUE = '2026-09-16T16:59:59.999Z';
const AFTER_ANSWER_DUE = '2026-09-17T03:00:00.000Z';
const AFTER_ALL = '2026-09-21T03:00:00.000Z';
const LEGAL_BASIS = 'Nghị định 73/2023/NĐ-CP';
const evaluator = (at = BETWEEN_DUES) => meta({ role: 'evaluator', userId: 'u-evaluator', at });
const member = (userId: string, at = BETWEEN_DUES) => meta({ role: 'collective', userId, at });
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
/** D73-10b: the people of the approved plan. */
const people: PlanPeople = { proposerId: 'u-proposer', coProposerIds: ['u-co'], implementerIds: ['u-implementer'], approvingHeadId: 'u-approver' };
const PROTECTED = ['u-proposer', 'u-co', 'u-implementer', 'u-approver'];
/** The evaluating unit's collective: the head and three deputies, one of them a co-proposer. */
const COLLECTIVE = { unitId: 'unit-evaluating', headId: 'u-head', memberIds: ['u-head', 'u-deputy-1', 'u-deputy-2', 'u-co'] };
const VOTERS = ['u-head', 'u-deputy-1', 'u-deputy-2'];

const opened = (consultationRequired = false, openedPeople: PlanPeople = people): EvaluationEvent<'EvaluationOpened'> => ({
  type: 'EvaluationOpened',
  data: {
    ...subject,
    pilot,
    people: openedPeople,
    reportDueBy: REPORT_DUE,
    evaluationDueBy: EVALUATION_DUE_UNREPORTED,
    partyCommitteeConsultationRequired: consultationRequired,
    openedAt: OPENED,
  },
});
const resultsReported: EvaluationEvent = {
  type: 'ResultsReported',
  data: {
    proposalId, reportedBy: 'u-proposer', report: 'Báo cáo kết quả', attachmentIds: [], reportDueBy: REPORT_DUE, late: false,
    reportedAt: BEFORE_REPORT_DUE, evaluationDueBy: EVALUATION_DUE,
  },
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

const failedWithoutDamage: AssessmentDraft = {
  outcome: 'not-achieved',
  notable: false,
  damage: { caused: false },
  causes: [{ description: 'Hạ tầng mạng của phường không đáp ứng', kind: 'objective' }],
  motive: positive,
  assessment: 'Cán bộ thực hiện đúng phương án, tận tụy',
};
const partialWithDamage: AssessmentDraft = {
  ...failedWithoutDamage,
  outcome: 'partially-achieved',
  damage: { caused: true, estimate: 120_000_000, description: 'Chi phí thuê máy chủ không thu hồi được' },
};
const achieved: AssessmentDraft = { ...failedWithoutDamage, outcome: 'achieved', causes: [] };

const assess = (a: AssessmentDraft, at = BETWEEN_DUES, collective = COLLECTIVE): EvaluationCommand => ({
  type: 'AssessOutcome',
  data: { proposalId, ...a, collective },
  metadata: evaluator(at),
});
const proposed = (a: AssessmentDraft, round = 1, memberIds = VOTERS, at = BETWEEN_DUES): EvaluationEvent<'AssessmentProposed'> => ({
  type: 'AssessmentProposed',
  data: {
    ...subject, ...a, round, collective: { unitId: COLLECTIVE.unitId, headId: COLLECTIVE.headId, memberIds }, proposedBy: 'u-evaluator', proposedAt: at,
  },
});
const voted = (voterId: string, vote: 'for' | 'against' | 'abstain', round = 1): EvaluationEvent<'EvaluationVoteRecorded'> => ({
  type: 'EvaluationVoteRecorded',
  data: { proposalId, round, voterId, vote, votedAt: BETWEEN_DUES },
});
const castVote = (voterId: string, vote: 'for' | 'against' | 'abstain'): EvaluationCommand => ({
  type: 'CastEvaluationVote', data: { proposalId, vote }, metadata: member(voterId),
});
const tally = (closeMeeting = false, at = BETWEEN_DUES, by = 'u-head', answerDueBy = ANSWER_DUE): EvaluationCommand => ({
  type: 'TallyEvaluationVote', data: { proposalId, closeMeeting, answerDueBy }, metadata: meta({ role: 'unit-head', userId: by, at }),
});
const assessed = (a: AssessmentDraft, resultsWereReported = true, at = BETWEEN_DUES, evaluationDueBy = EVALUATION_DUE): EvaluationEvent<'OutcomeAssessed'> => ({
  type: 'OutcomeAssessed',
  data: {
    ...subject,
    ...a,
    resultsReported: resultsWereReported,
    evaluationDueBy,
    late: at > evaluationDueBy,
    assessedBy: 'u-evaluator',
    assessedAt: at,
    round: 1,
    answerDueBy: ANSWER_DUE,
  },
});
const answered: EvaluationEvent = {
  type: 'AssessmentAnswered',
  data: { proposalId, cadreId: 'u-proposer', answer: 'Tôi thống nhất với đánh giá', answeredAt: BETWEEN_DUES },
};
const answer = (at = BETWEEN_DUES, userId = 'u-proposer'): EvaluationCommand => ({
  type: 'AnswerAssessment', data: { proposalId, answer: 'Tôi thống nhất với đánh giá' }, metadata: meta({ userId, at }),
});
const decide = (liability: Liability, at = BETWEEN_DUES): EvaluationCommand => ({
  type: 'DecideLiability',
  data: { proposalId, liability, reasons: ['Theo kết quả đánh giá'], legalBasis: LEGAL_BASIS },
  metadata: evaluator(at),
});
const decided = (liability: Liability, a: AssessmentDraft, protectedIds = liability === 'upheld' ? [] : PROTECTED, at = BETWEEN_DUES): EvaluationEvent<'LiabilityDecided'> => ({
  type: 'LiabilityDecided',
  data: {
    ...subject,
    liability,
    reasons: ['Theo kết quả đánh giá'],
    outcome: a.outcome,
    damageCaused: a.damage.caused,
    decidedBy: 'u-evaluator',
    decidedAt: at,
    legalBasis: LEGAL_BASIS,
    protectedPersonIds: protectedIds,
  },
});
const refer = (grounds: EvaluationEvent<'AbuseReferred'>['data']['grounds'], referralId = 'ref-1'): EvaluationCommand => ({
  type: 'ReferAbuse',
  data: { ...subject, referralId, grounds, description: 'Có dấu hiệu vụ lợi trong lựa chọn nhà cung cấp' },
  metadata: evaluator(),
});
const referred = (grounds: EvaluationEvent<'AbuseReferred'>['data']['grounds'], stage: EvaluationEvent<'AbuseReferred'>['data']['stage'], referralId = 'ref-1'): EvaluationEvent<'AbuseReferred'> => ({
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
const FOUND_AT = '2026-09-10T03:00:00.000Z';
const recordFinding = (finding: InspectionFinding, referralId = 'ref-1'): EvaluationCommand => ({
  type: 'RecordInspectionFinding',
  data: { proposalId, referralId, caseId: referralId, finding, foundAt: FOUND_AT },
  metadata: meta({ role: 'inspector', userId: 'u-inspector', at: BETWEEN_DUES }),
});
const found = (finding: InspectionFinding, referralId = 'ref-1'): EvaluationEvent<'ReferralFindingRecorded'> => ({
  type: 'ReferralFindingRecorded',
  data: { ...subject, referralId, caseId: referralId, finding, foundAt: FOUND_AT, recordedAt: BETWEEN_DUES },
});
const openCommand = (dues: { reportDueBy?: string; evaluationDueBy?: string } = {}): EvaluationCommand => ({
  type: 'OpenEvaluation',
  data: { ...subject, pilot, people, reportDueBy: REPORT_DUE, evaluationDueBy: EVALUATION_DUE_UNREPORTED, ...dues },
  metadata: meta({ role: 'supervisor', userId: 'u-supervisor', at: OPENED }),
});
const report = (at = BEFORE_REPORT_DUE, extra: { attachmentIds?: string[]; evaluationDueBy?: string } = {}): EvaluationCommand => ({
  type: 'ReportResults',
  data: { proposalId, report: 'Báo cáo kết quả', evaluationDueBy: EVALUATION_DUE, ...extra },
  metadata: meta({ at }),
});
const close = (): EvaluationCommand => ({ type: 'CloseEvaluation', data: { proposalId }, metadata: evaluator() });
/** Assessed by the collective and answered by the cadre: liability may be decided. */
const upTo = (a: AssessmentDraft) => [opened(), resultsReported, proposed(a), assessed(a), answered];
const closedAchieved: EvaluationEvent = {
  type: 'EvaluationClosed',
  data: {
    ...subject, outcome: 'achieved', notable: false, liability: 'none', abuseReferred: false, abuseSubstantiated: false, closedBy: 'u-evaluator',
    closedAt: BETWEEN_DUES,
  },
};

describe('Evaluation: D73-eval timing', () => {
  it('D73-eval: opening records when the results and the evaluation are due, and the people of the plan (D73-10b)', () => {
    spec.given([]).when(openCommand()).then([opened(true)]);
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

  it('D73-eval: results reported in writing by the implementer, on time, and the evaluation due from their receipt', () => {
    spec.given([opened()]).when(report()).then([resultsReported]);
  });

  it('D73-eval: results reported after the due time are recorded as late', () => {
    const [event] = spec.given([opened()]).when(report(BETWEEN_DUES, { attachmentIds: ['doc-1'] })).events();
    expect(event.data).toMatchObject({ late: true, reportDueBy: REPORT_DUE, attachmentIds: ['doc-1'] });
  });

  it('D73-eval: an evaluation due before the report was received is refused', () => {
    spec.given([opened()]).when(report(BEFORE_REPORT_DUE, { evaluationDueBy: '2026-09-06T16:59:59.999Z' })).thenThrows(RuleViolation, { clause: 'D73-eval' });
  });

  it('D73-eval: only the implementer reports the results', () => {
    spec.given([opened()]).when({ ...report(), metadata: evaluator(BEFORE_REPORT_DUE) }).thenThrows(Forbidden);
  });

  it('D73-eval: the outcome is not assessed without results while the implementer still has time to report', () => {
    spec.given([opened()]).when(assess(failedWithoutDamage, BEFORE_REPORT_DUE)).thenThrows(RuleViolation, { clause: 'D73-eval' });
  });

  it('D73-eval: once the report deadline has passed the evaluation goes on without it', () => {
    spec.given([opened()]).when(assess(failedWithoutDamage)).then([proposed(failedWithoutDamage)]);
  });

  it('D73-eval: the evaluation counts 7 working days from RECEIPT of the report, not from its due date (wrong before)', () => {
    // Reported on Monday 7 September: due 16 September. The old code kept 10 September (from the
    // report's due date) and marked an evaluation on the 14th late.
    const at = '2026-09-14T03:00:00.000Z';
    const given = [opened(), resultsReported, proposed(failedWithoutDamage), ...VOTERS.map((v) => voted(v, 'for'))];
    const [, event] = spec.given(given).when(tally(false, at)).events();
    expect(event.data).toMatchObject({ evaluationDueBy: EVALUATION_DUE, late: false });
  });

  it('D73-eval: without a report, the evaluation stays due as set at opening; an assessment after it is marked late', () => {
    const given = [opened(), proposed(failedWithoutDamage), ...VOTERS.map((v) => voted(v, 'for'))];
    const [, event] = spec.given(given).when(tally(false, '2026-09-14T03:00:00.000Z')).events();
    expect(event.data).toMatchObject({ evaluationDueBy: EVALUATION_DUE_UNREPORTED, late: true, resultsReported: false });
  });

  it('D73-eval: an assessment taking effect after the evaluation due time is marked late', () => {
    const given = [opened(), resultsReported, proposed(failedWithoutDamage), ...VOTERS.map((v) => voted(v, 'for'))];
    const [, event] = spec.given(given).when(tally(false, AFTER_ALL, 'u-head', '2026-09-28T16:59:59.999Z')).events();
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

  it('D73-4: assessing before consulting the party committee is refused', () => {
    spec.given([opened(true), resultsReported]).when(assess(failedWithoutDamage)).thenThrows(RuleViolation, { clause: 'D73-4' });
  });

  it('D73-4: after the consultation the outcome is assessed', () => {
    spec.given([opened(true), resultsReported, consulted]).when(assess(failedWithoutDamage)).then([proposed(failedWithoutDamage)]);
  });

  it('D73-4: every evaluation opened now requires it, whatever an old policy said (D73-4b)', () => {
    const [event] = spec.given([]).when(openCommand()).events();
    expect(event.data).toMatchObject({ partyCommitteeConsultationRequired: true });
  });

  it('D73-4: an evaluation opened under an old policy without consultation keeps the rule it was opened under', () => {
    spec.given([opened(false), resultsReported]).when(assess(failedWithoutDamage)).then([proposed(failedWithoutDamage)]);
  });
});

describe('Evaluation: D73-eval the collective evaluates (same vote rule as D73-8.1b)', () => {
  const draft = [opened(), resultsReported, proposed(failedWithoutDamage)];

  it('D73-eval: the evaluator drafts; the draft goes to the collective of the evaluating unit, less a proposing member', () => {
    spec.given([opened(), resultsReported]).when(assess(failedWithoutDamage)).then([proposed(failedWithoutDamage)]);
  });

  it('D73-eval: a member votes; the same vote again records nothing; a changed vote is recorded', () => {
    spec.given(draft).when(castVote('u-deputy-1', 'for')).then([voted('u-deputy-1', 'for')]);
    spec.given([...draft, voted('u-deputy-1', 'for')]).when(castVote('u-deputy-1', 'for')).then([]);
    spec.given([...draft, voted('u-deputy-1', 'for')]).when(castVote('u-deputy-1', 'against')).then([voted('u-deputy-1', 'against')]);
  });

  it('C14-2.4b: neither a proposing member nor anyone outside the collective votes', () => {
    spec.given(draft).when(castVote('u-co', 'for')).thenThrows(Forbidden);
    spec.given(draft).when(castVote('u-proposer', 'for')).thenThrows(Forbidden);
    spec.given(draft).when(castVote('u-evaluator', 'for')).thenThrows(Forbidden);
  });

  it('D73-eval: approved by more than half of all members, the assessment takes effect with a window to answer (C14-2.4f)', () => {
    const events = spec.given([...draft, voted('u-head', 'for'), voted('u-deputy-1', 'for'), voted('u-deputy-2', 'against')]).when(tally()).events();
    expect(events.map((e) => e.type)).toEqual(['EvaluationVoteTallied', 'OutcomeAssessed']);
    expect(events[0].data).toMatchObject({ round: 1, for: 2, against: 1, abstain: 0, members: 3, participated: 3, result: 'approved', headVote: 'for' });
    expect(events[1]).toEqual(assessed(failedWithoutDamage));
  });

  it('D73-eval: head for, one against, one abstaining: rejected, an abstention is no vote for; the evaluator drafts again', () => {
    const given = [...draft, voted('u-head', 'for'), voted('u-deputy-1', 'against'), voted('u-deputy-2', 'abstain')];
    const events = spec.given(given).when(tally()).events();
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ for: 1, against: 1, abstain: 1, result: 'rejected' });
    const rejected = [...given, ...events];
    spec.given(rejected).when(decide('excluded')).thenThrows(IllegalTransition);
    spec.given(rejected).when(assess(partialWithDamage)).then([proposed(partialWithDamage, 2)]);
  });

  it('D73-eval: exactly half of all members for, the head among them: approved', () => {
    const four = { ...COLLECTIVE, memberIds: ['u-head', 'u-deputy-1', 'u-deputy-2', 'u-deputy-3'] };
    const given = [opened(), resultsReported, proposed(failedWithoutDamage, 1, four.memberIds)];
    const votes = [voted('u-head', 'for'), voted('u-deputy-1', 'for'), voted('u-deputy-2', 'against'), voted('u-deputy-3', 'against')];
    expect(spec.given([...given, ...votes]).when(tally()).events()[0].data).toMatchObject({ tie: true, result: 'approved' });
    const against = [voted('u-head', 'against'), voted('u-deputy-1', 'for'), voted('u-deputy-2', 'for'), voted('u-deputy-3', 'against')];
    expect(spec.given([...given, ...against]).when(tally()).events()[0].data).toMatchObject({ tie: true, result: 'rejected' });
  });

  it('D73-eval: the tally waits for every member, or the head closing the meeting with a quorum', () => {
    spec.given([...draft, voted('u-head', 'for'), voted('u-deputy-1', 'for')]).when(tally(false)).thenThrows(RuleViolation, { clause: 'D73-eval' });
    spec.given([...draft, voted('u-head', 'for')]).when(tally(true)).thenThrows(RuleViolation, { clause: 'D73-eval' });
    const events = spec.given([...draft, voted('u-head', 'for'), voted('u-deputy-1', 'for')]).when(tally(true)).events();
    expect(events[0].data).toMatchObject({ participated: 2, members: 3, quorum: true, closedMeeting: true, result: 'approved' });
  });

  it('D73-eval: only the head who chairs takes the tally', () => {
    spec.given([...draft, ...VOTERS.map((v) => voted(v, 'for'))]).when(tally(false, BETWEEN_DUES, 'u-deputy-1')).thenThrows(Forbidden);
  });

  it('D73-eval: no vote and no tally without a draft before the collective', () => {
    spec.given([opened(), resultsReported]).when(castVote('u-head', 'for')).thenThrows(IllegalTransition);
    spec.given([opened(), resultsReported]).when(tally(true)).thenThrows(IllegalTransition);
  });

  it('D73-eval: a unit whose collective is the head alone: the head decides', () => {
    const alone = { unitId: 'unit-small', headId: 'u-head', memberIds: ['u-head'] };
    const [draftEvent] = spec.given([opened(), resultsReported]).when(assess(failedWithoutDamage, BETWEEN_DUES, alone)).events();
    expect(draftEvent.data).toMatchObject({ collective: alone });
    const events = spec.given([opened(), resultsReported, draftEvent, voted('u-head', 'for')]).when(tally()).events();
    expect(events.map((e) => e.type)).toEqual(['EvaluationVoteTallied', 'OutcomeAssessed']);
  });

  it('C14-2.4b: the head who approved the plan does not assess its result alone', () => {
    const approverAlone = { unitId: 'unit-small', headId: 'u-approver', memberIds: ['u-approver'] };
    spec.given([opened(), resultsReported]).when(assess(failedWithoutDamage, BETWEEN_DUES, approverAlone)).thenThrows(RuleViolation, { clause: 'C14-2.4b' });
    // In a collective the approving head takes part without deciding alone.
    const withApprover = { ...COLLECTIVE, headId: 'u-approver', memberIds: ['u-approver', 'u-deputy-1', 'u-deputy-2'] };
    const [event] = spec.given([opened(), resultsReported]).when(assess(failedWithoutDamage, BETWEEN_DUES, withApprover)).events();
    expect(event.type).toBe('AssessmentProposed');
  });

  it('C14-2.4b: a collective chaired by one of the proposers does not evaluate their pilot', () => {
    const chairedByCo = { unitId: 'unit-x', headId: 'u-co', memberIds: ['u-co', 'u-deputy-1', 'u-deputy-2'] };
    spec.given([opened(), resultsReported]).when(assess(failedWithoutDamage, BETWEEN_DUES, chairedByCo)).thenThrows(RuleViolation, { clause: 'C14-2.4b' });
  });

  it('D73-eval: a corrected assessment goes to the collective again; liability waits for its vote', () => {
    const given = [...upTo(failedWithoutDamage)];
    spec.given(given).when(assess(partialWithDamage)).then([proposed(partialWithDamage, 2)]);
    spec.given([...given, proposed(partialWithDamage, 2)]).when(decide('excluded')).thenThrows(RuleViolation, { clause: 'D73-eval' });
  });
});

describe('Evaluation: C14-2.4f the cadre is told and may answer before liability', () => {
  const assessedOnly = [opened(), resultsReported, proposed(failedWithoutDamage), assessed(failedWithoutDamage)];

  it('C14-2.4f: the cadre answers the assessment in writing within the window', () => {
    spec.given(assessedOnly).when(answer()).then([answered]);
  });

  it('C14-2.4f: liability is not decided before the answer arrives or the window ends', () => {
    spec.given(assessedOnly).when(decide('excluded')).thenThrows(RuleViolation, { clause: 'C14-2.4f', answerDueBy: ANSWER_DUE });
    spec.given([...assessedOnly, answered]).when(decide('excluded')).then([decided('excluded', failedWithoutDamage)]);
    spec.given(assessedOnly).when(decide('excluded', AFTER_ANSWER_DUE)).then([decided('excluded', failedWithoutDamage, PROTECTED, AFTER_ANSWER_DUE)]);
  });

  it('C14-2.4f: an answer after the window, by anyone else, or a second one is refused', () => {
    spec.given(assessedOnly).when(answer(AFTER_ANSWER_DUE)).thenThrows(RuleViolation, { clause: 'C14-2.4f' });
    spec.given(assessedOnly).when(answer(BETWEEN_DUES, 'u-co')).thenThrows(Forbidden);
    spec.given([...assessedOnly, answered]).when(answer()).thenThrows(IllegalTransition);
  });

  it('C14-2.4f: a draft not yet adopted is not answered', () => {
    spec.given([opened(), resultsReported, proposed(failedWithoutDamage)]).when(answer()).thenThrows(IllegalTransition);
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
    const mixed: AssessmentDraft = {
      ...partialWithDamage,
      causes: [
        { description: 'Thiên tai làm gián đoạn', kind: 'objective' },
        { description: 'Khảo sát nhu cầu chưa kỹ', kind: 'subjective' },
      ],
    };
    spec.given([opened(), resultsReported]).when(assess(mixed)).then([proposed(mixed)]);
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
      const unprotected: AssessmentDraft = { ...partialWithDamage, motive: { ...positive, [finding]: false } };
      for (const liability of ['excluded', 'exempted', 'reduced', 'none'] as const) {
        spec.given(upTo(unprotected)).when(decide(liability)).thenThrows(RuleViolation, { clause: 'C14-2.4c', allowed: ['upheld'] });
      }
      spec.given(upTo(unprotected)).when(decide('upheld')).then([decided('upheld', unprotected)]);
    },
  );

  it('liability is decided with its reasons, and not by the proposer', () => {
    spec
      .given(upTo(failedWithoutDamage))
      .when({ type: 'DecideLiability', data: { proposalId, liability: 'excluded', reasons: [], legalBasis: LEGAL_BASIS }, metadata: evaluator() })
      .thenThrows(InvalidInput);
    spec.given(upTo(failedWithoutDamage)).when({ ...decide('excluded'), metadata: meta({ at: BETWEEN_DUES }) }).thenThrows(Forbidden);
  });
});

describe('Evaluation: D73-10b / D73-2 whom the decision protects, under which basis', () => {
  it('D73-10b: a protective decision names the proposer, co-proposers, implementers and the approving head', () => {
    const [event] = spec.given(upTo(partialWithDamage)).when(decide('reduced')).events();
    expect(event.data).toMatchObject({ protectedPersonIds: PROTECTED });
  });

  it('D73-10b: an upheld decision protects nobody', () => {
    const selfInterest: AssessmentDraft = { ...partialWithDamage, motive: { ...positive, noSelfInterest: false } };
    const [event] = spec.given(upTo(selfInterest)).when(decide('upheld')).events();
    expect(event.data).toMatchObject({ protectedPersonIds: [] });
  });

  it('D73-10b: a pilot that named nobody but the proposer protects the proposer (the fall-back)', () => {
    const alone: PlanPeople = { proposerId: 'u-proposer', coProposerIds: [], implementerIds: [], approvingHeadId: null };
    const given = [opened(false, alone), resultsReported, assessed(failedWithoutDamage), answered];
    const [event] = spec.given(given).when(decide('excluded')).events();
    expect(event.data).toMatchObject({ protectedPersonIds: ['u-proposer'] });
  });

  it('D73-2: the decision names the legal basis it was taken under; none named is refused', () => {
    const [event] = spec.given(upTo(failedWithoutDamage)).when(decide('excluded')).events();
    expect(event.data).toMatchObject({ legalBasis: LEGAL_BASIS });
    spec
      .given(upTo(failedWithoutDamage))
      .when({ type: 'DecideLiability', data: { proposalId, liability: 'excluded', reasons: ['x'], legalBasis: '  ' }, metadata: evaluator() })
      .thenThrows(InvalidInput);
  });
});

describe('Evaluation: C14-2.4d abuse is never protected', () => {
  const selfInterest: AssessmentDraft = { ...partialWithDamage, motive: { ...positive, noSelfInterest: false } };

  it.each(['excluded', 'exempted', 'reduced'] as const)('C14-2.4d: a finding of self-interest refuses %s', (liability) => {
    spec.given(upTo(selfInterest)).when(decide(liability)).thenThrows(RuleViolation, { clause: 'C14-2.4d', allowed: ['upheld'] });
  });

  it('C14-2.4d: a finding of self-interest accepts only upheld', () => {
    spec.given(upTo(selfInterest)).when(decide('upheld')).then([decided('upheld', selfInterest)]);
  });

  it('C14-2.4d: self-interest behind an achieved outcome is still upheld, not none', () => {
    const achievedForSelf: AssessmentDraft = { ...achieved, motive: { ...positive, noSelfInterest: false } };
    spec.given(upTo(achievedForSelf)).when(decide('none')).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
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

  it('C14-2.4d: a finding of self-interest is not closed until it is referred to the inspector and found on', () => {
    const given = [...upTo(selfInterest), decided('upheld', selfInterest)];
    spec.given(given).when(close()).thenThrows(RuleViolation, { clause: 'C14-2.4d' });
    const withReferral = [...given, referred(['self-interest'], 'liability-decided')];
    spec.given(withReferral).when(close()).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
    const [event] = spec.given([...withReferral, found('substantiated')]).when(close()).events();
    expect(event.data).toMatchObject({ liability: 'upheld', abuseReferred: true, abuseSubstantiated: true });
  });
});

describe('Evaluation: C14-2.4e a referral is an allegation until the inspector finds', () => {
  const referredAssessed = [...upTo(failedWithoutDamage), referred(['corruption'], 'assessed')];

  it('C14-2.4e: an AbuseReferred alone no longer forces upheld: liability waits while the case is open (wrong before)', () => {
    spec.given(referredAssessed).when(decide('upheld')).thenThrows(RuleViolation, { clause: 'C14-2.4e', openCaseIds: ['ref-1'] });
    spec.given(referredAssessed).when(decide('excluded')).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
  });

  it('C14-2.4e: the finding on the referral is recorded once', () => {
    spec.given(referredAssessed).when(recordFinding('dismissed')).then([found('dismissed')]);
    spec.given([...referredAssessed, found('dismissed')]).when(recordFinding('dismissed')).then([]);
    spec.given(referredAssessed).when(recordFinding('dismissed', 'ref-unknown')).thenThrows(InvalidInput);
  });

  it('C14-2.4e: substantiated: only upheld, protecting nobody', () => {
    const given = [...referredAssessed, found('substantiated')];
    spec.given(given).when(decide('excluded')).thenThrows(RuleViolation, { clause: 'C14-2.4e', allowed: ['upheld'] });
    spec.given(given).when(decide('upheld')).then([decided('upheld', failedWithoutDamage)]);
  });

  it('C14-2.4e: dismissed restores the protection, as if nothing had been referred (wrong before)', () => {
    const given = [...referredAssessed, found('dismissed')];
    spec.given(given).when(decide('upheld')).thenThrows(RuleViolation, { clause: 'D73-11', allowed: ['excluded'] });
    spec.given(given).when(decide('excluded')).then([decided('excluded', failedWithoutDamage)]);
    const [closed] = spec.given([...given, decided('excluded', failedWithoutDamage)]).when(close()).events();
    expect(closed.data).toMatchObject({ liability: 'excluded', abuseReferred: true, abuseSubstantiated: false });
  });

  it('C14-2.4e: of two referrals, one dismissed and one open, liability still waits', () => {
    const given = [...referredAssessed, found('dismissed'), referred(['negativity'], 'assessed', 'ref-2')];
    spec.given(given).when(decide('excluded')).thenThrows(RuleViolation, { clause: 'C14-2.4e', openCaseIds: ['ref-2'] });
  });

  it('C14-2.4e: abuse substantiated after a protective decision reopens it; only upheld is then accepted', () => {
    const given = [...upTo(partialWithDamage), decided('reduced', partialWithDamage), referred(['corruption'], 'liability-decided')];
    spec.given(given).when(close()).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
    spec.given(given).when(decide('upheld')).thenThrows(IllegalTransition);
    const substantiated = [...given, found('substantiated')];
    spec.given(substantiated).when(close()).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
    spec.given(substantiated).when(decide('reduced')).thenThrows(RuleViolation, { clause: 'C14-2.4e' });
    spec.given(substantiated).when(decide('upheld')).then([decided('upheld', partialWithDamage)]);
  });

  it('C14-2.4e: a referral after a protective decision, dismissed, leaves the decision standing', () => {
    const given = [...upTo(partialWithDamage), decided('reduced', partialWithDamage), referred(['corruption'], 'liability-decided'), found('dismissed')];
    const [event] = spec.given(given).when(close()).events();
    expect(event.data).toMatchObject({ liability: 'reduced', abuseReferred: true, abuseSubstantiated: false });
  });
});

describe('Evaluation: closing hands off', () => {
  it('EvaluationClosed carries the outcome and the liability', () => {
    spec
      .given([...upTo(partialWithDamage), decided('exempted', partialWithDamage)])
      .when(close())
      .then([
        {
          type: 'EvaluationClosed',
          data: {
            ...subject,
            outcome: 'partially-achieved',
            notable: false,
            liability: 'exempted',
            abuseReferred: false,
            abuseSubstantiated: false,
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
    ['none', [], report()],
    ['none', [referred(['corruption'], 'none')], assess(failedWithoutDamage)],
    ['open', [opened()], decide('excluded')],
    ['results-reported', [opened(), resultsReported], report()],
    ['results-reported', [opened(), resultsReported], close()],
    [
      'assessed',
      upTo(achieved),
      { type: 'ConsultPartyCommittee', data: { proposalId, committeeUnitId: 'u', opinion: 'supports', summary: 'x' }, metadata: evaluator() },
    ],
    ['liability-decided', decidedAchieved, decide('none')],
    ['liability-decided', decidedAchieved, assess(achieved)],
    ['closed', [...decidedAchieved, closedAchieved], assess(achieved)],
    ['closed', [...decidedAchieved, closedAchieved], close()],
  ];

  it.each(cases.map(([from, given, command]) => [command.type, from, given, command] as const))('refuses %s from %s', (_, from, given, command) => {
    spec.given(given).when(command).thenThrows(IllegalTransition, { from, command: command.type });
  });
});
