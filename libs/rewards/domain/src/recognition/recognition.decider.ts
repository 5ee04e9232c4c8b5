import { type Decider, Forbidden, IllegalTransition, InvalidInput, RuleViolation, assertNever } from '@dotpha/kernel';
import { type Awards, type ProposalPeople, proposerOnly } from '../facts';
import type { GrantRecognition, RecognitionCommand, RecommendRecognition } from './commands';
import type { RecognitionEvent } from './events';

export type RecognitionStatus = 'none' | 'recommended' | 'granted' | 'declined';

export interface RecognitionSubject {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}

export interface RecognitionState {
  readonly status: RecognitionStatus;
  readonly subject: RecognitionSubject | null;
  readonly outcome: 'achieved' | 'partially-achieved' | null;
  /** D73-10b: who the recognition reaches; null before the recommendation. */
  readonly people: ProposalPeople | null;
  /** C14-2.4d: an abuse referral bars recognition whatever the status. */
  readonly barred: boolean;
  readonly replicationIds: readonly string[];
  readonly institutionalizationIds: readonly string[];
}

/**
 * HP-points: a cap keeps one initiative from deciding a cadre's annual rating on its own. The
 * figure is a placeholder until checked against the instance's scoring rules (Hải Phòng 1033-CV/TU).
 */
export const MAX_BONUS_POINTS = 10;
/** D73-10: the salary step is raised twelve months early. */
export const SALARY_STEP_EARLY_MONTHS = 12;

const WHAT = 'Recognition';

export const recognitionDecider: Decider<RecognitionState, RecognitionCommand, RecognitionEvent> = {
  initialState: () => ({
    status: 'none',
    subject: null,
    outcome: null,
    people: null,
    barred: false,
    replicationIds: [],
    institutionalizationIds: [],
  }),
  evolve,
  decide,
};

function decide(command: RecognitionCommand, state: RecognitionState): readonly RecognitionEvent[] {
  const { metadata } = command;
  const at = metadata.now.toISOString();
  const by = metadata.actor.userId;
  switch (command.type) {
    case 'RecommendRecognition':
      return recommend(command, state);
    case 'RecordAbuseReferral': {
      const { data } = command;
      if (state.subject) sameProposal(state.subject.proposalId, data.proposalId);
      if (state.barred) return [];
      return [
        {
          type: 'RecognitionBarred',
          data: {
            proposalId: data.proposalId,
            proposerId: data.proposerId,
            proposerUnitId: data.proposerUnitId,
            grounds: data.grounds,
            referredAt: data.referredAt,
            afterGrant: state.status === 'granted',
            barredAt: at,
          },
        },
      ];
    }
    case 'GrantRecognition':
      return grant(command, state);
    case 'DeclineRecognition': {
      const subject = inStatus(state, command, 'recommended');
      const { reasons } = command.data;
      // The cadre is owed the reasons their recognition was declined.
      if (!reasons.some((r) => r.trim() !== '')) throw new InvalidInput('a declined recognition states its reasons');
      return [
        {
          type: 'RecognitionDeclined',
          data: {
            proposalId: subject.proposalId,
            proposerId: subject.proposerId,
            reasons,
            declinedBy: by,
            declinedAt: at,
          },
        },
      ];
    }
    case 'RecommendReplication': {
      notBarred(state);
      const { data } = command;
      if (state.status === 'none') {
        throw new RuleViolation('C14-2.5a', 'only a model whose outcome was recommended for recognition is replicated');
      }
      const subject = inStatus(state, command, 'recommended', 'granted', 'declined');
      if (state.replicationIds.includes(data.replicationId)) return [];
      return [
        {
          type: 'ReplicationRecommended',
          data: {
            proposalId: subject.proposalId,
            replicationId: data.replicationId,
            targetUnitIds: [...new Set(data.targetUnitIds)],
            reviewPeriod: data.reviewPeriod,
            reasons: data.reasons,
            recommendedBy: by,
            recommendedAt: at,
          },
        },
      ];
    }
    case 'ProposeInstitutionalization': {
      notBarred(state);
      const { data } = command;
      // Model life cycle: replication-recommended → institutionalization-proposed (DOMAIN.md §4).
      if (state.replicationIds.length === 0) {
        throw new RuleViolation('C14-2.5b', 'a model is proposed for institutionalization once it is recommended for replication');
      }
      const subject = inStatus(state, command, 'recommended', 'granted', 'declined');
      if (state.institutionalizationIds.includes(data.institutionalizationId)) return [];
      return [
        {
          type: 'InstitutionalizationProposed',
          data: {
            proposalId: subject.proposalId,
            institutionalizationId: data.institutionalizationId,
            level: data.level,
            addressedTo: data.addressedTo,
            instrument: data.instrument,
            reasons: data.reasons,
            proposedBy: by,
            proposedAt: at,
          },
        },
      ];
    }
    default:
      return assertNever(command, 'recognition command');
  }
}

function recommend(command: RecommendRecognition, state: RecognitionState): readonly RecognitionEvent[] {
  const { data, metadata } = command;
  if (state.subject) sameProposal(state.subject.proposalId, data.proposalId);
  notBarred(state);
  if (!data.noSelfInterest) throw new RuleViolation('C14-2.4d', 'self-interest was found: there is nothing to recognise');
  // A corrected assessment is assessed again; the recommendation already stands.
  if (state.status !== 'none') return [];
  if (!(data.outcome === 'achieved' || (data.outcome === 'partially-achieved' && data.notable))) {
    throw new RuleViolation('C14-2.5c', 'recognition is recommended for an achieved outcome, or a notable partial one');
  }
  return [
    {
      type: 'RecognitionRecommended',
      data: {
        proposalId: data.proposalId,
        proposerId: data.proposerId,
        proposerUnitId: data.proposerUnitId,
        outcome: data.outcome,
        notable: data.notable,
        people: peopleOf(data),
        recommendedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function grant(command: GrantRecognition, state: RecognitionState): readonly RecognitionEvent[] {
  notBarred(state);
  const subject = inStatus(state, command, 'recommended');
  const { data, metadata } = command;
  if (metadata.actor.userId === subject.proposerId) throw new Forbidden('a cadre cannot grant recognition for their own proposal');
  const { awards, proportionality } = data;
  checkAwards(awards, state.outcome === 'achieved');
  if (proportionality.justification.trim() === '') {
    throw new InvalidInput('say why the awards fit the scale, effectiveness and influence of the initiative');
  }
  return [
    {
      type: 'RecognitionGranted',
      data: {
        ...subject,
        awards,
        proportionality,
        people: state.people ?? proposerOnly(subject.proposerId),
        grantedBy: metadata.actor.userId,
        grantedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function checkAwards(awards: Awards, achieved: boolean): void {
  const { commendation, bonusPoints, promotionPriority, planningPriority, salaryStepEarlyMonths, excellentAchievement } = awards;
  const given = [commendation, bonusPoints, salaryStepEarlyMonths].filter((a) => a !== undefined).length
    + [promotionPriority, planningPriority, excellentAchievement].filter((a) => a === true).length;
  if (given === 0) throw new RuleViolation('C14-2.5c', 'a recognition grants at least one commendation, point, priority or benefit');
  if (bonusPoints !== undefined && !(Number.isFinite(bonusPoints) && bonusPoints > 0 && bonusPoints <= MAX_BONUS_POINTS)) {
    throw new RuleViolation('HP-points', `bonus points are more than 0 and at most ${MAX_BONUS_POINTS}, not ${bonusPoints}`);
  }
  if (salaryStepEarlyMonths !== undefined && salaryStepEarlyMonths !== SALARY_STEP_EARLY_MONTHS) {
    throw new RuleViolation('D73-10', `the salary step is raised ${SALARY_STEP_EARLY_MONTHS} months early, not ${salaryStepEarlyMonths}`);
  }
  if (achieved) return;
  // D73-10c (DOMAIN.md §4.6): Decree 73 Art. 10 rewards a "completed" initiative, which the domain
  // reads as an `achieved` outcome; a notable partial one may be praised (biểu dương) and no more:
  // no formal reward (khen thưởng), bonus points, salary step, excellent achievement or priority.
  const more = [
    commendation && commendation.level !== 'praise' && `a ${commendation.level} commendation`,
    bonusPoints !== undefined && 'bonus points',
    salaryStepEarlyMonths !== undefined && 'an early salary step',
    excellentAchievement && 'an excellent achievement',
    promotionPriority && 'promotion priority',
    planningPriority && 'planning priority',
  ].filter((x): x is string => typeof x === 'string');
  if (more.length) {
    throw new RuleViolation('D73-10c', `a partially achieved outcome may only be praised (biểu dương), not given ${more.join(', ')}`);
  }
}

/** D73-10b: the people the assessment names, or the proposer alone when it names no one. */
function peopleOf(data: RecommendRecognition['data']): ProposalPeople {
  const people = data.people ?? proposerOnly(data.proposerId);
  return people.proposerId === data.proposerId ? people : { ...people, proposerId: data.proposerId };
}

function evolve(state: RecognitionState, event: RecognitionEvent): RecognitionState {
  switch (event.type) {
    case 'RecognitionRecommended': {
      const { proposalId, proposerId, proposerUnitId, outcome, people } = event.data;
      return { ...state, status: 'recommended', subject: { proposalId, proposerId, proposerUnitId }, outcome, people };
    }
    case 'RecognitionBarred': {
      const { proposalId, proposerId, proposerUnitId } = event.data;
      return { ...state, barred: true, subject: state.subject ?? { proposalId, proposerId, proposerUnitId } };
    }
    case 'RecognitionGranted':
      return { ...state, status: 'granted' };
    case 'RecognitionDeclined':
      return { ...state, status: 'declined' };
    case 'ReplicationRecommended':
      return { ...state, replicationIds: [...state.replicationIds, event.data.replicationId] };
    case 'InstitutionalizationProposed':
      return { ...state, institutionalizationIds: [...state.institutionalizationIds, event.data.institutionalizationId] };
    default:
      return assertNever(event, 'recognition event');
  }
}

function inStatus(state: RecognitionState, command: RecognitionCommand, ...allowed: RecognitionStatus[]): RecognitionSubject {
  if (!allowed.includes(state.status) || !state.subject) throw new IllegalTransition(WHAT, state.status, command.type);
  sameProposal(state.subject.proposalId, command.data.proposalId);
  return state.subject;
}

function notBarred(state: RecognitionState): void {
  if (state.barred) throw new RuleViolation('C14-2.4d', 'abuse was referred for this proposal: it is not recognised or spread');
}

function sameProposal(expected: string, actual: string): void {
  if (expected !== actual) throw new InvalidInput(`the command is for proposal '${actual}', this recognition is '${expected}'`);
}
