import {
  type CommandMetadata,
  type Decider,
  Forbidden,
  IllegalTransition,
  InvalidInput,
  RuleViolation,
  assertNever,
} from '@dotpha/kernel';
import type {
  AbuseGround,
  AssessOutcome,
  EvaluationCommand,
  Liability,
  MotiveFindings,
  OpenEvaluation,
  Outcome,
} from './commands';
import type { EvaluationEvent } from './events';
import { admissibleLiability } from './liability';

export type EvaluationStatus = 'none' | 'open' | 'results-reported' | 'assessed' | 'liability-decided' | 'closed';

export interface EvaluationSubject {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}

export interface EvaluationSchedule {
  readonly reportDueBy: string;
  readonly evaluationDueBy: string;
  readonly consultationRequired: boolean;
}

export interface AssessmentRecord {
  readonly outcome: Outcome;
  readonly notable: boolean;
  readonly damageCaused: boolean;
  readonly motive: MotiveFindings;
}

export interface DecisionRecord {
  readonly liability: Liability;
  /** How many referrals the decision was taken with; a later one reopens the decision. */
  readonly referralsKnown: number;
}

export interface ReferralRecord {
  readonly referralId: string;
  readonly grounds: readonly AbuseGround[];
}

/**
 * Flat rather than one shape per status: a referral may arrive before the evaluation opens
 * (C14-2.4d), so who it is about is known independently of the schedule.
 */
export interface EvaluationState {
  readonly status: EvaluationStatus;
  readonly subject: EvaluationSubject | null;
  readonly schedule: EvaluationSchedule | null;
  readonly consulted: boolean;
  readonly resultsReported: boolean;
  readonly assessment: AssessmentRecord | null;
  readonly decision: DecisionRecord | null;
  readonly referrals: readonly ReferralRecord[];
}

const WHAT = 'Evaluation';

export const evaluationDecider: Decider<EvaluationState, EvaluationCommand, EvaluationEvent> = {
  initialState: () => ({
    status: 'none',
    subject: null,
    schedule: null,
    consulted: false,
    resultsReported: false,
    assessment: null,
    decision: null,
    referrals: [],
  }),
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
      return assess(command, state);
    case 'DecideLiability': {
      const { subject, assessment, decision } = decidable(state, command);
      impartial(subject, metadata, 'decide liability');
      const { liability, reasons } = command.data;
      if (!reasons.some((r) => r.trim() !== '')) throw new InvalidInput('a liability decision states its reasons');
      const admissible = admissibleLiability({
        outcome: assessment.outcome,
        damageCaused: assessment.damageCaused,
        motive: assessment.motive,
        abuseReferred: state.referrals.length > 0,
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
            decidedBy: by,
            decidedAt: at,
          },
        },
      ];
    }
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
    case 'CloseEvaluation': {
      const { subject, assessment, decision } = inStatus(state, command, 'liability-decided');
      if (!assessment || !decision) throw new IllegalTransition(WHAT, state.status, command.type);
      // C14-2.4d: self-interest is handled strictly, so it cannot be closed without the inspector knowing.
      if (!assessment.motive.noSelfInterest && !state.referrals.some((r) => r.grounds.includes('self-interest'))) {
        throw new RuleViolation('C14-2.4d', 'self-interest was found: refer it to the inspector before closing');
      }
      if (decision.referralsKnown < state.referrals.length && decision.liability !== 'upheld') {
        throw new RuleViolation('C14-2.4d', 'abuse was referred after the liability decision: decide liability again');
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
        reportDueBy,
        evaluationDueBy,
        partyCommitteeConsultationRequired: data.partyCommitteeConsultationRequired,
        openedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function assess(command: AssessOutcome, state: EvaluationState): readonly EvaluationEvent[] {
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
  return [
    {
      type: 'OutcomeAssessed',
      data: {
        ...subject,
        outcome: data.outcome,
        notable: data.notable,
        damage,
        causes: data.causes,
        motive: data.motive,
        assessment: data.assessment,
        resultsReported: state.resultsReported,
        evaluationDueBy: schedule.evaluationDueBy,
        late: isAfter(at, schedule.evaluationDueBy),
        assessedBy: metadata.actor.userId,
        assessedAt: at,
      },
    },
  ];
}

function evolve(state: EvaluationState, event: EvaluationEvent): EvaluationState {
  switch (event.type) {
    case 'EvaluationOpened': {
      const { proposalId, proposerId, proposerUnitId, reportDueBy, evaluationDueBy } = event.data;
      return {
        ...state,
        status: 'open',
        subject: { proposalId, proposerId, proposerUnitId },
        schedule: { reportDueBy, evaluationDueBy, consultationRequired: event.data.partyCommitteeConsultationRequired },
      };
    }
    case 'ResultsReported':
      return { ...state, status: 'results-reported', resultsReported: true };
    case 'EvaluationPartyCommitteeConsulted':
      return { ...state, consulted: true };
    case 'OutcomeAssessed': {
      const { outcome, notable, damage, motive } = event.data;
      return { ...state, status: 'assessed', assessment: { outcome, notable, damageCaused: damage.caused, motive } };
    }
    case 'LiabilityDecided':
      return {
        ...state,
        status: 'liability-decided',
        decision: { liability: event.data.liability, referralsKnown: state.referrals.length },
      };
    case 'AbuseReferred': {
      const { proposalId, proposerId, proposerUnitId, referralId, grounds } = event.data;
      return {
        ...state,
        subject: state.subject ?? { proposalId, proposerId, proposerUnitId },
        referrals: [...state.referrals, { referralId, grounds }],
      };
    }
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

/**
 * Liability is decided once on an assessment. A referral that arrives after a protective decision
 * reopens it (C14-2.4d: never protected, at whatever stage abuse comes to light).
 */
function decidable(state: EvaluationState, command: EvaluationCommand): Opened & { readonly assessment: AssessmentRecord } {
  const reopened =
    state.decision !== null && state.decision.liability !== 'upheld' && state.decision.referralsKnown < state.referrals.length;
  const opened = reopened ? inStatus(state, command, 'liability-decided', 'closed') : inStatus(state, command, 'assessed');
  if (!opened.assessment) throw new IllegalTransition(WHAT, state.status, command.type);
  return { ...opened, assessment: opened.assessment };
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
