import { Forbidden, IllegalTransition, InvalidInput, RuleViolation, fold } from '@dotpha/kernel';
import { DeciderSpecification } from '@dotpha/testkit';
import type { ReviewCommand } from './commands';
import { isOverdue, overdueReviews } from './deadlines';
import type { ReviewEvent, Routing, Vote } from './events';
import { reviewDecider } from './review.decider';
import {
  AFTER_DUE,
  DEPUTY_1,
  DEPUTY_2,
  DEPUTY_3,
  DUE_BY,
  HEAD,
  LATER,
  LEGAL_BASIS,
  OUTSIDER,
  PROPOSER,
  UPPER_HEAD,
  approve,
  approved,
  approvedByCollective,
  as,
  byCollective,
  byOverride,
  byReviewer,
  closeReview,
  closed,
  collectiveApprovedVote,
  collectiveRouting,
  collectiveVoted,
  consulted,
  escalate,
  escalated,
  headAloneRouting,
  openReview,
  opened,
  overridden,
  pilotPlan,
  rejected,
  rejectedByCollective,
  revisionRequested,
  tallied,
  unitHeadRouting,
  vote,
  voted,
} from './review.fixtures';

const spec = DeciderSpecification.for(reviewDecider);

const command = <T extends ReviewCommand['type']>(type: T, data: Extract<ReviewCommand, { type: T }>['data'], by = HEAD) =>
  ({ type, data, metadata: as(by) }) as Extract<ReviewCommand, { type: T }>;
const reject = (by = HEAD) => command('RejectProposal', { reasons: rejected().data.reasons, legalBasis: LEGAL_BASIS }, by);
const requestRevision = (by = HEAD) => command('RequestRevision', { reasons: revisionRequested().data.reasons }, by);
const tally = (by = HEAD) => command('TallyCollectiveVote', {}, by);
const closeMeeting = (by = HEAD) => command('TallyCollectiveVote', { closeMeeting: true }, by);
const consult = (consultedAt?: string) =>
  command('ConsultPartyCommittee', { opinion: consulted().data.opinion, ...(consultedAt ? { consultedAt } : {}) });
const authorizeOverride = (by = HEAD) =>
  command('AuthorizeHeadOverride', { writtenAuthorization: overridden().data.writtenAuthorization }, by);

/** Opened on the collective route with the party committee consulted: ready for the vote. */
const beforeVote = (): ReviewEvent[] => [opened(collectiveRouting), consulted()];
const collectiveApproved = (): ReviewEvent[] => [...beforeVote(), ...collectiveApprovedVote()];
const collectiveRejected = (): ReviewEvent[] => [...beforeVote(), ...collectiveVoted('for', 'against', 'against'), rejectedByCollective()];

/** A collective of the head and three deputies, who vote in that order; an even size allows a tie. */
const fourMembers: Routing = { ...collectiveRouting, collectiveMemberIds: [HEAD, DEPUTY_1, DEPUTY_2, DEPUTY_3] };
const ballot = (...votes: Vote[]): ReviewEvent[] => [
  opened(fourMembers),
  ...votes.map((choice, i) => voted(fourMembers.collectiveMemberIds[i], choice)),
];

/** Five members (head and four deputies), as a provincial people's committee. */
const DEPUTY_4 = 'u-deputy-4';
const fiveMembers: Routing = { ...unitHeadRouting, collectiveMemberIds: [HEAD, DEPUTY_1, DEPUTY_2, DEPUTY_3, DEPUTY_4] };
const ballotOfFive = (...votes: Vote[]): ReviewEvent[] => [
  opened(fiveMembers),
  ...votes.map((choice, i) => voted(fiveMembers.collectiveMemberIds[i], choice)),
];
const everyoneVoted = (members: number) => ({ members, participated: members, quorum: true, closedByHead: false });

describe('Review: opening and rounds', () => {
  it('C14-2.3a: a submission opens round 1 at the reviewer the org library routed it to', () => {
    spec.given([]).when(openReview()).then([opened()]);
  });

  it('opening the same round again yields nothing (redelivered submission)', () => {
    spec.given([opened()]).when(openReview({}, LATER)).then([]);
  });

  it('a resubmission after a revision request opens round 2 on the same stream', () => {
    const dueBy = '2026-03-23T10:00:00.000Z';
    spec
      .given([opened(), consulted(), revisionRequested()])
      .when(openReview({ round: 2, dueBy }, AFTER_DUE))
      .then([opened({ round: 2, dueBy }, AFTER_DUE)]);
  });

  it('a resubmission while the round is still under review is an illegal transition', () => {
    spec
      .given([opened()])
      .when(openReview({ round: 2 }, LATER))
      .thenThrows(IllegalTransition, { from: 'open', command: 'OpenReview' });
  });

  it('a decided proposal opens no further round', () => {
    spec
      .given([opened(), consulted(), approved()])
      .when(openReview({ round: 2 }, LATER))
      .thenThrows(IllegalTransition, { from: 'approved' });
  });

  it('C14-2.3b: the proposer is never among the reviewers of their own proposal', () => {
    spec.given([]).when(openReview({ proposerId: HEAD })).thenThrows(RuleViolation, { clause: 'C14-2.3b' });
  });

  it('a review already past its due date when it opens is malformed', () => {
    spec.given([]).when(openReview({ dueBy: '2026-03-01T00:00:00.000Z' })).thenThrows(InvalidInput, { field: 'dueBy' });
  });
});

describe('Review: authority and escalation', () => {
  const beyondAuthority = () => opened({ authorityCoversScope: false });
  const upperConsulted = (): ReviewEvent => {
    const event = consulted(AFTER_DUE);
    return { ...event, data: { ...event.data, unitId: 'unit-province', recordedBy: UPPER_HEAD } };
  };

  it("C14-2.3c: approval beyond the reviewer's authority is refused until escalated", () => {
    spec.given([beyondAuthority(), consulted()]).when(approve()).thenThrows(RuleViolation, { clause: 'C14-2.3c' });
  });

  it('C14-2.3c: beyond its authority the reviewer reports upward to the directly managing level', () => {
    spec.given([beyondAuthority()]).when(escalate()).then([escalated()]);
  });

  it('C14-2.3c: a level whose authority covers the scope decides instead of passing it upward', () => {
    spec.given([opened()]).when(escalate()).thenThrows(RuleViolation, { clause: 'C14-2.3c' });
  });

  it('C14-2.3c: after an escalation only the new reviewers act', () => {
    spec.given([beyondAuthority(), escalated()]).when(approve()).thenThrows(Forbidden, { userId: HEAD });
  });

  it('C14-2.3c: the managing level decides the escalated review', () => {
    const [decision] = spec
      .given([beyondAuthority(), escalated(), upperConsulted()])
      .when(approve({}, UPPER_HEAD, AFTER_DUE))
      .events();
    expect(decision).toMatchObject({ data: { decidedBy: { unitId: 'unit-province', reviewerId: UPPER_HEAD } } });
  });

  it("D73-4: after an escalation the lower level's consultation does not count", () => {
    spec
      .given([beyondAuthority(), consulted(), escalated()])
      .when(approve({}, UPPER_HEAD))
      .thenThrows(RuleViolation, { clause: 'D73-4' });
  });
});

describe('Review: the decision', () => {
  /** Consulted, and the collective of three voted for unanimously: ready to approve. */
  const ready = (): ReviewEvent[] => [opened(), consulted(), ...collectiveApprovedVote()];

  it('C14-2.3d: approval without attesting conformity with the Constitution, the Party Charter and the law is refused', () => {
    const attestation = { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: false };
    spec.given(ready()).when(approve({ attestation })).thenThrows(RuleViolation, { clause: 'C14-2.3d' });
  });

  it('C14-2.3e: a pilot approval records the decision, its plan and the attestation', () => {
    spec.given(ready()).when(approve()).then([approved()]);
  });

  it("C14-2.3e: the decision is 'implementation' or 'pilot'", () => {
    spec.given(ready()).when(approve({ decision: 'trial-run' })).thenThrows(RuleViolation, { clause: 'C14-2.3e' });
  });

  it('C14-2.3e: a pilot approval fixes its end date, KPIs with targets and its supervisor', () => {
    const plan = { ...pilotPlan, endDate: null, kpis: [], supervisorId: null };
    spec
      .given(ready())
      .when(approve({ plan }))
      .thenThrows(RuleViolation, { clause: 'C14-2.3e', missing: ['an end date', 'KPIs with targets', 'a supervisor'] });
  });

  it('C14-2.3e: every KPI has a numeric target', () => {
    const plan = { ...pilotPlan, kpis: [{ ...pilotPlan.kpis[0], target: 'nhanh hơn' as unknown as number }] };
    spec.given(ready()).when(approve({ plan })).thenThrows(RuleViolation, { clause: 'C14-2.3e' });
  });

  it('C14-2.3e: a pilot ends after it starts', () => {
    const plan = { ...pilotPlan, endDate: pilotPlan.startDate };
    spec.given(ready()).when(approve({ plan })).thenThrows(RuleViolation, { clause: 'C14-2.3e' });
  });

  it('C14-2.3e: an implementation may leave its KPIs and resources open', () => {
    const plan = { ...pilotPlan, kpis: [], resources: [] };
    spec
      .given(ready())
      .when(approve({ decision: 'implementation', plan }))
      .then([approved({ decision: 'implementation', plan })]);
  });

  it('C14-2.4a: an implementation is followed too, so it fixes its end date and supervisor', () => {
    const plan = { ...pilotPlan, endDate: null, supervisorId: null };
    spec
      .given(ready())
      .when(approve({ decision: 'implementation', plan }))
      .thenThrows(RuleViolation, { clause: 'C14-2.3e', missing: ['an end date', 'a supervisor'] });
  });

  it('C14-2.3f: a pilot approval states the resources given to carry it out', () => {
    spec
      .given(ready())
      .when(approve({ plan: { ...pilotPlan, resources: [] } }))
      .thenThrows(RuleViolation, { clause: 'C14-2.3f' });
  });

  it('HCM3815-2: an approval by the collective names the collective that decided', () => {
    spec.given(collectiveApproved()).when(approve()).then([approved({ decidedBy: byCollective })]);
  });

  it("HCM3815-2: a vote held on the unit-head route makes the approval the collective's", () => {
    const twoToOne = tallied({ for: 2, against: 1, abstain: 0, ...everyoneVoted(3), headVote: 'for', tie: false, result: 'approved' });
    spec
      .given([opened(), consulted(), ...collectiveVoted('for', 'for', 'against'), twoToOne])
      .when(approve())
      .then([approved({ decidedBy: byCollective })]);
  });

  it('D73-2: the decision names the legal basis it was taken under', () => {
    const [approval] = spec.given(ready()).when(approve({ legalBasis: 'Nghị định 73/2023/NĐ-CP' })).events();
    expect(approval).toMatchObject({ type: 'ProposalApproved', data: { legalBasis: 'Nghị định 73/2023/NĐ-CP' } });
    spec.given(collectiveRejected()).when(reject()).then([rejected()]);
    spec.given(ready()).when(approve({ legalBasis: ' ' })).thenThrows(InvalidInput, { field: 'legalBasis' });
  });

  it('D73-10b: the approved plan names the implementers, none unless given', () => {
    const implementerIds = [PROPOSER, 'u-implementer', 'u-implementer'];
    const [approval] = spec.given(ready()).when(approve({ plan: { ...pilotPlan, implementerIds } })).events();
    expect(approval).toMatchObject({ data: { plan: { implementerIds: [PROPOSER, 'u-implementer'] } } });
    const { implementerIds: _, ...withoutImplementers } = pilotPlan;
    spec.given(ready()).when(approve({ plan: withoutImplementers })).then([approved()]);
    spec
      .given(ready())
      .when(approve({ plan: { ...pilotPlan, implementerIds: 'u-1' as unknown as string[] } }))
      .thenThrows(InvalidInput, { field: 'plan.implementerIds' });
  });

  it('D73-10b: the decision names the head who answers for it; none where the head made the proposal', () => {
    spec.given(ready()).when(approve()).then([approved({ decidedBy: { ...byCollective, headId: HEAD } })]);
    const headProposes = { ...collectiveRouting, proposerId: HEAD, reviewerIds: [DEPUTY_1], collectiveMemberIds: [DEPUTY_1, DEPUTY_2] };
    const [decision] = spec
      .given([opened(headProposes), consulted(), voted(DEPUTY_1, 'for'), voted(DEPUTY_2, 'for'), approvedByCollective()])
      .when(approve({}, DEPUTY_1))
      .events();
    expect(decision).toMatchObject({ data: { decidedBy: { reviewerId: DEPUTY_1, headId: null } } });
  });

  it('a revision request sends the round back to the proposer', () => {
    spec.given([opened()]).when(requestRevision()).then([revisionRequested()]);
  });

  it('a rejection records who decided and why', () => {
    spec.given(collectiveRejected()).when(reject()).then([rejected()]);
  });
});

describe('Review: the collective decides every plan', () => {
  it('D73-8.1a: on the unit-head route the head does not approve alone', () => {
    spec.given([opened(), consulted()]).when(approve()).thenThrows(RuleViolation, { clause: 'D73-8.1a' });
  });

  it('D73-8.1a: on the unit-head route the head does not reject alone', () => {
    spec.given([opened()]).when(reject()).thenThrows(RuleViolation, { clause: 'D73-8.1a' });
  });

  it("D73-8.1a: on the superior head's route the superior unit's collective votes too", () => {
    const superior = opened({ ...unitHeadRouting, route: 'superior-head', proposerId: OUTSIDER });
    spec.given([superior, consulted()]).when(approve()).thenThrows(RuleViolation, { clause: 'D73-8.1a' });
  });

  it('D73-8.1a: where the collective is the head alone, the head decides alone', () => {
    spec.given([opened(headAloneRouting), consulted()]).when(approve()).then([approved({ decidedBy: byReviewer })]);
    spec.given([opened(headAloneRouting)]).when(reject()).then([rejected(byReviewer)]);
  });

  it('D73-8.1a: the head may still send the plan back for revision or escalate it without a vote', () => {
    spec.given([opened()]).when(requestRevision()).then([revisionRequested()]);
    spec.given([opened({ authorityCoversScope: false })]).when(escalate()).then([escalated()]);
  });
});

describe('Review: party committee consultation', () => {
  it("D73-4: the same-level party committee's opinion is recorded", () => {
    spec.given([opened()]).when(consult()).then([consulted()]);
  });

  it('D73-4: approval without consulting the party committee is refused', () => {
    spec.given([opened(), ...collectiveApprovedVote()]).when(approve()).thenThrows(RuleViolation, { clause: 'D73-4' });
  });

  it('D73-4b: consultation is not a setting: a review opened when the policy switched it off still needs it', () => {
    spec
      .given([opened({ requirePartyConsultation: false }), ...collectiveApprovedVote()])
      .when(approve())
      .thenThrows(RuleViolation, { clause: 'D73-4' });
  });

  it('D73-4b: every review opens requiring the consultation', () => {
    const [opening] = spec.given([]).when(openReview()).events();
    expect(opening).toMatchObject({ type: 'ReviewOpened', data: { requirePartyConsultation: true } });
  });

  it("D73-4: an earlier round's consultation does not count in the next", () => {
    spec
      .given([opened(), consulted(), revisionRequested(), opened({ round: 2 }, LATER), ...collectiveApprovedVote()])
      .when(approve())
      .thenThrows(RuleViolation, { clause: 'D73-4' });
  });

  it('D73-4: a consultation dated before the level received the proposal does not count', () => {
    spec.given([opened()]).when(consult('2026-03-01T08:00:00.000Z')).thenThrows(RuleViolation, { clause: 'D73-4' });
  });
});

describe('Review: the collective vote', () => {
  it("D73-8.1a: each member's vote is recorded as its own event", () => {
    spec.given(beforeVote()).when(vote(DEPUTY_1, 'for')).then([voted(DEPUTY_1, 'for')]);
  });

  it('D73-8.1a: a proposing deputy does not vote', () => {
    // The org library already leaves the proposing deputy out of the members.
    const deputyProposes = opened({ ...collectiveRouting, proposerId: DEPUTY_2, collectiveMemberIds: [HEAD, DEPUTY_1] });
    spec.given([deputyProposes]).when(vote(DEPUTY_2, 'for')).thenThrows(RuleViolation, { clause: 'D73-8.1a' });
  });

  it('D73-8.1a: a collective that still lists the proposing deputy is refused', () => {
    spec
      .given([])
      .when(openReview({ ...collectiveRouting, proposerId: DEPUTY_2 }))
      .thenThrows(RuleViolation, { clause: 'D73-8.1a' });
  });

  it('D73-8.1a: only members of the collective vote', () => {
    spec.given(beforeVote()).when(vote(OUTSIDER, 'for')).thenThrows(RuleViolation, { clause: 'D73-8.1a', memberId: OUTSIDER });
  });

  it('D73-8.1a: each member votes once', () => {
    spec
      .given([...beforeVote(), voted(DEPUTY_1, 'for')])
      .when(vote(DEPUTY_1, 'against'))
      .thenThrows(RuleViolation, { clause: 'D73-8.1a', memberId: DEPUTY_1 });
  });

  it("D73-8.1a: a member does not cast another member's vote", () => {
    spec.given(beforeVote()).when(vote(DEPUTY_2, 'against', DEPUTY_1)).thenThrows(Forbidden, { userId: DEPUTY_1 });
  });

  it("D73-8.1a: on the collective route approval needs the collective's vote", () => {
    spec.given(beforeVote()).when(approve()).thenThrows(RuleViolation, { clause: 'D73-8.1a' });
  });

  it('D73-8.1b: more than 50% of the members in favour approves', () => {
    spec
      .given([...beforeVote(), ...collectiveVoted('against', 'for', 'for')])
      .when(tally())
      .then([tallied({ for: 2, against: 1, abstain: 0, ...everyoneVoted(3), headVote: 'against', tie: false, result: 'approved' })]);
  });

  it('D73-8.1b: five members, the head for, one against, three abstaining: rejected (abstaining is not in favour)', () => {
    spec
      .given(ballotOfFive('for', 'against', 'abstain', 'abstain', 'abstain'))
      .when(tally())
      .then([tallied({ for: 1, against: 1, abstain: 3, ...everyoneVoted(5), headVote: 'for', tie: false, result: 'rejected' })]);
  });

  it('D73-8.1b: three members, the head for and one deputy against: rejected when the head closes the meeting', () => {
    spec
      .given([...beforeVote(), voted(HEAD, 'for'), voted(DEPUTY_1, 'against')])
      .when(closeMeeting())
      .then([
        tallied({ for: 1, against: 1, abstain: 0, members: 3, participated: 2, headVote: 'for', quorum: true, tie: false, result: 'rejected', closedByHead: true }),
      ]);
  });

  it('D73-8.1b: the head for alone is no tally (one of three is no quorum), so a vote against cannot turn a rejection into an approval', () => {
    const headVotedAlone = [...beforeVote(), voted(HEAD, 'for')];
    spec.given(headVotedAlone).when(closeMeeting()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
    spec.given(headVotedAlone).when(tally()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
    const [withAgainst] = spec.given([...headVotedAlone, voted(DEPUTY_1, 'against')]).when(closeMeeting()).events();
    const [withAbstention] = spec.given([...headVotedAlone, voted(DEPUTY_1, 'abstain')]).when(closeMeeting()).events();
    expect([withAgainst, withAbstention]).toMatchObject([{ data: { result: 'rejected' } }, { data: { result: 'rejected' } }]);
  });

  it('D73-8.1b: a tally needs every member to have voted, or the head closing the meeting', () => {
    spec.given(ballot('for', 'for', 'for')).when(tally()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
    spec
      .given(ballot('for', 'for', 'for'))
      .when(closeMeeting())
      .then([tallied({ for: 3, against: 0, abstain: 0, members: 4, participated: 3, headVote: 'for', quorum: true, tie: false, result: 'approved', closedByHead: true })]);
  });

  it('D73-8.1b: without a quorum the head cannot close the meeting', () => {
    spec.given(ballot('for', 'for')).when(closeMeeting()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
    spec.given([opened(fourMembers)]).when(closeMeeting()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
  });

  it('D73-8.1b: only the head closes the meeting; another chair tallies only a complete vote', () => {
    const deputyChairs: Routing = { ...fourMembers, reviewerIds: [HEAD, DEPUTY_1] };
    const votes = (...choices: Vote[]) => choices.map((choice, i) => voted(fourMembers.collectiveMemberIds[i], choice));
    spec
      .given([opened(deputyChairs), ...votes('for', 'for', 'for')])
      .when(closeMeeting(DEPUTY_1))
      .thenThrows(Forbidden, { userId: DEPUTY_1 });
    const [complete] = spec.given([opened(deputyChairs), ...votes('for', 'for', 'for', 'against')]).when(tally(DEPUTY_1)).events();
    expect(complete).toMatchObject({ data: { result: 'approved', closedByHead: false } });
  });

  it('D73-8.1b: closing a meeting where everyone voted is an ordinary tally', () => {
    const [counted] = spec.given(ballot('for', 'for', 'against', 'against')).when(closeMeeting()).events();
    expect(counted).toMatchObject({ data: { participated: 4, closedByHead: false } });
  });

  it.each([
    ['for', ['for', 'for', 'against', 'against'], 'approved'],
    ['against', ['against', 'for', 'for', 'against'], 'rejected'],
  ] as const)('D73-8.1b: a tie is decided by the side the head voted with (%s)', (headVote, votes, result) => {
    spec
      .given(ballot(...votes))
      .when(tally())
      .then([tallied({ for: 2, against: 2, abstain: 0, ...everyoneVoted(4), headVote, tie: true, result })]);
  });

  it('D73-8.1b: exactly half for where the head abstained rejects', () => {
    spec
      .given(ballot('abstain', 'for', 'for', 'against'))
      .when(tally())
      .then([tallied({ for: 2, against: 1, abstain: 1, ...everyoneVoted(4), headVote: 'abstain', tie: true, result: 'rejected' })]);
  });

  it('D73-8.1b: exactly half of ALL members for, the head among them, approves even with a member absent', () => {
    spec
      .given(ballot('for', 'for', 'abstain'))
      .when(closeMeeting())
      .then([tallied({ for: 2, against: 0, abstain: 1, members: 4, participated: 3, headVote: 'for', quorum: true, tie: true, result: 'approved', closedByHead: true })]);
  });

  it('D73-8.1b: the vote is tallied before deciding', () => {
    spec.given([...beforeVote(), voted(DEPUTY_1, 'for')]).when(approve()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
  });

  it('D73-8.1b: a proposal the collective approved is not rejected against its vote', () => {
    spec.given(collectiveApproved()).when(reject()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
  });

  it('D73-8.1b: a proposal the collective rejected is rejected in its name', () => {
    spec.given(collectiveRejected()).when(reject()).then([rejected(byCollective)]);
  });
});

describe("Review: the head's override", () => {
  it('D73-8.1c: after a collective rejection the head may authorise the proposal in writing, bearing personal responsibility', () => {
    spec.given(collectiveRejected()).when(authorizeOverride()).then([overridden()]);
  });

  it("D73-8.1c: without the head's written authorisation a proposal the collective rejected is not approved", () => {
    spec.given(collectiveRejected()).when(approve()).thenThrows(RuleViolation, { clause: 'D73-8.1c' });
  });

  it('D73-8.1c: with the written authorisation the head approves as an override', () => {
    spec
      .given([...collectiveRejected(), overridden()])
      .when(approve())
      .then([approved({ decidedBy: byOverride })]);
  });

  it('D73-8.1c: only the head authorises an override', () => {
    spec.given(collectiveRejected()).when(authorizeOverride(DEPUTY_1)).thenThrows(Forbidden, { userId: DEPUTY_1 });
  });

  it('D73-8.1c: there is nothing to override unless the collective rejected', () => {
    spec.given(collectiveApproved()).when(authorizeOverride()).thenThrows(IllegalTransition, { from: 'tallied-approved' });
  });
});

describe('Review: deadlines', () => {
  const stateOf = (...events: ReviewEvent[]) => fold(reviewDecider, events);

  it('HN24-shirk: a review past its due date is reported against each person who owes the decision', () => {
    const late = stateOf(opened({ ...collectiveRouting, reviewerIds: [HEAD, DEPUTY_1] }));
    const onTime = stateOf(opened({ proposalId: 'p-2', dueBy: '2026-03-20T10:00:00.000Z' }));
    const decided = stateOf(opened({ proposalId: 'p-3' }), consulted(), approved());
    const row = { proposalId: 'p-1', round: 1, reviewerUnitId: 'unit-dept', route: 'collective', dueBy: DUE_BY };
    expect(overdueReviews([late, onTime, decided], AFTER_DUE)).toEqual([
      { reviewerId: DEPUTY_1, owes: 'decision', ...row },
      { reviewerId: DEPUTY_2, owes: 'vote', ...row },
      { reviewerId: HEAD, owes: 'decision', ...row },
    ]);
  });

  it('D73-6: shirking in approval is reported per person: each member who has not voted by the due date owes their vote', () => {
    const fourVoting = stateOf(opened(fourMembers), voted(DEPUTY_1, 'for'));
    const owed = overdueReviews([fourVoting], AFTER_DUE).map(({ reviewerId, owes }) => [reviewerId, owes]);
    expect(owed).toEqual([
      [DEPUTY_2, 'vote'],
      [DEPUTY_3, 'vote'],
      [HEAD, 'decision'],
    ]);
    // Once tallied only the decision is owed; a closed or decided review owes nothing.
    const talliedLate = stateOf(...collectiveApproved());
    expect(overdueReviews([talliedLate], AFTER_DUE).map((row) => row.owes)).toEqual(['decision']);
    expect(overdueReviews([stateOf(opened(), closed())], AFTER_DUE)).toEqual([]);
  });

  it('HN24-shirk: a review is overdue only after its due date and while undecided', () => {
    expect(isOverdue(stateOf(opened()), DUE_BY)).toBe(false);
    expect(isOverdue(stateOf(opened()), new Date(AFTER_DUE))).toBe(true);
    expect(isOverdue(stateOf(opened(), revisionRequested()), AFTER_DUE)).toBe(false);
  });

  it('HN24-shirk: a decision taken after the due date records that it was overdue', () => {
    spec
      .given([opened(), consulted(), ...collectiveApprovedVote()])
      .when(approve({}, HEAD, AFTER_DUE))
      .then([approved({ overdue: true, decidedAt: AFTER_DUE })]);
  });

  it('HN24-shirk: an escalation after the due date records that the review was passed on late', () => {
    const [passedOn] = spec
      .given([opened({ authorityCoversScope: false })])
      .when({ ...escalate(), metadata: as(HEAD, AFTER_DUE) })
      .events();
    expect(passedOn).toMatchObject({ type: 'ReviewEscalated', data: { overdue: true } });
  });
});

describe('Review: who may act', () => {
  it('only reviewers named in the current round decide', () => {
    spec.given([opened(), consulted()]).when(approve({}, OUTSIDER)).thenThrows(Forbidden, { userId: OUTSIDER });
  });

  it('for a collective decision the head acts for the collective', () => {
    const deputyReviews = { ...collectiveRouting, reviewerIds: [DEPUTY_1] };
    const [, , ...voteAndTally] = collectiveApproved();
    spec
      .given([opened(deputyReviews), consulted(), ...voteAndTally])
      .when(approve({}, HEAD))
      .then([approved({ decidedBy: byCollective })]);
  });

  it('C14-2.3b: a head whose own proposal goes to the collective takes no part in deciding it', () => {
    const headProposes = opened({
      ...collectiveRouting,
      proposerId: HEAD,
      reviewerIds: [DEPUTY_1],
      collectiveMemberIds: [DEPUTY_1, DEPUTY_2],
    });
    spec.given([headProposes]).when(tally(HEAD)).thenThrows(Forbidden, { userId: HEAD });
  });
});

describe('Review: illegal transitions', () => {
  const cases: ReadonlyArray<[string, ReviewEvent[], ReviewCommand, string]> = [
    ['a review not yet opened takes no decision', [], approve(), 'not-opened'],
    ['a decided round is not decided again', [opened(), consulted(), approved()], reject(), 'approved'],
    ['a rejected round takes no revision request', [opened(), rejected()], requestRevision(), 'rejected'],
    ['a round sent back for revision takes no decision', [opened(), revisionRequested()], approve(), 'revision-requested'],
    ['no vote is recorded after the tally', collectiveApproved(), vote(DEPUTY_1, 'for'), 'tallied-approved'],
    ['a vote is tallied once', collectiveApproved(), tally(), 'tallied-approved'],
    ['an override is authorised once', [...collectiveRejected(), overridden()], authorizeOverride(), 'override-authorized'],
    ['an overridden rejection is not rejected after all', [...collectiveRejected(), overridden()], reject(), 'override-authorized'],
    ['SAGA-withdraw: a closed review takes no approval', [...collectiveApproved(), closed()], approve(), 'closed'],
    ['SAGA-withdraw: a closed review takes no rejection', [...collectiveRejected(), closed()], reject(), 'closed'],
    ['SAGA-withdraw: a closed review takes no vote', [...beforeVote(), closed()], vote(DEPUTY_1, 'for'), 'closed'],
    ['SAGA-withdraw: a closed review takes no tally', [...beforeVote(), voted(HEAD, 'for'), closed()], tally(), 'closed'],
    ['SAGA-withdraw: a closed review takes no consultation', [opened(), closed()], consult(), 'closed'],
    ['SAGA-withdraw: a closed review takes no override', [...collectiveRejected(), closed()], authorizeOverride(), 'closed'],
    ['SAGA-withdraw: a closed review is not escalated', [opened({ authorityCoversScope: false }), closed()], escalate(), 'closed'],
    ['SAGA-withdraw: a closed review takes no revision request', [opened(), closed()], requestRevision(), 'closed'],
    ['SAGA-withdraw: a withdrawn proposal opens no new round', [opened(), revisionRequested(), closed('revision-requested')], openReview({ round: 2 }, AFTER_DUE), 'closed'],
    ['a rejection is final: no further round opens', [...collectiveRejected(), rejected()], openReview({ round: 2 }, AFTER_DUE), 'rejected'],
  ];

  it.each(cases)('%s', (_, given, when, from) => {
    spec.given(given).when(when).thenThrows(IllegalTransition, { from, command: when.type });
  });
});

describe('Review: a withdrawn proposal (SAGA-withdraw)', () => {
  it('SAGA-withdraw: a withdrawal closes the open review', () => {
    spec.given([...beforeVote(), voted(HEAD, 'for')]).when(closeReview()).then([closed(null)]);
  });

  it('SAGA-withdraw: a redelivered withdrawal changes nothing', () => {
    spec.given([opened(), closed()]).when(closeReview(AFTER_DUE)).then([]);
  });

  it('SAGA-withdraw: a withdrawal arriving after the approval closes the review, recording that it came after the decision', () => {
    spec.given([...collectiveApproved(), approved()]).when(closeReview()).then([closed('approved')]);
  });

  it('SAGA-withdraw: a withdrawal while the proposer revises closes the review', () => {
    spec.given([opened(), revisionRequested()]).when(closeReview()).then([closed('revision-requested')]);
  });

  it('SAGA-withdraw: a rejection is final: a later withdrawal records nothing', () => {
    spec.given([...collectiveRejected(), rejected()]).when(closeReview()).then([]);
  });

  it('SAGA-withdraw: a proposal withdrawn before any review opened has nothing to close', () => {
    spec.given([]).when(closeReview()).then([]);
  });

  it('SAGA-withdraw: a redelivered submission of the closed round opens nothing', () => {
    spec.given([opened(), closed()]).when(openReview({}, AFTER_DUE)).then([]);
  });

  it('SAGA-withdraw: only the proposer, withdrawing, closes the review; the reason is a withdrawal', () => {
    spec.given([opened()]).when(closeReview(LATER, HEAD)).thenThrows(Forbidden, { userId: HEAD });
    const notWithdrawn = { ...closeReview(), data: { proposalId: 'p-1', reason: 'lost-interest' } };
    spec.given([opened()]).when(notWithdrawn).thenThrows(InvalidInput, { field: 'reason' });
  });
});

describe('Review: the plan is sane (C14-2.3e)', () => {
  const ready = (): ReviewEvent[] => [opened(), consulted(), ...collectiveApprovedVote()];
  const withPlan = (plan: Partial<typeof pilotPlan>) => approve({ plan: { ...pilotPlan, ...plan } });
  const kpi = (target: number, unit: string) => ({ kpis: [{ ...pilotPlan.kpis[0], unit, target }] });

  it('C14-2.3e: plan dates in 1900 are refused', () => {
    const plan = { startDate: '1900-01-01', endDate: '1900-06-30', milestones: [{ id: 'm-1', name: 'Vận hành thử', dueDate: '1900-03-01' }] };
    spec.given(ready()).when(withPlan(plan)).thenThrows(RuleViolation, { clause: 'C14-2.3e', field: 'plan.startDate' });
  });

  it('C14-2.3e: the start lies from a year before to five years after the decision', () => {
    spec.given(ready()).when(withPlan({ startDate: '2025-03-04', endDate: '2025-09-30', milestones: [] })).thenThrows(RuleViolation, { field: 'plan.startDate' });
    spec.given(ready()).when(withPlan({ startDate: '2031-03-06', endDate: '2031-09-30', milestones: [] })).thenThrows(RuleViolation, { field: 'plan.startDate' });
    const [started] = spec.given(ready()).when(withPlan({ startDate: '2025-03-05', milestones: [] })).events();
    expect(started).toMatchObject({ type: 'ProposalApproved', data: { plan: { startDate: '2025-03-05' } } });
  });

  it('C14-2.3e: a plan runs at most ten years', () => {
    spec.given(ready()).when(withPlan({ endDate: '2036-04-02' })).thenThrows(RuleViolation, { clause: 'C14-2.3e', field: 'plan.endDate' });
    spec.given(ready()).when(withPlan({ endDate: '2036-04-01' })).then([approved({ plan: { ...pilotPlan, endDate: '2036-04-01' } })]);
  });

  it('C14-2.3e: every milestone falls due between the start and the end of the plan', () => {
    for (const dueDate of ['2026-03-31', '2026-10-01']) {
      spec
        .given(ready())
        .when(withPlan({ milestones: [{ id: 'm-1', name: 'Vận hành thử', dueDate }] }))
        .thenThrows(RuleViolation, { clause: 'C14-2.3e', field: 'plan.milestones[0].dueDate', milestoneId: 'm-1' });
    }
  });

  it('C14-2.3e: a KPI target of -5 days is refused', () => {
    spec.given(ready()).when(withPlan(kpi(-5, 'ngày'))).thenThrows(RuleViolation, { clause: 'C14-2.3e', field: 'plan.kpis[0].target' });
    spec.given(ready()).when(withPlan(kpi(-5, 'days'))).thenThrows(RuleViolation, { clause: 'C14-2.3e' });
    spec.given(ready()).when(withPlan(kpi(-1, 'người'))).thenThrows(RuleViolation, { clause: 'C14-2.3e' });
  });

  it('C14-2.3e: a KPI target of 140% is refused, as is a negative percentage', () => {
    for (const [target, unit] of [[140, '%'], [101, 'phần trăm'], [-3, 'percent'], [120, '% hồ sơ trực tuyến']] as const) {
      spec.given(ready()).when(withPlan(kpi(target, unit))).thenThrows(RuleViolation, { clause: 'C14-2.3e', target, unit });
    }
    spec.given(ready()).when(withPlan(kpi(100, '%'))).then([approved({ plan: { ...pilotPlan, ...kpi(100, '%') } })]);
  });

  it("C14-2.3e: a signed unit ('±' for a change, or a temperature) may have a negative target", () => {
    for (const unit of ['± %', '± tỷ đồng', '°C']) {
      spec.given(ready()).when(withPlan(kpi(-5, unit))).then([approved({ plan: { ...pilotPlan, ...kpi(-5, unit) } })]);
    }
  });
});
