import { RuleViolation } from '@dotpha/kernel';
import { type VoteInput, tallyBlocker, tallyCollective } from '@dotpha/org';
import type { CollectiveTally } from './events';
import type { ReviewRound } from './review.state';

/**
 * D73-8.1b, DOMAIN.md §4.3: the review counts its collective's votes with the org library's rule,
 * the same one the evaluation uses (more than half of ALL members for; exactly half with the head
 * among them; a proposing member neither votes nor counts).
 */
const voteInput = (review: ReviewRound): VoteInput => ({
  memberIds: review.routing.collectiveMemberIds,
  votes: review.votes,
  headId: review.routing.headId,
  proposerId: review.proposerId,
});

/**
 * The tally the chair may take now: every member has voted, or the head closes the meeting with a
 * quorum (more than half of the members took part); otherwise a RuleViolation says why not.
 */
export function tallyOf(review: ReviewRound, closeMeeting: boolean): CollectiveTally {
  const input = voteInput(review);
  const blocker = tallyBlocker(input, closeMeeting);
  if (blocker !== null) throw new RuleViolation('D73-8.1b', `the vote cannot be tallied yet: ${blocker}`);
  const tally = tallyCollective(input);
  return { ...tally, closedByHead: closeMeeting && tally.participated < tally.members };
}
