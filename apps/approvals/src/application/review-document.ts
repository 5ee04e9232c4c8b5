import type { ApprovalDecision, ApprovedPlan, DecidedBy, ReviewRound } from '@dotpha/approvals-domain';

export interface Escalation {
  readonly round: number;
  readonly fromUnitId: string;
  readonly toUnitId: string;
  readonly escalatedBy: string;
  readonly overdue: boolean;
  readonly escalatedAt: string;
}

interface Settled {
  readonly round: number;
  readonly reasons: string;
  /** HN24-shirk: decided after the due date. */
  readonly overdue: boolean;
  readonly at: string;
}

/** How the current round ended, if it has. */
export type Outcome =
  | (Settled & { readonly kind: 'revision-requested'; readonly requestedBy: string })
  | (Settled & { readonly kind: 'rejected'; readonly decidedBy: DecidedBy; readonly legalBasis: string })
  | (Settled & {
      readonly kind: 'approved';
      readonly decision: ApprovalDecision;
      readonly decidedBy: DecidedBy;
      readonly legalBasis: string;
      readonly plan: ApprovedPlan;
    });

/**
 * The current round exactly as the decider folds it (so the read side cannot drift from the
 * rules, and the domain's overdue report reads it as is), plus the trail readers ask about.
 */
export type ReviewDocument = ReviewRound & {
  readonly escalations: readonly Escalation[];
  readonly outcome: Outcome | null;
  /** Last stream position applied: a client that got `position` from a command waits for it. */
  readonly position: number;
  readonly lastChangedAt: string;
};

export const REVIEWS = 'reviews';
