import { assertNever } from '@dotpha/kernel';
import type { ProposalPeople, ReferralFinding } from '../facts';
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

export const initialRecognitionState = (): RecognitionState => ({
  status: 'none',
  subject: null,
  outcome: null,
  people: null,
  referrals: [],
  barred: false,
  replicationIds: [],
  institutionalizationIds: [],
});

export function evolveRecognition(state: RecognitionState, event: RecognitionEvent): RecognitionState {
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
      const ended = openReferralFor(state, caseId);
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

const isBarred = (referrals: readonly RecognitionReferral[]) => referrals.some((r) => r.finding !== 'dismissed');

/**
 * The open referral a finding on `caseId` ends. A bar recorded before C14-2.4e names no case: a
 * finding on a case this recognition never named is taken as the finding on that older referral
 * (evaluation opens the case under the referral's id, which the version 1 bar did not keep).
 */
export function openReferralFor(state: RecognitionState, caseId: string): RecognitionReferral | undefined {
  const named = state.referrals.find((r) => r.caseId === caseId || r.referralId === caseId);
  if (named) return named.finding === null ? named : undefined;
  return state.referrals.find((r) => r.caseId === null && r.finding === null);
}

/** C14-2.4d: a substantiated finding bars the recognition for good. */
export const substantiated = (state: RecognitionState) => state.referrals.some((r) => r.finding === 'substantiated');
