/**
 * The collective's vote (DOMAIN.md §4.3, D73-8.1a/b), used for every plan a unit reviews and for
 * the evaluation of its result.
 *
 * Relied on: Decree 73/2023/NĐ-CP Art. 8(1) as summarised by legal news sites (thuvienphapluat,
 * baochinhphu): the head chairs a meeting of the leadership collective, which votes on the plan;
 * the plan passes with more than 50% of the members of the collective in favour; where exactly
 * half are in favour, the side the head voted with decides. "Members" is read as all members of
 * the collective (an absent or abstaining member is not in favour), as DOMAIN.md §4.3 fixes it; an
 * instance whose local rule counts otherwise needs a different policy, not a different reading.
 */
export const VOTES = ['for', 'against', 'abstain'] as const;
export type Vote = (typeof VOTES)[number];

export interface VoteInput {
  /** The collective: head and deputies. */
  readonly memberIds: readonly string[];
  readonly votes: Readonly<Record<string, Vote>>;
  /** Who chairs the meeting. */
  readonly headId: string;
  /** A member who made the proposal neither votes nor counts among the members. */
  readonly proposerId?: string;
}

export interface CollectiveTally {
  readonly for: number;
  readonly against: number;
  readonly abstain: number;
  /** Voting members: the collective less a proposing member. */
  readonly members: number;
  /** Members who cast any vote, abstentions included. */
  readonly participated: number;
  /** Null when the head is not a voting member or did not vote. */
  readonly headVote: Vote | null;
  /** More than half of the members took part. */
  readonly quorum: boolean;
  /** Exactly half of all members voted for. */
  readonly tie: boolean;
  readonly result: 'approved' | 'rejected';
}

export function votingMembers(input: VoteInput): string[] {
  return [...new Set(input.memberIds)].filter((id) => id !== input.proposerId);
}

export function tallyCollective(input: VoteInput): CollectiveTally {
  const members = votingMembers(input);
  const cast = members.flatMap((id) => (input.votes[id] ? [input.votes[id]] : []));
  const count = (vote: Vote) => cast.filter((v) => v === vote).length;
  const inFavour = count('for');
  const headVote = members.includes(input.headId) ? (input.votes[input.headId] ?? null) : null;
  const majority = inFavour * 2 > members.length;
  const tie = members.length > 0 && inFavour * 2 === members.length;
  return {
    for: inFavour,
    against: count('against'),
    abstain: count('abstain'),
    members: members.length,
    participated: cast.length,
    headVote,
    quorum: cast.length * 2 > members.length,
    tie,
    result: majority || (tie && headVote === 'for') ? 'approved' : 'rejected',
  };
}

/**
 * Why the chair may not take the tally yet, or null when they may: every member has voted, or
 * the head closes the meeting with a quorum (more than half of the members took part).
 */
export function tallyBlocker(input: VoteInput, closedByHead: boolean): string | null {
  const members = votingMembers(input);
  if (members.length === 0) return 'the collective has no voting member';
  const tally = tallyCollective(input);
  if (tally.participated === members.length) return null;
  if (!closedByHead) return `${members.length - tally.participated} of ${members.length} members have not voted; the head may close the meeting`;
  if (!tally.quorum) return `no quorum: ${tally.participated} of ${members.length} members took part, more than half must`;
  return null;
}
