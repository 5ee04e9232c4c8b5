import { RuleViolation } from '@dotpha/kernel';
import type { ReviewRound, Routing } from '@dotpha/approvals-domain';
import { type InstancePolicy, type OrgChart, type ReviewRoute, workingDayDeadline } from '@dotpha/org';

/** The facts of ProposalSubmitted (docs/domain-conventions.md) that decide where the review goes. */
export interface Submission {
  readonly proposalId: string;
  readonly revision: number;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly scopeUnitIds: readonly string[];
  readonly submittedAt: string;
}

type Proposer = Pick<Submission, 'proposerId' | 'proposerUnitId' | 'scopeUnitIds'>;

/**
 * D73-8.1a, TZ-working-days: the level has `deadlines.review` working days from the local day it
 * received the proposal, in the instance's time zone; it falls due at the end of the last one there.
 */
export function reviewDueBy(receivedAt: string, policy: InstancePolicy): string {
  return workingDayDeadline(receivedAt, policy.deadlines.review, policy.publicHolidays, policy.timeZone);
}

/**
 * C14-2.3a/b: the routing the org chart gives a submission. On the collective route the org
 * chart lists the proposing head among the collective; the decider refuses a proposer among their
 * own reviewers or voters (C14-2.3b, D73-8.1a), so the head is left out here.
 */
export function routingForSubmission(org: OrgChart, policy: InstancePolicy, submission: Submission): Routing {
  const notProposer = (id: string) => id !== submission.proposerId;
  let routed = org.route(submission, policy);
  if (!routed.reviewerIds.some(notProposer)) {
    // A head without deputies has no collective to send their own proposal to: Decree 73's
    // alternative, the superior head, is the only body left.
    routed = org.route(submission, { headProposalRoute: 'superior-head' });
  }
  const { route, reviewerUnitId, reviewerIds } = routed;
  return routingAt(org, policy, route, reviewerUnitId, reviewerIds.filter(notProposer), submission, submission.submittedAt);
}

/** C14-2.3c: the directly managing level, its head reviewing with its own collective. */
export function routingForEscalation(org: OrgChart, policy: InstancePolicy, review: ReviewRound, now: Date): Routing {
  const target = org.escalationTarget(review.routing.reviewerUnitId);
  if (target === null) {
    throw new RuleViolation('C14-2.3c', `unit '${review.routing.reviewerUnitId}' is the top of the instance: there is no level to escalate to`);
  }
  return routingAt(org, policy, 'unit-head', target, [org.unit(target).headId], review, now.toISOString());
}

function routingAt(
  org: OrgChart,
  policy: InstancePolicy,
  route: ReviewRoute,
  reviewerUnitId: string,
  reviewerIds: readonly string[],
  proposer: Proposer,
  receivedAt: string,
): Routing {
  return {
    reviewerUnitId,
    route,
    reviewerIds,
    collectiveMemberIds: org.votingCollective(reviewerUnitId, proposer.proposerId).filter((id) => id !== proposer.proposerId),
    headId: org.unit(reviewerUnitId).headId,
    authorityCoversScope: org.covers(reviewerUnitId, proposer.scopeUnitIds, proposer.proposerUnitId),
    dueBy: reviewDueBy(receivedAt, policy),
  };
}
