import {
  type CommandMetadata,
  type Decider,
  Forbidden,
  IllegalTransition,
  InvalidInput,
  RuleViolation,
  assertNever,
} from '@dotpha/kernel';
import { tallyBlocker, tallyCollective } from '@dotpha/org';
import type {
  AnswerAssessment,
  AssessOutcome,
  CastEvaluationVote,
  DecideLiability,
  EvaluationCommand,
  OpenEvaluation,
  RecordInspectionFinding,
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
  initialEvaluationState,
  pendingReferrals,
} from './evaluation.state';
import type { EvaluationStatus } from './lifecycle';
import { admissibleLiability, protectedPersonIds } from './liability';

const WHAT = 'Evaluation';

export const evaluationDecider: Decider<EvaluationState, EvaluationCommand, EvaluationEvent> = {
  initialState: initialEvaluationState,
  evolve,
  decide,
};

function decide(command: EvaluationCommand, state: EvaluationState): readonly EvaluationEvent[] {
  const { metadata } = command;
  const at = metadata.now.toISOString();
  const by = metadata.actor.userId;
  switch (command.type) {
    case 'OpenEvaluation':
      return open(command, state);
    case 'ReportResults': {
      const { subject, schedule } = inStatus(state, command, 'open');
      if (by !== subject.proposerId) throw new Forbidden('only the implementer reports the results of their pilot');
      const { evaluationDueBy } = command.data;
      // D73-eval: the collective evaluates within its working days of RECEIVING the report.
      if (!isInstant(evaluationDueBy) || !isAfter(evaluationDueBy, at)) {
        throw new RuleViolation('D73-eval', 'the evaluation falls due after the report is received', { reportedAt: at, evaluationDueBy });
      }
      return [
        {
          type: 'ResultsReported',
          data: {
            proposalId: subject.proposalId,
            reportedBy: by,
            report: command.data.report,
            attachmentIds: [...new Set(command.data.attachmentIds ?? [])],
            reportDueBy: schedule.reportDueBy,
            late: isAfter(at, schedule.reportDueBy),
            reportedAt: at,
            evaluationDueBy,
          },
        },
      ];
    }
    case 'ConsultPartyCommittee': {
      const { subject } = inStatus(state, command, 'open', 'results-reported');
      const { data } = command;
      return [
        {
          type: 'EvaluationPartyCommitteeConsulted',
          data: {
            proposalId: subject.proposalId,
            committeeUnitId: data.committeeUnitId,
            opinion: data.opinion,
            summary: data.summary,
            consultedBy: by,
            consultedAt: at,
          },
        },
      ];
    }
    case 'AssessOutcome':
      return propose(command, state);
    case 'CastEvaluationVote':
      return castVote(command, state);
    case 'TallyEvaluationVote':
      return tally(command, state);
    case 'AnswerAssessment':
      return answer(command, state);
    case 'DecideLiability':
      return decideLiability(command, state);
    case 'ReferAbuse': {
      const { data } = command;
      if (state.subject) sameSubject(state.subject, data);
      if (state.referrals.some((r) => r.referralId === data.referralId)) return [];
      if (data.grounds.length === 0 || new Set(data.grounds).size !== data.grounds.length) {
        throw new InvalidInput('name each ground of the referral once');
      }
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
            referredBy: by,
            referredAt: at,
          },
        },
      ];
    }
    case 'RecordInspectionFinding':
      return recordFinding(command, state);
    case 'CloseEvaluation': {
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
            closedBy: by,
            closedAt: at,
          },
        },
      ];
    }
    default:
      return assertNever(command, 'evaluation command');
  }
}

function open(command: OpenEvaluation, state: EvaluationState): readonly EvaluationEvent[] {
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

/** The evaluator proposes; the collective of the evaluating unit decides (DOMAIN.md §4.5). */
function propose(command: AssessOutcome, state: EvaluationState): readonly EvaluationEvent[] {
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
  if ((data.outcome !== 'achieved' || data.damage.caused) && !data.causes.some((c) => c.description.trim() !== '')) {
    throw new RuleViolation('C14-2.4b', 'a pilot not fully achieved, or one that caused damage, states its objective or subjective causes');
  }
  const { damage } = data;
  if (damage.caused && !(damage.estimate !== undefined && Number.isFinite(damage.estimate) && damage.estimate >= 0)) {
    throw new InvalidInput('damage caused is recorded with its estimate');
  }
  if (!damage.caused && damage.estimate !== undefined) throw new InvalidInput('no damage, so no estimate');
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

function castVote(command: CastEvaluationVote, state: EvaluationState): readonly EvaluationEvent[] {
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
function tally(command: TallyEvaluationVote, state: EvaluationState): readonly EvaluationEvent[] {
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
function answer(command: AnswerAssessment, state: EvaluationState): readonly EvaluationEvent[] {
  const { subject, assessment } = inStatus(state, command, 'assessed');
  const { metadata } = command;
  const at = metadata.now.toISOString();
  if (!assessment) throw new IllegalTransition(WHAT, state.status, command.type);
  if (metadata.actor.userId !== subject.proposerId) throw new Forbidden('the cadre assessed answers the assessment');
  if (assessment.answered) throw new IllegalTransition(WHAT, 'answered', command.type);
  if (isAfter(at, assessment.answerDueBy)) {
    throw new RuleViolation('C14-2.4f', `the time to answer ended at ${assessment.answerDueBy}`, { answerDueBy: assessment.answerDueBy });
  }
  if (command.data.answer.trim() === '') throw new InvalidInput('the answer says something');
  return [{ type: 'AssessmentAnswered', data: { proposalId: subject.proposalId, cadreId: subject.proposerId, answer: command.data.answer, answeredAt: at } }];
}

function decideLiability(command: DecideLiability, state: EvaluationState): readonly EvaluationEvent[] {
  const { metadata, data } = command;
  const { subject, assessment, decision } = decidable(state, command);
  impartial(subject, metadata, 'decide liability');
  const { liability, reasons, legalBasis } = data;
  if (!reasons.some((r) => r.trim() !== '')) throw new InvalidInput('a liability decision states its reasons');
  if (legalBasis.trim() === '') throw new InvalidInput('a liability decision names its legal basis (D73-2)');
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

function recordFinding(command: RecordInspectionFinding, state: EvaluationState): readonly EvaluationEvent[] {
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

function evolve(state: EvaluationState, event: EvaluationEvent): EvaluationState {
  switch (event.type) {
    case 'EvaluationOpened': {
      const { proposalId, proposerId, proposerUnitId, reportDueBy, evaluationDueBy, people } = event.data;
      return {
        ...state,
        status: 'open',
        subject: { proposalId, proposerId, proposerUnitId },
        people,
        schedule: { reportDueBy, evaluationDueBy, consultationRequired: event.data.partyCommitteeConsultationRequired },
      };
    }
    case 'ResultsReported': {
      const { evaluationDueBy } = event.data;
      const schedule = state.schedule && evaluationDueBy !== null ? { ...state.schedule, evaluationDueBy } : state.schedule;
      return { ...state, status: 'results-reported', resultsReported: true, schedule };
    }
    case 'EvaluationPartyCommitteeConsulted':
      return { ...state, consulted: true };
    case 'AssessmentProposed': {
      const { round, collective, proposedBy, outcome, notable, damage, causes, motive, assessment } = event.data;
      return { ...state, rounds: round, draft: { round, collective, proposedBy, votes: {}, draft: { outcome, notable, damage, causes, motive, assessment } } };
    }
    case 'EvaluationVoteRecorded': {
      const { draft } = state;
      if (!draft || draft.round !== event.data.round) return state;
      return { ...state, draft: { ...draft, votes: { ...draft.votes, [event.data.voterId]: event.data.vote } } };
    }
    case 'EvaluationVoteTallied':
      return { ...state, draft: null };
    case 'OutcomeAssessed': {
      const { outcome, notable, damage, motive, answerDueBy, round } = event.data;
      return {
        ...state,
        status: 'assessed',
        rounds: Math.max(state.rounds, round ?? 0),
        draft: null,
        assessment: { outcome, notable, damageCaused: damage.caused, motive, answerDueBy, answered: false },
      };
    }
    case 'AssessmentAnswered':
      return state.assessment ? { ...state, assessment: { ...state.assessment, answered: true } } : state;
    case 'LiabilityDecided':
      return { ...state, status: 'liability-decided', decision: { liability: event.data.liability } };
    case 'AbuseReferred': {
      const { proposalId, proposerId, proposerUnitId, referralId, grounds } = event.data;
      return {
        ...state,
        subject: state.subject ?? { proposalId, proposerId, proposerUnitId },
        referrals: [...state.referrals, { referralId, grounds, finding: null }],
      };
    }
    case 'ReferralFindingRecorded':
      return {
        ...state,
        referrals: state.referrals.map((r) => (r.referralId === event.data.referralId ? { ...r, finding: event.data.finding } : r)),
      };
    case 'EvaluationClosed':
      return { ...state, status: 'closed' };
    default:
      return assertNever(event, 'evaluation event');
  }
}

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

function isInstant(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

function isAfter(a: string, b: string): boolean {
  return Date.parse(a) > Date.parse(b);
}
