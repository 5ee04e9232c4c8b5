import { type Decider, Forbidden, IllegalTransition, InvalidInput, RuleViolation, assertNever } from '@dotpha/kernel';
import { type Awards, type ProposalPeople, type RecordAbuseReferral, type RecordReferralFinding, type ReferralFinding, proposerOnly } from '../facts';
import type { GrantRecognition, RecognitionCommand, RecommendRecognition } from './commands';
import type { RecognitionEvent } from './events';

export type RecognitionStatus = 'none' | 'recommended' | 'granted' | 'declined';

export interface RecognitionSubject {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}

/**
 * C14-2.4e: a referral the recognition learnt of, and the finding on its inspection case. An
 * allegation is not a finding: the referral suspends the recognition while its case is open;
 * `dismissed` lifts that suspension, `substantiated` bars the recognition for good (C14-2.4d).
 */
export interface RecognitionReferral {
  /** Null for a bar recorded before C14-2.4e, which named no referral. */
  readonly referralId: string | null;
  /** Null until a finding is matched to a bar recorded before C14-2.4e. */
  readonly caseId: string | null;
  readonly finding: ReferralFinding | null;
}

export interface RecognitionState {
  readonly status: RecognitionStatus;
  readonly subject: RecognitionSubject | null;
  readonly outcome: 'achieved' | 'partially-achieved' | null;
  /** D73-10b: who the recognition reaches; null before the recommendation. */
  readonly people: ProposalPeople | null;
  /** C14-2.4e: every referral of the proposal, with its finding once recorded. */
  readonly referrals: readonly RecognitionReferral[];
  /**
   * Derived from `referrals`: a referral awaits its finding (suspended, C14-2.4e) or one was
   * substantiated (for good, C14-2.4d). Nothing is granted or spread while it holds.
   */
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
    referrals: [],
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
    case 'RecordAbuseReferral':
      return bar(command, state);
    case 'RecordReferralFinding':
      return applyFinding(command, state);
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

/**
 * C14-2.4e: a referral suspends the recognition until the finding on its case. Each referral bars
 * on its own account, so a second one keeps the recognition barred until its own finding; after a
 * substantiated finding the recognition is barred for good and a later referral changes nothing.
 */
function bar(command: RecordAbuseReferral, state: RecognitionState): readonly RecognitionEvent[] {
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
function applyFinding(command: RecordReferralFinding, state: RecognitionState): readonly RecognitionEvent[] {
  const { data, metadata } = command;
  if (state.subject) sameProposal(state.subject.proposalId, data.proposalId);
  const referral = referralFor(state, data.caseId);
  if (!referral || !state.subject) return [];
  const others = state.referrals.filter((r) => r !== referral);
  const stillBarred = data.finding === 'substantiated' || others.some((r) => r.finding !== 'dismissed');
  const fields = { ...state.subject, referralId: referral.referralId, caseId: data.caseId, foundAt: data.foundAt, stillBarred };
  const at = metadata.now.toISOString();
  return data.finding === 'dismissed'
    ? [{ type: 'RecognitionBarLifted', data: { ...fields, finding: 'dismissed', liftedAt: at } }]
    : [{ type: 'RecognitionBarConfirmed', data: { ...fields, finding: 'substantiated', confirmedAt: at } }];
}

/**
 * The open referral a finding on `caseId` ends. A bar recorded before C14-2.4e names no case: a
 * finding on a case this recognition never named is taken as the finding on that older referral
 * (evaluation opens the case under the referral's id, which the version 1 bar did not keep).
 */
function referralFor(state: RecognitionState, caseId: string): RecognitionReferral | undefined {
  const named = state.referrals.find((r) => r.caseId === caseId || r.referralId === caseId);
  if (named) return named.finding === null ? named : undefined;
  return state.referrals.find((r) => r.caseId === null && r.finding === null);
}

const substantiated = (state: RecognitionState) => state.referrals.some((r) => r.finding === 'substantiated');

function recommend(command: RecommendRecognition, state: RecognitionState): readonly RecognitionEvent[] {
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
      const { proposalId, proposerId, proposerUnitId, referralId, caseId } = event.data;
      const referrals = [...state.referrals, { referralId, caseId, finding: null }];
      return { ...state, referrals, barred: isBarred(referrals), subject: state.subject ?? { proposalId, proposerId, proposerUnitId } };
    }
    case 'RecognitionBarLifted':
    case 'RecognitionBarConfirmed': {
      const { caseId, finding } = event.data;
      const ended = referralFor(state, caseId);
      const referrals = state.referrals.map((r) => (r === ended ? { ...r, caseId, finding } : r));
      return { ...state, referrals, barred: isBarred(referrals) };
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

const isBarred = (referrals: readonly RecognitionReferral[]) => referrals.some((r) => r.finding !== 'dismissed');

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
