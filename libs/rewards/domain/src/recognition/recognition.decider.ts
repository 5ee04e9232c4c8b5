import { Forbidden, IllegalTransition, InvalidInput, RuleViolation, deciderOf } from '@dotpha/kernel';
import { type Awards, type ProposalPeople, type RecordAbuseReferral, type RecordReferralFinding, proposerOnly } from '../facts';
import { says } from '../input';
import type {
  DeclineRecognition,
  GrantRecognition,
  ProposeInstitutionalization,
  RecognitionCommand,
  RecommendRecognition,
  RecommendReplication,
} from './commands';
import type { RecognitionEvent } from './events';
import {
  type RecognitionState,
  type RecognitionStatus,
  type RecognitionSubject,
  evolveRecognition,
  initialRecognitionState,
  openReferralFor,
  substantiated,
} from './recognition.state';

/**
 * HP-points: a cap keeps one initiative from deciding a cadre's annual rating on its own. The
 * figure is a placeholder until checked against the instance's scoring rules (Hải Phòng 1033-CV/TU).
 */
export const MAX_BONUS_POINTS = 10;
/** D73-10: the salary step is raised twelve months early. */
export const SALARY_STEP_EARLY_MONTHS = 12;

const WHAT = 'Recognition';

/**
 * C14-2.4e: a referral suspends the recognition until the finding on its case. Each referral bars
 * on its own account, so a second one keeps the recognition barred until its own finding; after a
 * substantiated finding the recognition is barred for good and a later referral changes nothing.
 */
function recordAbuseReferral(command: RecordAbuseReferral, state: RecognitionState): readonly RecognitionEvent[] {
  const { data, metadata } = command;
  if (state.subject) sameProposal(state.subject.proposalId, data.proposalId);
  if (substantiated(state)) return [];
  // The same referral delivered again.
  if (state.referrals.some((r) => r.referralId === data.referralId || r.caseId === data.caseId)) return [];
  return [
    {
      type: 'RecognitionBarred',
      data: {
        proposalId: data.proposalId,
        proposerId: data.proposerId,
        proposerUnitId: data.proposerUnitId,
        referralId: data.referralId,
        caseId: data.caseId,
        grounds: data.grounds,
        referredAt: data.referredAt,
        afterGrant: state.status === 'granted',
        barredAt: metadata.now.toISOString(),
      },
    },
  ];
}

/**
 * C14-2.4e: `dismissed` lifts the bar of that referral: the recognition goes on as if it had not
 * been made (a recommended one may be granted, unless another referral still awaits its finding);
 * `substantiated` confirms it for good (C14-2.4d). A finding on a case that barred nothing here,
 * or delivered again, changes nothing.
 */
function recordReferralFinding(command: RecordReferralFinding, state: RecognitionState): readonly RecognitionEvent[] {
  const { data, metadata } = command;
  if (state.subject) sameProposal(state.subject.proposalId, data.proposalId);
  const referral = openReferralFor(state, data.caseId);
  if (!referral || !state.subject) return [];
  const others = state.referrals.filter((r) => r !== referral);
  const stillBarred = data.finding === 'substantiated' || others.some((r) => r.finding !== 'dismissed');
  const fields = { ...state.subject, referralId: referral.referralId, caseId: data.caseId, foundAt: data.foundAt, stillBarred };
  const at = metadata.now.toISOString();
  return data.finding === 'dismissed'
    ? [{ type: 'RecognitionBarLifted', data: { ...fields, finding: 'dismissed', liftedAt: at } }]
    : [{ type: 'RecognitionBarConfirmed', data: { ...fields, finding: 'substantiated', confirmedAt: at } }];
}

function recommendRecognition(command: RecommendRecognition, state: RecognitionState): readonly RecognitionEvent[] {
  const { data, metadata } = command;
  if (state.subject) sameProposal(state.subject.proposalId, data.proposalId);
  // C14-2.4e: an open referral does not stop the recommendation, only the grant: were the case
  // dismissed, the recognition goes on from where it would have been without the referral.
  if (substantiated(state)) notBarred(state);
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

function grantRecognition(command: GrantRecognition, state: RecognitionState): readonly RecognitionEvent[] {
  notBarred(state);
  const subject = inStatus(state, command, 'recommended');
  const { data, metadata } = command;
  if (metadata.actor.userId === subject.proposerId) throw new Forbidden('a cadre cannot grant recognition for their own proposal');
  const { awards, proportionality } = data;
  checkAwards(awards, state.outcome === 'achieved');
  if (!says(proportionality.justification)) {
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

function declineRecognition(command: DeclineRecognition, state: RecognitionState): readonly RecognitionEvent[] {
  const subject = inStatus(state, command, 'recommended');
  const { data, metadata } = command;
  // The cadre is owed the reasons their recognition was declined.
  if (!data.reasons.some(says)) throw new InvalidInput('a declined recognition states its reasons');
  return [
    {
      type: 'RecognitionDeclined',
      data: {
        proposalId: subject.proposalId,
        proposerId: subject.proposerId,
        reasons: data.reasons,
        declinedBy: metadata.actor.userId,
        declinedAt: metadata.now.toISOString(),
      },
    },
  ];
}

/** A model spreads only from a recognised outcome (C14-2.5a); nothing spreads while it is barred. */
function spreading(state: RecognitionState, command: RecommendReplication | ProposeInstitutionalization): RecognitionSubject {
  notBarred(state);
  if (command.type === 'RecommendReplication' && state.status === 'none') {
    throw new RuleViolation('C14-2.5a', 'only a model whose outcome was recommended for recognition is replicated');
  }
  // Model life cycle: replication-recommended → institutionalization-proposed (DOMAIN.md §4).
  if (command.type === 'ProposeInstitutionalization' && state.replicationIds.length === 0) {
    throw new RuleViolation('C14-2.5b', 'a model is proposed for institutionalization once it is recommended for replication');
  }
  return inStatus(state, command, 'recommended', 'granted', 'declined');
}

function recommendReplication(command: RecommendReplication, state: RecognitionState): readonly RecognitionEvent[] {
  const subject = spreading(state, command);
  const { data, metadata } = command;
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
        recommendedBy: metadata.actor.userId,
        recommendedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function proposeInstitutionalization(command: ProposeInstitutionalization, state: RecognitionState): readonly RecognitionEvent[] {
  const subject = spreading(state, command);
  const { data, metadata } = command;
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
        proposedBy: metadata.actor.userId,
        proposedAt: metadata.now.toISOString(),
      },
    },
  ];
}

export const recognitionDecider = deciderOf<RecognitionState, RecognitionCommand, RecognitionEvent>({
  initialState: initialRecognitionState,
  evolve: evolveRecognition,
  commands: {
    RecommendRecognition: recommendRecognition,
    RecordAbuseReferral: recordAbuseReferral,
    RecordReferralFinding: recordReferralFinding,
    GrantRecognition: grantRecognition,
    DeclineRecognition: declineRecognition,
    RecommendReplication: recommendReplication,
    ProposeInstitutionalization: proposeInstitutionalization,
  },
});

function inStatus(state: RecognitionState, command: RecognitionCommand, ...allowed: RecognitionStatus[]): RecognitionSubject {
  if (!allowed.includes(state.status) || !state.subject) throw new IllegalTransition(WHAT, state.status, command.type);
  sameProposal(state.subject.proposalId, command.data.proposalId);
  return state.subject;
}

function notBarred(state: RecognitionState): void {
  const found = state.referrals.find((r) => r.finding === 'substantiated');
  if (found) {
    throw new RuleViolation('C14-2.4d', `abuse was substantiated on inspection (case '${found.caseId}'): the proposal is not recognised or spread`);
  }
  const open = state.referrals.filter((r) => r.finding === null).map((r) => (r.caseId ? `'${r.caseId}'` : 'a referral recorded before inspection cases'));
  if (open.length) {
    throw new RuleViolation('C14-2.4e', `an abuse referral is under inspection (case ${open.join(', ')}): recognition is suspended until the finding`);
  }
}

function sameProposal(expected: string, actual: string): void {
  if (expected !== actual) throw new InvalidInput(`the command is for proposal '${actual}', this recognition is '${expected}'`);
}
