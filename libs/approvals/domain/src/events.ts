import {
  type EventsOf,
  type Payload,
  type PayloadOf,
  Type,
  closedObject,
  count,
  date as day,
  defineEvents,
  definitionsOf,
  idOf,
  idsOf,
  kpiSchema,
  milestoneSchema,
  nullable,
  publishedInstants,
  resourceSchema,
  stringEnum,
  yes,
} from '@dotpha/kernel';
import { type CollectiveTally as OrgTally, DEFAULT_LEGAL_BASIS, type Vote, VOTES } from '@dotpha/org';

export { type Vote, VOTES };
export { KPI_DIRECTIONS, type Kpi, type KpiDirection, type Milestone, RESOURCE_KINDS, type Resource, type ResourceKind } from '@dotpha/kernel';

export const REVIEW_ROUTES = ['unit-head', 'collective', 'superior-head'] as const;
export type ReviewRoute = (typeof REVIEW_ROUTES)[number];
export const APPROVAL_DECISIONS = ['implementation', 'pilot'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];
/** SAGA-withdraw: why a review ended without (or after) its decision. */
export const CLOSE_REASONS = ['withdrawn'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
/** Where the review stood when it was closed: null while it was still open. */
export const DECISIONS_BEFORE_CLOSING = ['approved', 'revision-requested'] as const;
export type DecisionBeforeClosing = (typeof DECISIONS_BEFORE_CLOSING)[number];

// ---- Payloads: the published JSON Schemas, types derived from the table below ----

// The approvals context published wider bounds than the others (ids of 200, sets of 500, text
// without the blank check) and instants with an offset: kept as published for these versions.
const id = idOf(200);
const ids = idsOf(id, 500);
const text = Type.String({ minLength: 1, maxLength: 20_000 });
const instant = publishedInstants.withOffset;
const round = Type.Integer({ minimum: 1 });
const flag = Type.Boolean();
const legalBasis = Type.String({ minLength: 1, maxLength: 1000 });

const routingProperties = {
  reviewerUnitId: id,
  route: stringEnum(REVIEW_ROUTES),
  reviewerIds: Type.Array(id, { maxItems: 500, uniqueItems: true, minItems: 1 }),
  /** Head and deputies, without a deputy who is the proposer (D73-8.1a). */
  collectiveMemberIds: ids,
  headId: id,
  authorityCoversScope: flag,
  /** ISO instant; working days are counted by the application's calendar. */
  dueBy: instant,
};
/**
 * Who reviews at the current level, as resolved by the org library. Replaced as a whole when the
 * review is escalated, so it travels in ReviewOpened and ReviewEscalated alike.
 */
export type Routing = PayloadOf<typeof routingProperties>;

const decidedByV1Properties = {
  unitId: id,
  reviewerId: id,
  collective: flag,
  override: flag,
  collectiveMemberIds: ids,
};
const decidedBy = closedObject({
  ...decidedByV1Properties,
  /**
   * D73-10b: the head of the reviewing unit, who chairs its collective and answers for the
   * decision. Null where the head is the proposer (their collective decides without them), and in
   * decisions recorded before v2 that do not say who the head was.
   */
  headId: nullable(id),
});
/** HCM3815-2: the collective that decided carries responsibility, so its members are named. */
export type DecidedBy = Payload<typeof decidedBy>;

const plan = closedObject({
  scope: text,
  startDate: day,
  endDate: nullable(day),
  kpis: Type.Array(kpiSchema({ id, name: text, unit: Type.String({ maxLength: 200 }) }), { maxItems: 200 }),
  milestones: Type.Array(milestoneSchema({ id, name: text }), { maxItems: 200 }),
  resources: Type.Array(resourceSchema(text), { maxItems: 200 }),
  supervisorId: nullable(id),
  /** D73-7, D73-10b: the users who carry the plan out, protected and recognised with the proposer. */
  implementerIds: ids,
});
/**
 * The same shape for both decisions, so monitoring reads one contract; an implementation may
 * leave the end date and supervisor open, a pilot may not (C14-2.3e).
 */
export type ApprovedPlan = Payload<typeof plan>;

const attestation = closedObject({ notContraryToConstitution: yes, notContraryToPartyCharter: yes, notContraryToLaw: yes });
export type Attestation = Payload<typeof attestation>;

const reviewOpened = closedObject({
  proposalId: id,
  round,
  proposerId: id,
  proposerUnitId: id,
  scopeUnitIds: ids,
  ...routingProperties,
  requirePartyConsultation: flag,
  openedAt: instant,
});
const partyCommitteeConsulted = closedObject({ proposalId: id, round, unitId: id, opinion: text, consultedAt: instant, recordedBy: id });
const collectiveVoteRecorded = closedObject({
  proposalId: id,
  round,
  memberId: id,
  vote: stringEnum(VOTES),
  recordedBy: id,
  recordedAt: instant,
});
const collectiveVoteTallied = closedObject({
  proposalId: id,
  round,
  for: count,
  against: count,
  abstain: count,
  members: Type.Integer({ minimum: 1 }),
  participated: count,
  headVote: nullable(stringEnum(VOTES)),
  quorum: flag,
  tie: flag,
  result: stringEnum(['approved', 'rejected']),
  closedByHead: flag,
  talliedAt: instant,
});
const headOverrideAuthorized = closedObject({
  proposalId: id,
  round,
  headId: id,
  writtenAuthorization: text,
  personalResponsibility: yes,
  authorizedAt: instant,
});
const reviewEscalated = closedObject({
  proposalId: id,
  round,
  reasons: text,
  fromUnitId: id,
  ...routingProperties,
  escalatedBy: id,
  /** HN24-shirk: passing a review on after its due date stays visible. */
  overdue: flag,
  escalatedAt: instant,
});
const revisionRequested = closedObject({
  proposalId: id,
  round,
  proposerId: id,
  reviewerUnitId: id,
  reasons: text,
  requestedBy: id,
  overdue: flag,
  requestedAt: instant,
});
/** What a decision on the proposal records besides its outcome; D73-2: the legal basis is instance policy. */
const decisionProperties = { proposalId: id, round, proposerId: id, proposerUnitId: id };
const proposalRejected = closedObject({
  ...decisionProperties,
  reasons: text,
  decidedBy,
  legalBasis,
  overdue: flag,
  rejectedAt: instant,
});
const proposalApproved = closedObject({
  ...decisionProperties,
  decision: stringEnum(APPROVAL_DECISIONS),
  reasons: text,
  decidedBy,
  legalBasis,
  attestation,
  plan,
  overdue: flag,
  decidedAt: instant,
});
const reviewClosed = closedObject({
  proposalId: id,
  round,
  reason: stringEnum(CLOSE_REASONS),
  afterDecision: nullable(stringEnum(DECISIONS_BEFORE_CLOSING)),
  closedAt: instant,
});

/** The org library's tally (D73-8.1b) and how the meeting ended. */
export interface CollectiveTally extends OrgTally {
  /** The head closed the meeting before every member had voted (with a quorum). */
  readonly closedByHead: boolean;
}

type Review = EventsOf<typeof approvalsEvents>;
/** Each event of the table: `ReviewEvent` is any of them, `ReviewEvent<'ReviewOpened'>` one. */
export type ReviewEvent<T extends keyof Review = keyof Review> = Review[T];

export type ReviewEventType = ReviewEvent['type'];

/*
 * Upcasters of the v1 payloads, written before D73-2 and D73-10b: they named no legal basis, no
 * implementers and not the head. Those decisions were taken under Conclusion 14 (the only basis
 * the platform knew); a head is named only where v1 itself shows who it was: an override is the
 * head's, and a decision not taken by the collective was taken by the named reviewer, whom the
 * application routed as the reviewing unit's head on every route but the collective one (where
 * the collective always decided).
 */
type DecidedByV1 = Omit<DecidedBy, 'headId'>;
const OLD_LEGAL_BASIS = DEFAULT_LEGAL_BASIS['all-staff'];
const headOfV1 = (by: DecidedByV1): string | null => (by.override || !by.collective ? by.reviewerId : null);
const decidedByFromV1 = (by: DecidedByV1): DecidedBy => ({ ...by, headId: headOfV1(by) });
/** Both decisions of v1 lack the head among their deciders and the legal basis. */
const decisionFromV1 = <D extends { decidedBy: DecidedByV1 }>(data: D) => ({ ...data, decidedBy: decidedByFromV1(data.decidedBy), legalBasis: OLD_LEGAL_BASIS });
const rejectionFromV1 = (data: Omit<Payload<typeof proposalRejected>, 'legalBasis' | 'decidedBy'> & { decidedBy: DecidedByV1 }) => decisionFromV1(data);
const approvalFromV1 = (
  data: Omit<Payload<typeof proposalApproved>, 'legalBasis' | 'decidedBy' | 'plan'> & { decidedBy: DecidedByV1; plan: Omit<ApprovedPlan, 'implementerIds'> },
) => ({ ...decisionFromV1(data), plan: { ...data.plan, implementerIds: [] } });
/** v1 was tallied without a quorum rule: who took part is read from its counts; no meeting was closed. */
const tallyFromV1 = (data: { for: number; against: number; abstain: number; members: number }) => {
  const participated = data.for + data.against + data.abstain;
  return { ...data, participated, quorum: participated * 2 > data.members, closedByHead: false };
};

/*
 * The approvals context's events: for each, its version, classification, restricted fields and the
 * payload's published JSON Schema.
 *
 * Decisions and their routing are public: other agencies and the centre follow where proposals
 * stand. How each leader voted and what the party committee said stay inside the instance.
 * Free text (reasons, opinions, the written authorisation) may judge the proposer, so it is
 * restricted wherever it appears.
 */
export const approvalsEvents = defineEvents('approvals', {
  ReviewOpened: { version: 1, classification: 'public', schema: reviewOpened },
  PartyCommitteeConsulted: { version: 1, classification: 'internal', restricted: ['opinion'], schema: partyCommitteeConsulted },
  CollectiveVoteRecorded: { version: 1, classification: 'internal', schema: collectiveVoteRecorded },
  CollectiveVoteTallied: { version: 2, classification: 'public', schema: collectiveVoteTallied, upcasters: { 1: tallyFromV1 } },
  HeadOverrideAuthorized: { version: 1, classification: 'public', restricted: ['writtenAuthorization'], schema: headOverrideAuthorized },
  ReviewEscalated: { version: 1, classification: 'public', restricted: ['reasons'], schema: reviewEscalated },
  RevisionRequested: { version: 1, classification: 'public', restricted: ['reasons'], schema: revisionRequested },
  ProposalRejected: { version: 2, classification: 'public', restricted: ['reasons'], schema: proposalRejected, upcasters: { 1: rejectionFromV1 } },
  ProposalApproved: { version: 2, classification: 'public', restricted: ['reasons'], schema: proposalApproved, upcasters: { 1: approvalFromV1 } },
  /*
   * SAGA-withdraw: the proposal was withdrawn, so its review ends here whatever stage it had
   * reached; nothing is decided on it afterwards. Public like the decisions: other agencies follow
   * that the proposal no longer stands.
   */
  ReviewClosed: { version: 1, classification: 'public', schema: reviewClosed },
});
export const approvalsEventDefinitions = definitionsOf(approvalsEvents);

