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
  OUTSIDER,
  UPPER_HEAD,
  approve,
  approved,
  approvedByCollective,
  as,
  byCollective,
  byOverride,
  collectiveRouting,
  collectiveVoted,
  consulted,
  escalate,
  escalated,
  openReview,
  opened,
  overridden,
  pilotPlan,
  rejected,
  rejectedByCollective,
  revisionRequested,
  tallied,
  vote,
  voted,
} from './review.fixtures';

const spec = DeciderSpecification.for(reviewDecider);

const command = <T extends ReviewCommand['type']>(type: T, data: Extract<ReviewCommand, { type: T }>['data'], by = HEAD) =>
  ({ type, data, metadata: as(by) }) as Extract<ReviewCommand, { type: T }>;
const reject = (by = HEAD) => command('RejectProposal', { reasons: rejected().data.reasons }, by);
const requestRevision = (by = HEAD) => command('RequestRevision', { reasons: revisionRequested().data.reasons }, by);
const tally = (by = HEAD) => command('TallyCollectiveVote', {}, by);
const consult = (consultedAt?: string) =>
  command('ConsultPartyCommittee', { opinion: consulted().data.opinion, ...(consultedAt ? { consultedAt } : {}) });
const authorizeOverride = (by = HEAD) =>
  command('AuthorizeHeadOverride', { writtenAuthorization: overridden().data.writtenAuthorization }, by);

/** Opened on the collective route with the party committee consulted: ready for the vote. */
const beforeVote = (): ReviewEvent[] => [opened(collectiveRouting), consulted()];
const collectiveApproved = (): ReviewEvent[] => [...beforeVote(), ...collectiveVoted('for', 'for', 'for'), approvedByCollective()];
const collectiveRejected = (): ReviewEvent[] => [...beforeVote(), ...collectiveVoted('for', 'against', 'against'), rejectedByCollective()];

/** A collective of the head and three deputies, who vote in that order; an even size allows a tie. */
const fourMembers: Routing = { ...collectiveRouting, collectiveMemberIds: [HEAD, DEPUTY_1, DEPUTY_2, DEPUTY_3] };
const ballot = (...votes: Vote[]): ReviewEvent[] => [
  opened(fourMembers),
  ...votes.map((choice, i) => voted(fourMembers.collectiveMemberIds[i], choice)),
];

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
  const ready = (): ReviewEvent[] => [opened(), consulted()];

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
    const twoToOne = tallied({ for: 2, against: 1, abstain: 0, members: 3, headVote: 'for', tie: false, result: 'approved' });
    spec
      .given([...ready(), ...collectiveVoted('for', 'for', 'against'), twoToOne])
      .when(approve())
      .then([approved({ decidedBy: byCollective })]);
  });

  it('a revision request sends the round back to the proposer', () => {
    spec.given([opened()]).when(requestRevision()).then([revisionRequested()]);
  });

  it('a rejection records who decided and why', () => {
    spec.given([opened()]).when(reject()).then([rejected()]);
  });
});

describe('Review: party committee consultation', () => {
  it("D73-4: the same-level party committee's opinion is recorded", () => {
    spec.given([opened()]).when(consult()).then([consulted()]);
  });

  it('D73-4: approval without consulting the party committee is refused', () => {
    spec.given([opened()]).when(approve()).thenThrows(RuleViolation, { clause: 'D73-4' });
  });

  it('D73-4: where the policy does not require it, approval needs no consultation', () => {
    spec.given([opened({ requirePartyConsultation: false })]).when(approve()).then([approved()]);
  });

  it("D73-4: an earlier round's consultation does not count in the next", () => {
    spec
      .given([opened(), consulted(), revisionRequested(), opened({ round: 2 }, LATER)])
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
      .then([tallied({ for: 2, against: 1, abstain: 0, members: 3, headVote: 'against', tie: false, result: 'approved' })]);
  });

  it('D73-8.1b: absent and abstaining members are not in favour', () => {
    // 2 of 4 is not more than 50%; the one member absent keeps the tally from being a tie.
    spec
      .given(ballot('for', 'for', 'abstain'))
      .when(tally())
      .then([tallied({ for: 2, against: 0, abstain: 1, members: 4, headVote: 'for', tie: false, result: 'rejected' })]);
  });

  it('D73-8.1b: a tie is decided by the side the head voted with (for)', () => {
    spec
      .given(ballot('for', 'for', 'against', 'against'))
      .when(tally())
      .then([tallied({ for: 2, against: 2, abstain: 0, members: 4, headVote: 'for', tie: true, result: 'approved' })]);
  });

  it('D73-8.1b: a tie is decided by the side the head voted with (against)', () => {
    spec
      .given(ballot('against', 'for', 'for', 'against'))
      .when(tally())
      .then([tallied({ for: 2, against: 2, abstain: 0, members: 4, headVote: 'against', tie: true, result: 'rejected' })]);
  });

  it('D73-8.1b: a tie where the head abstained has no majority in favour and rejects', () => {
    spec
      .given(ballot('abstain', 'for', 'against'))
      .when(tally())
      .then([tallied({ for: 1, against: 1, abstain: 1, members: 4, headVote: 'abstain', tie: true, result: 'rejected' })]);
  });

  it('D73-8.1b: the vote is tallied before deciding', () => {
    spec.given([...beforeVote(), voted(DEPUTY_1, 'for')]).when(approve()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
  });

  it('D73-8.1b: a proposal the collective approved is not rejected against its vote', () => {
    spec.given(collectiveApproved()).when(reject()).thenThrows(RuleViolation, { clause: 'D73-8.1b' });
  });

  it('D73-8.1b: a proposal the collective rejected is rejected in its name', () => {
    spec.given(collectiveRejected()).when(reject()).then([{ ...rejected(), data: { ...rejected().data, decidedBy: byCollective } }]);
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
      { reviewerId: DEPUTY_1, ...row },
      { reviewerId: HEAD, ...row },
    ]);
  });

  it('HN24-shirk: a review is overdue only after its due date and while undecided', () => {
    expect(isOverdue(stateOf(opened()), DUE_BY)).toBe(false);
    expect(isOverdue(stateOf(opened()), new Date(AFTER_DUE))).toBe(true);
    expect(isOverdue(stateOf(opened(), revisionRequested()), AFTER_DUE)).toBe(false);
  });

  it('HN24-shirk: a decision taken after the due date records that it was overdue', () => {
    spec
      .given([opened(), consulted()])
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
  ];

  it.each(cases)('%s', (_, given, when, from) => {
    spec.given(given).when(when).thenThrows(IllegalTransition, { from, command: when.type });
  });
});
