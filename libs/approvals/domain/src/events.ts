import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import { type CollectiveTally as OrgTally, DEFAULT_LEGAL_BASIS, type Vote, VOTES } from '@dotpha/org';

export { type Vote, VOTES };
export type ReviewRoute = 'unit-head' | 'collective' | 'superior-head';
export type ApprovalDecision = 'implementation' | 'pilot';
export type KpiDirection = 'at-least' | 'at-most';
export type ResourceKind = 'funding' | 'people' | 'equipment' | 'other';

export const REVIEW_ROUTES: readonly ReviewRoute[] = ['unit-head', 'collective', 'superior-head'];
export const APPROVAL_DECISIONS: readonly ApprovalDecision[] = ['implementation', 'pilot'];
export const KPI_DIRECTIONS: readonly KpiDirection[] = ['at-least', 'at-most'];
export const RESOURCE_KINDS: readonly ResourceKind[] = ['funding', 'people', 'equipment', 'other'];
/** SAGA-withdraw: why a review ended without (or after) its decision. */
export const CLOSE_REASONS = ['withdrawn'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
/** Where the review stood when it was closed: null while it was still open. */
export const DECISIONS_BEFORE_CLOSING = ['approved', 'revision-requested'] as const;
export type DecisionBeforeClosing = (typeof DECISIONS_BEFORE_CLOSING)[number];

/**
 * Who reviews at the current level, as resolved by the org library. Replaced as a whole when the
 * review is escalated, so it travels in ReviewOpened and ReviewEscalated alike.
 */
export interface Routing {
  readonly reviewerUnitId: string;
  readonly route: ReviewRoute;
  readonly reviewerIds: readonly string[];
  /** Head and deputies, without a deputy who is the proposer (D73-8.1a). */
  readonly collectiveMemberIds: readonly string[];
  readonly headId: string;
  readonly authorityCoversScope: boolean;
  /** ISO instant; working days are counted by the application's calendar. */
  readonly dueBy: string;
}

export interface Kpi {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly target: number;
  readonly direction: KpiDirection;
}

export interface Milestone {
  readonly id: string;
  readonly name: string;
  /** YYYY-MM-DD */
  readonly dueDate: string;
}

export interface Resource {
  readonly kind: ResourceKind;
  readonly description: string;
  readonly amount?: number;
}

/**
 * The same shape for both decisions, so monitoring reads one contract; an implementation may
 * leave the end date and supervisor open, a pilot may not (C14-2.3e).
 */
export interface ApprovedPlan {
  readonly scope: string;
  /** YYYY-MM-DD */
  readonly startDate: string;
  /** YYYY-MM-DD */
  readonly endDate: string | null;
  readonly kpis: readonly Kpi[];
  readonly milestones: readonly Milestone[];
  readonly resources: readonly Resource[];
  readonly supervisorId: string | null;
  /** D73-7, D73-10b: the users who carry the plan out, protected and recognised with the proposer. */
  readonly implementerIds: readonly string[];
}

export interface Attestation {
  readonly notContraryToConstitution: true;
  readonly notContraryToPartyCharter: true;
  readonly notContraryToLaw: true;
}

/** HCM3815-2: the collective that decided carries responsibility, so its members are named. */
export interface DecidedBy {
  readonly unitId: string;
  readonly reviewerId: string;
  readonly collective: boolean;
  readonly override: boolean;
  readonly collectiveMemberIds: readonly string[];
  /**
   * D73-10b: the head of the reviewing unit, who chairs its collective and answers for the
   * decision. Null where the head is the proposer (their collective decides without them), and in
   * decisions recorded before v2 that do not say who the head was.
   */
  readonly headId: string | null;
}

export type ReviewOpened = DomainEvent<
  'ReviewOpened',
  Routing & {
    readonly proposalId: string;
    readonly round: number;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly scopeUnitIds: readonly string[];
    readonly requirePartyConsultation: boolean;
    readonly openedAt: string;
  }
>;

export type PartyCommitteeConsulted = DomainEvent<
  'PartyCommitteeConsulted',
  {
    readonly proposalId: string;
    readonly round: number;
    readonly unitId: string;
    readonly opinion: string;
    readonly consultedAt: string;
    readonly recordedBy: string;
  }
>;

export type CollectiveVoteRecorded = DomainEvent<
  'CollectiveVoteRecorded',
  {
    readonly proposalId: string;
    readonly round: number;
    readonly memberId: string;
    readonly vote: Vote;
    readonly recordedBy: string;
    readonly recordedAt: string;
  }
>;

/** The org library's tally (D73-8.1b) and how the meeting ended. */
export interface CollectiveTally extends OrgTally {
  /** The head closed the meeting before every member had voted (with a quorum). */
  readonly closedByHead: boolean;
}

export type CollectiveVoteTallied = DomainEvent<
  'CollectiveVoteTallied',
  CollectiveTally & { readonly proposalId: string; readonly round: number; readonly talliedAt: string }
>;

export type HeadOverrideAuthorized = DomainEvent<
  'HeadOverrideAuthorized',
  {
    readonly proposalId: string;
    readonly round: number;
    readonly headId: string;
    readonly writtenAuthorization: string;
    readonly personalResponsibility: true;
    readonly authorizedAt: string;
  }
>;

export type ReviewEscalated = DomainEvent<
  'ReviewEscalated',
  Routing & {
    readonly proposalId: string;
    readonly round: number;
    readonly reasons: string;
    readonly fromUnitId: string;
    readonly escalatedBy: string;
    /** HN24-shirk: passing a review on after its due date stays visible. */
    readonly overdue: boolean;
    readonly escalatedAt: string;
  }
>;

export type RevisionRequested = DomainEvent<
  'RevisionRequested',
  {
    readonly proposalId: string;
    readonly round: number;
    readonly proposerId: string;
    readonly reviewerUnitId: string;
    readonly reasons: string;
    readonly requestedBy: string;
    readonly overdue: boolean;
    readonly requestedAt: string;
  }
>;

export type ProposalRejected = DomainEvent<
  'ProposalRejected',
  {
    readonly proposalId: string;
    readonly round: number;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly reasons: string;
    readonly decidedBy: DecidedBy;
    /** D73-2: the legal basis the decision was taken under (instance policy). */
    readonly legalBasis: string;
    readonly overdue: boolean;
    readonly rejectedAt: string;
  }
>;

export type ProposalApproved = DomainEvent<
  'ProposalApproved',
  {
    readonly proposalId: string;
    readonly round: number;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly decision: ApprovalDecision;
    readonly reasons: string;
    readonly decidedBy: DecidedBy;
    /** D73-2: the legal basis the decision was taken under (instance policy). */
    readonly legalBasis: string;
    readonly attestation: Attestation;
    readonly plan: ApprovedPlan;
    readonly overdue: boolean;
    readonly decidedAt: string;
  }
>;

/**
 * SAGA-withdraw: the proposal was withdrawn, so its review ends here whatever stage it had
 * reached; nothing is decided on it afterwards.
 */
export type ReviewClosed = DomainEvent<
  'ReviewClosed',
  {
    readonly proposalId: string;
    readonly round: number;
    readonly reason: CloseReason;
    readonly afterDecision: DecisionBeforeClosing | null;
    readonly closedAt: string;
  }
>;

export type ReviewEvent =
  | ReviewOpened
  | PartyCommitteeConsulted
  | CollectiveVoteRecorded
  | CollectiveVoteTallied
  | HeadOverrideAuthorized
  | ReviewEscalated
  | RevisionRequested
  | ProposalRejected
  | ProposalApproved
  | ReviewClosed;

export type ReviewEventType = ReviewEvent['type'];

// ---- published definitions (the contract other agencies read) ----

const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';
const ISO_DAY = '^\\d{4}-\\d{2}-\\d{2}$';

const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const ids = { type: 'array', items: id, uniqueItems: true, maxItems: 500 } as const;
const text = { type: 'string', minLength: 1, maxLength: 20_000 } as const;
const instant = { type: 'string', pattern: ISO_INSTANT } as const;
const day = { type: 'string', pattern: ISO_DAY } as const;
const count = { type: 'integer', minimum: 0 } as const;
const round = { type: 'integer', minimum: 1 } as const;
const flag = { type: 'boolean' } as const;
const yes = { type: 'boolean', const: true } as const;
const oneOf = (values: readonly string[]) => ({ type: 'string', enum: [...values] });
const orNull = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

/** Every listed property is required unless named in `optional`: the contract has no silent gaps. */
function object(properties: Record<string, unknown>, optional: readonly string[] = []) {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    properties,
  };
}

const routingProperties = {
  reviewerUnitId: id,
  route: oneOf(REVIEW_ROUTES),
  reviewerIds: { ...ids, minItems: 1 },
  collectiveMemberIds: ids,
  headId: id,
  authorityCoversScope: flag,
  dueBy: instant,
};

const decidedByV1Properties = {
  unitId: id,
  reviewerId: id,
  collective: flag,
  override: flag,
  collectiveMemberIds: ids,
};
const decidedBy = object({ ...decidedByV1Properties, headId: orNull(id) });

const plan = object({
  scope: text,
  startDate: day,
  endDate: orNull(day),
  kpis: {
    type: 'array',
    maxItems: 200,
    items: object({
      id,
      name: text,
      unit: { type: 'string', maxLength: 200 },
      target: { type: 'number' },
      direction: oneOf(KPI_DIRECTIONS),
    }),
  },
  milestones: { type: 'array', maxItems: 200, items: object({ id, name: text, dueDate: day }) },
  resources: {
    type: 'array',
    maxItems: 200,
    items: object({ kind: oneOf(RESOURCE_KINDS), description: text, amount: { type: 'number', minimum: 0 } }, ['amount']),
  },
  supervisorId: orNull(id),
  implementerIds: ids,
});

const legalBasis = { type: 'string', minLength: 1, maxLength: 1000 } as const;

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

/*
 * Decisions and their routing are public: other agencies and the centre follow where proposals
 * stand. How each leader voted and what the party committee said stay inside the instance.
 * Free text (reasons, opinions, the written authorisation) may judge the proposer, so it is
 * restricted wherever it appears.
 */
export const ReviewOpenedDefinition = defineEvent({
  type: 'ReviewOpened',
  version: 1,
  context: 'approvals',
  classification: 'public',
  schema: object({
    proposalId: id,
    round,
    proposerId: id,
    proposerUnitId: id,
    scopeUnitIds: ids,
    ...routingProperties,
    requirePartyConsultation: flag,
    openedAt: instant,
  }),
});

export const PartyCommitteeConsultedDefinition = defineEvent({
  type: 'PartyCommitteeConsulted',
  version: 1,
  context: 'approvals',
  classification: 'internal',
  restricted: ['opinion'],
  schema: object({ proposalId: id, round, unitId: id, opinion: text, consultedAt: instant, recordedBy: id }),
});

export const CollectiveVoteRecordedDefinition = defineEvent({
  type: 'CollectiveVoteRecorded',
  version: 1,
  context: 'approvals',
  classification: 'internal',
  schema: object({ proposalId: id, round, memberId: id, vote: oneOf(VOTES), recordedBy: id, recordedAt: instant }),
});

export const CollectiveVoteTalliedDefinition = defineEvent({
  type: 'CollectiveVoteTallied',
  version: 2,
  context: 'approvals',
  classification: 'public',
  schema: object({
    proposalId: id,
    round,
    for: count,
    against: count,
    abstain: count,
    members: { type: 'integer', minimum: 1 },
    participated: count,
    headVote: orNull(oneOf(VOTES)),
    quorum: flag,
    tie: flag,
    result: oneOf(['approved', 'rejected']),
    closedByHead: flag,
    talliedAt: instant,
  }),
  upcasters: {
    // v1 was tallied without a quorum rule: who took part is read from its counts; no meeting was closed.
    1: (data: { for: number; against: number; abstain: number; members: number }) => {
      const participated = data.for + data.against + data.abstain;
      return { ...data, participated, quorum: participated * 2 > data.members, closedByHead: false };
    },
  },
});

export const HeadOverrideAuthorizedDefinition = defineEvent({
  type: 'HeadOverrideAuthorized',
  version: 1,
  context: 'approvals',
  classification: 'public',
  restricted: ['writtenAuthorization'],
  schema: object({
    proposalId: id,
    round,
    headId: id,
    writtenAuthorization: text,
    personalResponsibility: yes,
    authorizedAt: instant,
  }),
});

export const ReviewEscalatedDefinition = defineEvent({
  type: 'ReviewEscalated',
  version: 1,
  context: 'approvals',
  classification: 'public',
  restricted: ['reasons'],
  schema: object({
    proposalId: id,
    round,
    reasons: text,
    fromUnitId: id,
    ...routingProperties,
    escalatedBy: id,
    overdue: flag,
    escalatedAt: instant,
  }),
});

export const RevisionRequestedDefinition = defineEvent({
  type: 'RevisionRequested',
  version: 1,
  context: 'approvals',
  classification: 'public',
  restricted: ['reasons'],
  schema: object({
    proposalId: id,
    round,
    proposerId: id,
    reviewerUnitId: id,
    reasons: text,
    requestedBy: id,
    overdue: flag,
    requestedAt: instant,
  }),
});

export const ProposalRejectedDefinition = defineEvent({
  type: 'ProposalRejected',
  version: 2,
  context: 'approvals',
  classification: 'public',
  restricted: ['reasons'],
  schema: object({
    proposalId: id,
    round,
    proposerId: id,
    proposerUnitId: id,
    reasons: text,
    decidedBy,
    legalBasis,
    overdue: flag,
    rejectedAt: instant,
  }),
  upcasters: {
    1: (data: Omit<ProposalRejected['data'], 'legalBasis' | 'decidedBy'> & { decidedBy: DecidedByV1 }) => ({
      ...data,
      decidedBy: decidedByFromV1(data.decidedBy),
      legalBasis: OLD_LEGAL_BASIS,
    }),
  },
});

export const ProposalApprovedDefinition = defineEvent({
  type: 'ProposalApproved',
  version: 2,
  context: 'approvals',
  classification: 'public',
  restricted: ['reasons'],
  schema: object({
    proposalId: id,
    round,
    proposerId: id,
    proposerUnitId: id,
    decision: oneOf(APPROVAL_DECISIONS),
    reasons: text,
    decidedBy,
    legalBasis,
    attestation: object({ notContraryToConstitution: yes, notContraryToPartyCharter: yes, notContraryToLaw: yes }),
    plan,
    overdue: flag,
    decidedAt: instant,
  }),
  upcasters: {
    1: (
      data: Omit<ProposalApproved['data'], 'legalBasis' | 'decidedBy' | 'plan'> & {
        decidedBy: DecidedByV1;
        plan: Omit<ApprovedPlan, 'implementerIds'>;
      },
    ) => ({
      ...data,
      decidedBy: decidedByFromV1(data.decidedBy),
      legalBasis: OLD_LEGAL_BASIS,
      plan: { ...data.plan, implementerIds: [] },
    }),
  },
});

/* Public like the decisions: other agencies follow that the proposal no longer stands. */
export const ReviewClosedDefinition = defineEvent({
  type: 'ReviewClosed',
  version: 1,
  context: 'approvals',
  classification: 'public',
  schema: object({
    proposalId: id,
    round,
    reason: oneOf(CLOSE_REASONS),
    afterDecision: orNull(oneOf(DECISIONS_BEFORE_CLOSING)),
    closedAt: instant,
  }),
});

export const approvalsEventDefinitions = [
  ReviewOpenedDefinition,
  PartyCommitteeConsultedDefinition,
  CollectiveVoteRecordedDefinition,
  CollectiveVoteTalliedDefinition,
  HeadOverrideAuthorizedDefinition,
  ReviewEscalatedDefinition,
  RevisionRequestedDefinition,
  ProposalRejectedDefinition,
  ProposalApprovedDefinition,
  ReviewClosedDefinition,
] as const;
