import { type CommandMetadata, Forbidden, IllegalTransition, InvalidInput, RuleViolation, deciderOf } from '@dotpha/kernel';
import { tallyBlocker, tallyCollective } from '@dotpha/org';
import type {
  AnswerAssessment,
  AssessOutcome,
  CastEvaluationVote,
  CloseEvaluation,
  ConsultPartyCommittee,
  DecideLiability,
  EvaluationCommand,
  OpenEvaluation,
  RecordInspectionFinding,
  ReferAbuse,
  ReportResults,
  TallyEvaluationVote,
} from './commands';
import { type EvaluationEvent, proposerOnly } from './events';
import {
  type AssessmentRecord,
  type DecisionRecord,
  type DraftRecord,
  type EvaluationSchedule,
  type EvaluationState,
  type EvaluationSubject,
  abuseSubstantiated,
  evolveEvaluation,
  initialEvaluationState,
  pendingReferrals,
} from './evaluation.state';
import { checkDamage, isAfter, isInstant, namedOnce, says } from './input';
import type { EvaluationStatus } from './lifecycle';
import { admissibleLiability, protectedPersonIds } from './liability';

const WHAT = 'Evaluation';

function openEvaluation(command: OpenEvaluation, state: EvaluationState): readonly EvaluationEvent[] {
  const { data, metadata } = command;
  if (state.subject) sameSubject(state.subject, data);
  // PilotCompleted or PilotTerminated delivered again.
  if (state.schedule) return [];
  if (data.people.proposerId !== data.proposerId) throw new InvalidInput('the people of the plan name its proposer');
  const { reportDueBy, evaluationDueBy } = data;
  if (!isInstant(reportDueBy) || !isInstant(evaluationDueBy) || !isInstant(data.pilot.endedAt)) {
    throw new InvalidInput('due times and the end of the pilot are ISO instants');
  }
  if (!isAfter(reportDueBy, data.pilot.endedAt) || isAfter(reportDueBy, evaluationDueBy)) {
    throw new RuleViolation('D73-eval', 'results are due after the pilot ends, and the evaluation no earlier than the results', {
      endedAt: data.pilot.endedAt,
      reportDueBy,
      evaluationDueBy,
    });
  }
  return [
    {
      type: 'EvaluationOpened',
      data: {
        proposalId: data.proposalId,
        proposerId: data.proposerId,
        proposerUnitId: data.proposerUnitId,
        pilot: data.pilot,
        people: data.people,
        reportDueBy,
        evaluationDueBy,
        // D73-4, D73-4b: consulting the same-level party committee is mandatory, not a setting.
        partyCommitteeConsultationRequired: true,
        openedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function reportResults(command: ReportResults, state: EvaluationState): readonly EvaluationEvent[] {
  const { subject, schedule } = inStatus(state, command, 'open');
  const { data, metadata } = command;
  const at = metadata.now.toISOString();
  if (metadata.actor.userId !== subject.proposerId) throw new Forbidden('only the implementer reports the results of their pilot');
  const { evaluationDueBy } = data;
  // D73-eval: the collective evaluates within its working days of RECEIVING the report.
  if (!isInstant(evaluationDueBy) || !isAfter(evaluationDueBy, at)) {
    throw new RuleViolation('D73-eval', 'the evaluation falls due after the report is received', { reportedAt: at, evaluationDueBy });
  }
  return [
    {
      type: 'ResultsReported',
      data: {
        proposalId: subject.proposalId,
        reportedBy: metadata.actor.userId,
        report: data.report,
        attachmentIds: [...new Set(data.attachmentIds ?? [])],
        reportDueBy: schedule.reportDueBy,
        late: isAfter(at, schedule.reportDueBy),
        reportedAt: at,
        evaluationDueBy,
      },
    },
  ];
}

function consultPartyCommittee(command: ConsultPartyCommittee, state: EvaluationState): readonly EvaluationEvent[] {
  const { subject } = inStatus(state, command, 'open', 'results-reported');
  const { data, metadata } = command;
  return [
    {
      type: 'EvaluationPartyCommitteeConsulted',
      data: {
        proposalId: subject.proposalId,
        committeeUnitId: data.committeeUnitId,
        opinion: data.opinion,
        summary: data.summary,
        consultedBy: metadata.actor.userId,
        consultedAt: metadata.now.toISOString(),
      },
    },
  ];
}

/** The evaluator proposes; the collective of the evaluating unit decides (DOMAIN.md §4.5). */
function assessOutcome(command: AssessOutcome, state: EvaluationState): readonly EvaluationEvent[] {
  const { subject, schedule } = inStatus(state, command, 'open', 'results-reported', 'assessed');
  const { data, metadata } = command;
  const at = metadata.now.toISOString();
  // D73-eval: the implementer has until the due time to report; after it the evaluation goes on without them.
  if (!state.resultsReported && !isAfter(at, schedule.reportDueBy)) {
    throw new RuleViolation('D73-eval', `the implementer has until ${schedule.reportDueBy} to report results`);
  }
  impartial(subject, metadata, 'assess the outcome');
  if (schedule.consultationRequired && !state.consulted) {
    throw new RuleViolation('D73-4', 'consult the same-level party committee before evaluating');
  }
  if ((data.outcome !== 'achieved' || data.damage.caused) && !data.causes.some((c) => says(c.description))) {
    throw new RuleViolation('C14-2.4b', 'a pilot not fully achieved, or one that caused damage, states its objective or subjective causes');
  }
  const damage = checkDamage(data.damage);
  const people = state.people ?? proposerOnly(subject.proposerId);
  // C14-2.4b: impartially: a proposing member neither votes nor counts, and whoever approved the plan
  // does not assess it alone.
  const proposing = new Set([people.proposerId, ...people.coProposerIds]);
  const memberIds = [...new Set(data.collective.memberIds)].filter((id) => !proposing.has(id));
  const { headId, unitId } = data.collective;
  if (proposing.has(headId)) {
    throw new RuleViolation('C14-2.4b', 'the head of the evaluating unit is among the proposers: the evaluation belongs to another collective');
  }
  if (!memberIds.includes(headId)) throw new InvalidInput('the head chairs the collective as one of its members');
  if (memberIds.length === 1 && memberIds[0] === people.approvingHeadId) {
    throw new RuleViolation('C14-2.4b', 'the head who approved the plan would assess its result alone');
  }
  return [
    {
      type: 'AssessmentProposed',
      data: {
        ...subject,
        outcome: data.outcome,
        notable: data.notable,
        damage,
        causes: data.causes,
        motive: data.motive,
        assessment: data.assessment,
        round: state.rounds + 1,
        collective: { unitId, headId, memberIds },
        proposedBy: metadata.actor.userId,
        proposedAt: at,
      },
    },
  ];
}

function castEvaluationVote(command: CastEvaluationVote, state: EvaluationState): readonly EvaluationEvent[] {
  const { draft } = withDraft(state, command);
  const voterId = command.metadata.actor.userId;
  if (!draft.collective.memberIds.includes(voterId)) {
    throw new Forbidden(`only the members of the collective of '${draft.collective.unitId}' vote on the assessment`);
  }
  if (draft.votes[voterId] === command.data.vote) return [];
  return [
    {
      type: 'EvaluationVoteRecorded',
      data: { proposalId: command.data.proposalId, round: draft.round, voterId, vote: command.data.vote, votedAt: command.metadata.now.toISOString() },
    },
  ];
}

/** D73-eval: the collective's decision, by the vote rule of DOMAIN.md §4.3 (D73-8.1b). */
function tallyEvaluationVote(command: TallyEvaluationVote, state: EvaluationState): readonly EvaluationEvent[] {
  const { subject, schedule, draft } = withDraft(state, command);
  const { metadata, data } = command;
  const at = metadata.now.toISOString();
  const { collective } = draft;
  if (metadata.actor.userId !== collective.headId) throw new Forbidden('the head who chairs the collective takes the tally');
  const input = { memberIds: collective.memberIds, votes: draft.votes, headId: collective.headId };
  const blocker = tallyBlocker(input, data.closeMeeting);
  if (blocker) throw new RuleViolation('D73-eval', blocker, { votes: Object.keys(draft.votes).length, members: collective.memberIds.length });
  if (!isInstant(data.answerDueBy) || !isAfter(data.answerDueBy, at)) throw new InvalidInput('the answer is due after the assessment');
  const t = tallyCollective(input);
  const tallied: EvaluationEvent = {
    type: 'EvaluationVoteTallied',
    data: {
      ...subject,
      round: draft.round,
      unitId: collective.unitId,
      headId: collective.headId,
      memberIds: collective.memberIds,
      votes: draft.votes,
      for: t.for,
      against: t.against,
      abstain: t.abstain,
      members: t.members,
      participated: t.participated,
      quorum: t.quorum,
      tie: t.tie,
      headVote: t.headVote,
      result: t.result,
      closedMeeting: data.closeMeeting,
      talliedBy: metadata.actor.userId,
      talliedAt: at,
    },
  };
  if (t.result === 'rejected') return [tallied];
  const { outcome, notable, damage, causes, motive, assessment } = draft.draft;
  return [
    tallied,
    {
      type: 'OutcomeAssessed',
      data: {
        ...subject,
        outcome,
        notable,
        damage,
        causes,
        motive,
        assessment,
        resultsReported: state.resultsReported,
        evaluationDueBy: schedule.evaluationDueBy,
        late: isAfter(at, schedule.evaluationDueBy),
        assessedBy: draft.proposedBy,
        assessedAt: at,
        round: draft.round,
        answerDueBy: data.answerDueBy,
      },
    },
  ];
}

/** C14-2.4f: the cadre answers the assessment in writing, within the window. */
function answerAssessment(command: AnswerAssessment, state: EvaluationState): readonly EvaluationEvent[] {
  const { subject, assessment } = inStatus(state, command, 'assessed');
  const { metadata } = command;
  const at = metadata.now.toISOString();
  if (!assessment) throw new IllegalTransition(WHAT, state.status, command.type);
  if (metadata.actor.userId !== subject.proposerId) throw new Forbidden('the cadre assessed answers the assessment');
  if (assessment.answered) throw new IllegalTransition(WHAT, 'answered', command.type);
  if (isAfter(at, assessment.answerDueBy)) {
    throw new RuleViolation('C14-2.4f', `the time to answer ended at ${assessment.answerDueBy}`, { answerDueBy: assessment.answerDueBy });
  }
  if (!says(command.data.answer)) throw new InvalidInput('the answer says something');
  return [{ type: 'AssessmentAnswered', data: { proposalId: subject.proposalId, cadreId: subject.proposerId, answer: command.data.answer, answeredAt: at } }];
}

function decideLiability(command: DecideLiability, state: EvaluationState): readonly EvaluationEvent[] {
  const { metadata, data } = command;
  const { subject, assessment, decision } = decidable(state, command);
  impartial(subject, metadata, 'decide liability');
  const { liability, reasons, legalBasis } = data;
  if (!reasons.some(says)) throw new InvalidInput('a liability decision states its reasons');
  if (!says(legalBasis)) throw new InvalidInput('a liability decision names its legal basis (D73-2)');
  waitForFindings(state, 'liability');
  if (state.draft) throw new RuleViolation('D73-eval', 'a new assessment is before the collective: liability waits for its vote');
  if (!assessment.answered && !isAfter(metadata.now.toISOString(), assessment.answerDueBy)) {
    throw new RuleViolation('C14-2.4f', `the cadre may answer the assessment until ${assessment.answerDueBy}`, {
      answerDueBy: assessment.answerDueBy,
    });
  }
  const admissible = admissibleLiability({
    outcome: assessment.outcome,
    damageCaused: assessment.damageCaused,
    motive: assessment.motive,
    abuseSubstantiated: abuseSubstantiated(state),
  });
  if (!admissible.allowed.includes(liability)) {
    throw new RuleViolation(admissible.clause, `${admissible.because}: '${liability}' is not admissible`, {
      allowed: admissible.allowed,
      ...(decision ? { previous: decision.liability } : {}),
    });
  }
  return [
    {
      type: 'LiabilityDecided',
      data: {
        ...subject,
        liability,
        reasons,
        outcome: assessment.outcome,
        damageCaused: assessment.damageCaused,
        decidedBy: metadata.actor.userId,
        decidedAt: metadata.now.toISOString(),
        legalBasis,
        protectedPersonIds: protectedPersonIds(liability, state.people ?? proposerOnly(subject.proposerId)),
      },
    },
  ];
}

function recordInspectionFinding(command: RecordInspectionFinding, state: EvaluationState): readonly EvaluationEvent[] {
  const { data, metadata } = command;
  const referral = state.referrals.find((r) => r.referralId === data.referralId);
  if (!state.subject || !referral || state.subject.proposalId !== data.proposalId) {
    throw new InvalidInput(`no referral '${data.referralId}' on proposal '${data.proposalId}'`);
  }
  // The finding delivered again.
  if (referral.finding !== null) return [];
  return [
    {
      type: 'ReferralFindingRecorded',
      data: {
        ...state.subject,
        referralId: data.referralId,
        caseId: data.caseId,
        finding: data.finding,
        foundAt: data.foundAt,
        recordedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function referAbuse(command: ReferAbuse, state: EvaluationState): readonly EvaluationEvent[] {
  const { data, metadata } = command;
  if (state.subject) sameSubject(state.subject, data);
  if (state.referrals.some((r) => r.referralId === data.referralId)) return [];
  if (!namedOnce(data.grounds)) throw new InvalidInput('name each ground of the referral once');
  return [
    {
      type: 'AbuseReferred',
      data: {
        proposalId: data.proposalId,
        proposerId: data.proposerId,
        proposerUnitId: data.proposerUnitId,
        referralId: data.referralId,
        grounds: data.grounds,
        description: data.description,
        stage: state.status,
        referredBy: metadata.actor.userId,
        referredAt: metadata.now.toISOString(),
      },
    },
  ];
}

function closeEvaluation(command: CloseEvaluation, state: EvaluationState): readonly EvaluationEvent[] {
  const { subject, assessment, decision } = inStatus(state, command, 'liability-decided');
  if (!assessment || !decision) throw new IllegalTransition(WHAT, state.status, command.type);
  waitForFindings(state, 'closing');
  // C14-2.4d: self-interest is handled strictly, so it cannot be closed without the inspector knowing.
  if (!assessment.motive.noSelfInterest && !state.referrals.some((r) => r.grounds.includes('self-interest'))) {
    throw new RuleViolation('C14-2.4d', 'self-interest was found: refer it to the inspector before closing');
  }
  if (stale(state)) {
    throw new RuleViolation('C14-2.4e', 'the inspector substantiated abuse after the liability decision: decide liability again');
  }
  return [
    {
      type: 'EvaluationClosed',
      data: {
        ...subject,
        outcome: assessment.outcome,
        notable: assessment.notable,
        liability: decision.liability,
        abuseReferred: state.referrals.length > 0,
        abuseSubstantiated: abuseSubstantiated(state),
        closedBy: command.metadata.actor.userId,
        closedAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

export const evaluationDecider = deciderOf<EvaluationState, EvaluationCommand, EvaluationEvent>({
  initialState: initialEvaluationState,
  evolve: evolveEvaluation,
  commands: {
    OpenEvaluation: openEvaluation,
    ReportResults: reportResults,
    ConsultPartyCommittee: consultPartyCommittee,
    AssessOutcome: assessOutcome,
    CastEvaluationVote: castEvaluationVote,
    TallyEvaluationVote: tallyEvaluationVote,
    AnswerAssessment: answerAssessment,
    DecideLiability: decideLiability,
    ReferAbuse: referAbuse,
    RecordInspectionFinding: recordInspectionFinding,
    CloseEvaluation: closeEvaluation,
  },
});

// ---- guards ----

interface Opened {
  readonly subject: EvaluationSubject;
  readonly schedule: EvaluationSchedule;
  readonly assessment: AssessmentRecord | null;
  readonly decision: DecisionRecord | null;
}

function inStatus(state: EvaluationState, command: EvaluationCommand, ...allowed: EvaluationStatus[]): Opened {
  const { subject, schedule } = state;
  if (!allowed.includes(state.status) || !subject || !schedule) throw new IllegalTransition(WHAT, state.status, command.type);
  if (command.data.proposalId !== subject.proposalId) {
    throw new InvalidInput(`the command is for proposal '${command.data.proposalId}', this evaluation is '${subject.proposalId}'`);
  }
  return { subject, schedule, assessment: state.assessment, decision: state.decision };
}

function withDraft(state: EvaluationState, command: EvaluationCommand): Opened & { readonly draft: DraftRecord } {
  const opened = inStatus(state, command, 'open', 'results-reported', 'assessed');
  if (!state.draft) throw new IllegalTransition(WHAT, `${state.status} (no assessment before the collective)`, command.type);
  return { ...opened, draft: state.draft };
}

/** A protective decision taken before the inspector substantiated abuse (C14-2.4e). */
function stale(state: EvaluationState): boolean {
  return state.decision !== null && state.decision.liability !== 'upheld' && abuseSubstantiated(state);
}

/**
 * Liability is decided once on the assessment in effect. A substantiated finding that arrives
 * after a protective decision reopens it (C14-2.4d/e: never protected, whenever abuse is proven).
 */
function decidable(state: EvaluationState, command: EvaluationCommand): Opened & { readonly assessment: AssessmentRecord } {
  const opened = stale(state) ? inStatus(state, command, 'liability-decided', 'closed') : inStatus(state, command, 'assessed');
  if (!opened.assessment) throw new IllegalTransition(WHAT, state.status, command.type);
  return { ...opened, assessment: opened.assessment };
}

/** C14-2.4e: while a referral's case is open, the allegation is neither proof nor nothing: wait. */
function waitForFindings(state: EvaluationState, what: 'liability' | 'closing'): void {
  const pending = pendingReferrals(state);
  if (pending.length > 0) {
    throw new RuleViolation('C14-2.4e', `${what === 'liability' ? 'liability is not decided' : 'the evaluation is not closed'} while an inspection case is open`, {
      openCaseIds: pending.map((r) => r.referralId),
    });
  }
}

/** C14-2.4b: assessed impartially, so never by the cadre being assessed. */
function impartial(subject: EvaluationSubject, metadata: CommandMetadata, act: string): void {
  if (metadata.actor.userId === subject.proposerId) throw new Forbidden(`the proposer cannot ${act} on their own pilot`);
}

function sameSubject(subject: EvaluationSubject, data: EvaluationSubject): void {
  if (subject.proposalId !== data.proposalId || subject.proposerId !== data.proposerId || subject.proposerUnitId !== data.proposerUnitId) {
    throw new InvalidInput(`this evaluation is about proposal '${subject.proposalId}' by '${subject.proposerId}'`);
  }
}
