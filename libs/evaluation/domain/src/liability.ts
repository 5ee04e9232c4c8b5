import type { Liability, MotiveFindings, Outcome, PlanPeople } from './commands';

export interface LiabilityBasis {
  readonly outcome: Outcome;
  readonly damageCaused: boolean;
  readonly motive: MotiveFindings;
  /** C14-2.4e: an inspector found a referral substantiated; an open or dismissed one does not count. */
  readonly abuseSubstantiated: boolean;
}

export interface AdmissibleLiability {
  readonly allowed: readonly Liability[];
  /** The clause that limits the choice to `allowed`, named when a decision is refused. */
  readonly clause: 'D73-11' | 'C14-2.4c' | 'C14-2.4d' | 'C14-2.4e';
  readonly because: string;
}

/**
 * The liability decisions the evaluator may choose between (Decree 73 Art. 11, C14-2.4c/d).
 * Exported so the evaluator's screen offers exactly the choices the decider accepts.
 */
export function admissibleLiability(basis: LiabilityBasis): AdmissibleLiability {
  const { outcome, damageCaused, motive, abuseSubstantiated } = basis;
  // Checked before the outcome: abuse is never protected, even behind an achieved result.
  if (abuseSubstantiated) {
    return { allowed: ['upheld'], clause: 'C14-2.4e', because: 'the inspector substantiated the abuse referred, which is never protected' };
  }
  if (!motive.noSelfInterest) {
    return { allowed: ['upheld'], clause: 'C14-2.4d', because: 'self-interest or abuse is never protected' };
  }
  if (outcome === 'achieved') {
    return { allowed: ['none'], clause: 'D73-11', because: 'an achieved outcome carries no liability' };
  }
  if (!(motive.followedApprovedPlan && motive.pureMotive && motive.commonGood)) {
    return {
      allowed: ['upheld'],
      clause: 'C14-2.4c',
      because: 'protection needs the approved plan followed with pure motive for the common good',
    };
  }
  if (damageCaused) {
    return {
      allowed: ['excluded', 'exempted', 'reduced'],
      clause: 'D73-11',
      because: 'a protected cadre who caused damage has liability excluded, exempted or reduced',
    };
  }
  return { allowed: ['excluded'], clause: 'D73-11', because: 'a protected cadre who caused no damage has liability excluded' };
}

/**
 * D73-10b: whom a protective decision reaches: the proposer, the co-proposers, the implementers
 * named on the approved plan and the head who approved it. Nobody when liability is upheld.
 */
export function protectedPersonIds(liability: Liability, people: PlanPeople): string[] {
  if (liability === 'upheld') return [];
  const { proposerId, coProposerIds, implementerIds, approvingHeadId } = people;
  return [...new Set([proposerId, ...coProposerIds, ...implementerIds, ...(approvingHeadId !== null ? [approvingHeadId] : [])])];
}
