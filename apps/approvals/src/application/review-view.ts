import {
  type CollectiveTally, type Consultation, type ReviewRound, type ReviewRoute, type Vote, isOverdue,
} from '@dotpha/approvals-domain';
import type { Escalation, Outcome, ReviewDocument } from './review-document';

export const REVIEW_STATUSES = ['open', 'revision-requested', 'rejected', 'approved', 'closed'] as const satisfies readonly ReviewRound['status'][];
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A proposal's review as the API shows it: the current round, who reviews it, and whether it is late. */
export interface ReviewView {
  readonly proposalId: string;
  readonly round: number;
  readonly status: ReviewStatus;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly scopeUnitIds: readonly string[];
  readonly route: ReviewRoute;
  readonly reviewerUnitId: string;
  readonly reviewerIds: readonly string[];
  readonly headId: string;
  readonly collectiveMemberIds: readonly string[];
  readonly authorityCoversScope: boolean;
  readonly consultation: Consultation | null;
  readonly votes: readonly { readonly memberId: string; readonly vote: Vote }[];
  readonly tally: CollectiveTally | null;
  readonly headOverride: boolean;
  readonly openedAt: string;
  /** When the current level received it (differs from openedAt after an escalation). */
  readonly routedAt: string;
  readonly dueBy: string;
  /** HN24-shirk: computed when asked, against the service's clock. */
  readonly overdue: boolean;
  readonly escalations: readonly Escalation[];
  readonly outcome: Outcome | null;
  /** SAGA-withdraw: the proposal was withdrawn; `afterDecision` says where the review stood. */
  readonly closure: ReviewRound['closure'];
  readonly position: number;
  readonly lastChangedAt: string;
}

export function reviewView(doc: ReviewDocument, now: Date): ReviewView {
  const { routing } = doc;
  return {
    proposalId: doc.proposalId,
    round: doc.round,
    status: doc.status,
    proposerId: doc.proposerId,
    proposerUnitId: doc.proposerUnitId,
    scopeUnitIds: doc.scopeUnitIds,
    route: routing.route,
    reviewerUnitId: routing.reviewerUnitId,
    reviewerIds: routing.reviewerIds,
    headId: routing.headId,
    collectiveMemberIds: routing.collectiveMemberIds,
    authorityCoversScope: routing.authorityCoversScope,
    consultation: doc.consultation,
    votes: Object.entries(doc.votes).map(([memberId, vote]) => ({ memberId, vote })),
    tally: doc.tally,
    headOverride: doc.overridden,
    openedAt: doc.openedAt,
    routedAt: doc.routedAt,
    dueBy: routing.dueBy,
    overdue: isOverdue(doc, now),
    escalations: doc.escalations,
    outcome: doc.outcome,
    closure: doc.closure ?? null,
    position: doc.position,
    lastChangedAt: doc.lastChangedAt,
  };
}
