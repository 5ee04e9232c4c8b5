import fc from 'fast-check';
import { type CollectiveTally, type Vote, type VoteInput, VOTES, tallyBlocker, tallyCollective, votingMembers } from './collective-vote';

const ids = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 'head' : `deputy-${i}`));

/** A collective of 1 to 9 members (the head first), each member's vote or none, and maybe a proposing deputy. */
const collective = fc
  .integer({ min: 1, max: 9 })
  .chain((n) =>
    fc.record({
      memberIds: fc.constant(ids(n)),
      ballots: fc.array(fc.option(fc.constantFrom(...VOTES), { nil: undefined }), { minLength: n, maxLength: n }),
      proposer: fc.option(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { nil: undefined }),
    }),
  )
  .map(({ memberIds, ballots, proposer }): VoteInput => ({
    memberIds,
    headId: 'head',
    proposerId: proposer !== undefined && proposer < memberIds.length ? memberIds[proposer] : undefined,
    votes: Object.fromEntries(memberIds.flatMap((id, i) => (ballots[i] ? [[id, ballots[i] as Vote]] : []))),
  }));

const withVote = (input: VoteInput, memberId: string, vote: Vote): VoteInput => ({ ...input, votes: { ...input.votes, [memberId]: vote } });

/** Every way of changing one member's ballot (none, abstain, against) to a vote for. */
const oneMoreFor = (input: VoteInput) =>
  votingMembers(input).filter((id) => input.votes[id] !== 'for').map((id) => withVote(input, id, 'for'));
const oneMoreAgainst = (input: VoteInput) =>
  votingMembers(input).filter((id) => input.votes[id] !== 'against').map((id) => withVote(input, id, 'against'));

describe('the collective vote (DOMAIN.md §4.3)', () => {
  const runs = { numRuns: 3000 };

  /** Monotonicity: a collective whose tally is `result` keeps it after any one more such vote. */
  const keeps = (result: CollectiveTally['result'], oneMore: (input: VoteInput) => VoteInput[]) =>
    fc.assert(
      fc.property(collective, (input) => {
        if (tallyCollective(input).result !== result) return;
        for (const more of oneMore(input)) expect(tallyCollective(more).result).toBe(result);
      }),
      runs,
    );

  it('D73-8.1b: one more vote for never turns an approval into a rejection (every combination up to 9 members)', () => {
    keeps('approved', oneMoreFor);
  });

  it('D73-8.1b: one more vote against never turns a rejection into an approval', () => {
    keeps('rejected', oneMoreAgainst);
  });

  it('D73-8.1b: nothing is approved with fewer than half of all members for', () => {
    fc.assert(
      fc.property(collective, (input) => {
        const tally = tallyCollective(input);
        if (tally.result === 'approved') expect(tally.for * 2).toBeGreaterThanOrEqual(tally.members);
      }),
      runs,
    );
  });

  it('D73-8.1b: exactly half for is approved only with the head among them; more than half always is', () => {
    fc.assert(
      fc.property(collective, (input) => {
        const tally = tallyCollective(input);
        if (tally.for * 2 > tally.members) expect(tally.result).toBe('approved');
        if (tally.for * 2 === tally.members) expect(tally.result).toBe(tally.headVote === 'for' ? 'approved' : 'rejected');
      }),
      runs,
    );
  });

  it('D73-8.1a: a proposing deputy is never counted, neither as a member nor by a vote', () => {
    fc.assert(
      fc.property(collective, fc.constantFrom(...VOTES), (input, vote) => {
        if (!input.proposerId) return;
        const tally = tallyCollective(input);
        expect(tally.members).toBe(input.memberIds.length - 1);
        expect(tallyCollective(withVote(input, input.proposerId, vote))).toEqual(tally);
      }),
      runs,
    );
  });

  it('D73-8.1b: the minority cases once approved are rejected: 5 members, head for, 1 against, 3 abstain', () => {
    const five = ids(5);
    const tally = tallyCollective({ memberIds: five, headId: 'head', votes: { head: 'for', 'deputy-1': 'against', 'deputy-2': 'abstain', 'deputy-3': 'abstain', 'deputy-4': 'abstain' } });
    expect(tally).toMatchObject({ for: 1, against: 1, abstain: 3, members: 5, participated: 5, quorum: true, tie: false, result: 'rejected' });
  });

  it('D73-8.1b: 3 members, head for and a deputy against is rejected, as is the head for alone (a vote against cannot approve)', () => {
    const three = ids(3);
    expect(tallyCollective({ memberIds: three, headId: 'head', votes: { head: 'for', 'deputy-1': 'against' } }).result).toBe('rejected');
    expect(tallyCollective({ memberIds: three, headId: 'head', votes: { head: 'for' } }).result).toBe('rejected');
  });

  it('D73-8.1b: a collective of two where the head votes for is a tie the head decides; against the head it fails', () => {
    expect(tallyCollective({ memberIds: ids(2), headId: 'head', votes: { head: 'for', 'deputy-1': 'against' } })).toMatchObject({ tie: true, result: 'approved' });
    expect(tallyCollective({ memberIds: ids(2), headId: 'head', votes: { head: 'against', 'deputy-1': 'for' } })).toMatchObject({ tie: true, result: 'rejected' });
    expect(tallyCollective({ memberIds: ids(4), headId: 'head', votes: { 'deputy-1': 'for', 'deputy-2': 'for', head: 'abstain', 'deputy-3': 'against' } })).toMatchObject({ tie: true, result: 'rejected' });
  });

  it('D73-8.1b: a tally waits for every member, or for the head to close the meeting with a quorum', () => {
    const five = ids(5);
    const two: VoteInput = { memberIds: five, headId: 'head', votes: { head: 'for', 'deputy-1': 'for' } };
    const three: VoteInput = withVote(two, 'deputy-2', 'abstain');
    expect(tallyBlocker(two, false)).toMatch(/3 of 5 members have not voted/);
    expect(tallyBlocker(two, true)).toMatch(/no quorum: 2 of 5/);
    expect(tallyBlocker(three, false)).not.toBeNull();
    expect(tallyBlocker(three, true)).toBeNull();
    const all = ['deputy-2', 'deputy-3', 'deputy-4'].reduce((input, id) => withVote(input, id, 'against'), two);
    expect(tallyBlocker(all, false)).toBeNull();
    expect(tallyBlocker({ memberIds: [], headId: 'head', votes: {} }, true)).toMatch(/no voting member/);
  });

  it('D73-8.1b: whenever a tally may be taken, more than half of the members took part', () => {
    fc.assert(
      fc.property(collective, fc.boolean(), (input, closed) => {
        if (tallyBlocker(input, closed) === null) expect(tallyCollective(input).quorum).toBe(true);
      }),
      runs,
    );
  });

  it('D73-8.1b: exhaustively, for every ballot of every collective of 1 to 7 members (8 and 9 by the random properties above): monotonic, never under half, tie to the head', () => {
    const BALLOTS = [undefined, ...VOTES] as const;
    let checked = 0;
    for (let n = 1; n <= 7; n++) {
      const memberIds = ids(n);
      for (let code = 0; code < 4 ** n; code++) {
        const votes: Record<string, Vote> = {};
        for (let i = 0, rest = code; i < n; i++, rest = Math.floor(rest / 4)) {
          const ballot = BALLOTS[rest % 4];
          if (ballot) votes[memberIds[i]] = ballot;
        }
        const input: VoteInput = { memberIds, headId: 'head', votes };
        const tally = tallyCollective(input);
        if (tally.result === 'approved') {
          if (tally.for * 2 < n) throw new Error(`approved with ${tally.for} of ${n}: ${JSON.stringify(votes)}`);
          for (const more of oneMoreFor(input)) if (tallyCollective(more).result !== 'approved') throw new Error(`a vote for rejected ${JSON.stringify(votes)}`);
        } else {
          for (const more of oneMoreAgainst(input)) if (tallyCollective(more).result !== 'rejected') throw new Error(`a vote against approved ${JSON.stringify(votes)}`);
        }
        if (tally.for * 2 === n && (tally.result === 'approved') !== (votes.head === 'for')) throw new Error(`tie not the head's: ${JSON.stringify(votes)}`);
        checked++;
      }
    }
    expect(checked).toBe([1, 2, 3, 4, 5, 6, 7].reduce((sum, n) => sum + 4 ** n, 0));
  });
});
