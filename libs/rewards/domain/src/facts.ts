import type { Command } from '@dotpha/kernel';

/** Grounds of an abuse referral, as AbuseReferred (evaluation) publishes them. */
export type AbuseGround = 'self-interest' | 'corruption' | 'negativity' | 'discipline-violation';

/**
 * The fields of AbuseReferred that rewards relies on. Both aggregates learn of a referral from
 * the same fact: the recognition is barred (C14-2.4d) and the cadre's record shows it.
 */
export interface AbuseReferralFact {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly grounds: readonly AbuseGround[];
  readonly referredAt: string;
}

export type RecordAbuseReferral = Command<'RecordAbuseReferral', AbuseReferralFact>;

export type CommendationLevel = 'praise' | 'reward';

/** What a recognition grants (DOMAIN.md §4.6); every field optional, at least one given. */
export interface Awards {
  /** praise = biểu dương, reward = khen thưởng; `form` names the instrument, e.g. a certificate of merit. */
  readonly commendation?: { readonly level: CommendationLevel; readonly form: string };
  /** HP-points: added to the cadre's annual evaluation. */
  readonly bonusPoints?: number;
  readonly promotionPriority?: boolean;
  readonly planningPriority?: boolean;
  /** D73-10: the next salary step comes this many months early. */
  readonly salaryStepEarlyMonths?: number;
  /** D73-10: counts as an excellent achievement towards rank promotion. */
  readonly excellentAchievement?: boolean;
}
