import { type EventsOf, Type, defineEvents, definitionsOf } from '@dotpha/kernel';
import { LIMITS, enumSchema, idSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { recordedApprovalSchema } from './approval';
import { OPTIONAL_CONTENT, contentSchemaProperties } from './content';
import { PROPOSAL_STATUSES, REVIEW_OUTCOME_NAMES } from './lifecycle';

// ---- Payloads: the published JSON Schemas, types derived from the table below ----

const proposer = { proposalId: idSchema, proposerId: idSchema, proposerUnitId: idSchema };
const round = Type.Integer({ minimum: 1 });

const proposalDrafted = objectSchema({ ...proposer, ...contentSchemaProperties(false), draftedAt: timestampSchema }, OPTIONAL_CONTENT);
const proposalRevised = objectSchema({ proposalId: idSchema, ...contentSchemaProperties(false), revisedAt: timestampSchema }, OPTIONAL_CONTENT);
/** The hand-off to approvals (docs/domain-conventions.md): everything a reviewer needs to route and decide. */
const proposalSubmitted = objectSchema(
  {
    ...proposer,
    /** 1 for the first submission, then one more per resubmission after a revision request. */
    revision: round,
    ...contentSchemaProperties(true),
    /** D73-2: the legal basis the instance's policy runs under. */
    legalBasis: textSchema(LIMITS.shortText, 1),
    submittedAt: timestampSchema,
  },
  OPTIONAL_CONTENT,
);
const proposalWithdrawn = objectSchema(
  {
    ...proposer,
    previousStatus: enumSchema(PROPOSAL_STATUSES),
    reason: textSchema(LIMITS.longText, 1),
    withdrawnAt: timestampSchema,
  },
  ['reason'],
);
const proposalReviewOutcomeRecorded = objectSchema(
  {
    proposalId: idSchema,
    outcome: enumSchema(REVIEW_OUTCOME_NAMES),
    round,
    at: timestampSchema,
    /** SAGA-withdraw, D73-10b: present on an approval (version 2 on); what monitoring plans from. */
    approval: recordedApprovalSchema,
  },
  ['approval'],
);

type Proposal = EventsOf<typeof proposalEvents>;
/** Each event of the table: `ProposalEvent` is any of them, `ProposalEvent<'ProposalDrafted'>` one. */
export type ProposalEvent<T extends keyof Proposal = keyof Proposal> = Proposal[T];

/** The report may name the people who carry the proposal out; attachments may hold anything. */
const personalContent = ['report', 'attachments'] as const;

/** Version 1 had neither co-proposers nor an assignment: nobody shared the proposal. */
const withoutCoProposers = (data: Record<string, unknown>) => ({ ...data, coProposerIds: [] });

/** A draft, as drafted or revised: the proposer's working copy, not yet addressed to anyone. */
const draft = {
  // 2: coProposerIds, assignmentId (D73-10b, HN67-assign).
  version: 2,
  classification: 'internal',
  restricted: personalContent,
  upcasters: { 1: withoutCoProposers },
} as const;

/** The proposal's events: for each, its version, classification, restricted fields and the payload's published JSON Schema. */
export const proposalEvents = defineEvents(PROPOSALS_CONTEXT, {
  ProposalDrafted: { ...draft, schema: proposalDrafted },
  ProposalRevised: { ...draft, schema: proposalRevised },
  ProposalSubmitted: {
    // 2: coProposerIds, assignmentId, legalBasis (D73-10b, HN67-assign, D73-2).
    version: 2,
    classification: 'public',
    restricted: personalContent,
    schema: proposalSubmitted,
    upcasters: {
      1: (data: Record<string, unknown>) => ({
        ...withoutCoProposers(data),
        // Before coverage was instance policy every instance covered all staff, under that default basis (D73-2).
        legalBasis: DEFAULT_LEGAL_BASIS['all-staff'],
      }),
    },
  },
  // The proposer's own words on why, which may touch on their circumstances.
  ProposalWithdrawn: { version: 1, classification: 'public', restricted: ['reason'], schema: proposalWithdrawn },
  ProposalReviewOutcomeRecorded: {
    // 2: an approval carries what was approved and whom it protects (SAGA-withdraw, D73-10b).
    version: 2,
    classification: 'public',
    restricted: [],
    schema: proposalReviewOutcomeRecorded,
    // A version 1 approval carries nothing more: the pilot it led to was planned from ProposalApproved then.
    upcasters: { 1: (data: Record<string, unknown>) => ({ ...data }) },
  },
});
export const proposalEventDefinitions = definitionsOf(proposalEvents);

