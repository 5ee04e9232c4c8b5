/** The stage of an evaluation; a referral records the stage it came at (AbuseReferred.stage). */
export type EvaluationStatus = 'none' | 'open' | 'results-reported' | 'assessed' | 'liability-decided' | 'closed';

/** The collective that votes on a draft assessment (DOMAIN.md §4.5, same rule as §4.3). */
export interface EvaluatingCollective {
  readonly unitId: string;
  readonly headId: string;
  /** Voting members: the head and deputies, less the proposer and co-proposers. */
  readonly memberIds: readonly string[];
}
