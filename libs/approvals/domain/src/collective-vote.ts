import type { CollectiveTally, Vote } from './events';

/**
 * D73-8.1b. "More than 50%" is counted against the whole collective: an absent member or an
 * abstention is not in favour.
 *
 * A tie means as many votes for as against among the votes cast (abstentions aside). It can only
 * happen without a majority in favour (for === against and for > members / 2 would need more
 * votes than members), and then the head's side wins: approved if the head voted for, rejected if
 * against. A head who abstained, did not vote or is no member (a proposing head) takes no side,
 * and without a majority in favour the proposal is rejected.
 */
export function tallyVotes(
  memberIds: readonly string[],
  votes: Readonly<Record<string, Vote>>,
  headId: string,
): CollectiveTally {
  const cast = memberIds.flatMap((id) => (votes[id] ? [votes[id]] : []));
  const count = (vote: Vote) => cast.filter((v) => v === vote).length;
  const inFavour = count('for');
  const against = count('against');
  const headVote = memberIds.includes(headId) ? votes[headId] ?? null : null;
  const majority = inFavour * 2 > memberIds.length;
  const tie = !majority && inFavour === against;
  const approved = majority || (tie && headVote === 'for');
  return {
    for: inFavour,
    against,
    abstain: count('abstain'),
    members: memberIds.length,
    headVote,
    tie,
    result: approved ? 'approved' : 'rejected',
  };
}
