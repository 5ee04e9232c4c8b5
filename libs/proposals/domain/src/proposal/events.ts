import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import { LIMITS, enumSchema, idSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { type RecordedApproval, recordedApprovalSchema } from './approval';
import { OPTIONAL_CONTENT, type ProposalContent, contentSchemaProperties } from './content';
import { PROPOSAL_STATUSES, type ProposalStatus, REVIEW_OUTCOME_NAMES, type ReviewOutcome } from './lifecycle';
import type { ProposalReport } from './report';

interface ProposerFacts {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
}

export type ProposalDrafted = DomainEvent<'ProposalDrafted', ProposerFacts & ProposalContent & { readonly draftedAt: string }>;
export type ProposalRevised = DomainEvent<
  'ProposalRevised',
  { readonly proposalId: string } & ProposalContent & { readonly revisedAt: string }
>;
/** The hand-off to approvals (docs/domain-conventions.md): everything a reviewer needs to route and decide. */
export type ProposalSubmitted = DomainEvent<
  'ProposalSubmitted',
  ProposerFacts &
    Omit<ProposalContent, 'report'> & {
      /** 1 for the first submission, then one more per resubmission after a revision request. */
      readonly revision: number;
      readonly report: ProposalReport;
      /** D73-2: the legal basis the instance's policy runs under. */
      readonly legalBasis: string;
      readonly submittedAt: string;
    }
>;
export type ProposalWithdrawn = DomainEvent<
  'ProposalWithdrawn',
  ProposerFacts & { readonly previousStatus: ProposalStatus; readonly reason?: string; readonly withdrawnAt: string }
>;
export type ProposalReviewOutcomeRecorded = DomainEvent<
  'ProposalReviewOutcomeRecorded',
  {
    readonly proposalId: string;
    readonly outcome: ReviewOutcome;
    readonly round: number;
    readonly at: string;
    /** SAGA-withdraw, D73-10b: present on an approval (version 2 on); what monitoring plans from. */
    readonly approval?: RecordedApproval;
  }
>;

export type ProposalEvent =
  | ProposalDrafted
  | ProposalRevised
  | ProposalSubmitted
  | ProposalWithdrawn
  | ProposalReviewOutcomeRecorded;

const proposer = { proposalId: idSchema, proposerId: idSchema, proposerUnitId: idSchema };
/** The report may name the people who carry the proposal out; attachments may hold anything. */
const personalContent = ['report', 'attachments'];

/** Version 1 had neither co-proposers nor an assignment: nobody shared the proposal. */
const withoutCoProposers = (data: Record<string, unknown>) => ({ ...data, coProposerIds: [] });

export const ProposalDraftedDefinition = defineEvent({
  type: 'ProposalDrafted',
  // 2: coProposerIds, assignmentId (D73-10b, HN67-assign).
  version: 2,
  context: PROPOSALS_CONTEXT,
  // A draft is the proposer's working copy, not yet addressed to anyone.
  classification: 'internal',
  restricted: personalContent,
  schema: objectSchema({ ...proposer, ...contentSchemaProperties(false), draftedAt: timestampSchema }, OPTIONAL_CONTENT),
  upcasters: { 1: withoutCoProposers },
});

export const ProposalRevisedDefinition = defineEvent({
  type: 'ProposalRevised',
  // 2: coProposerIds, assignmentId.
  version: 2,
  context: PROPOSALS_CONTEXT,
  classification: 'internal',
  restricted: personalContent,
  schema: objectSchema({ proposalId: idSchema, ...contentSchemaProperties(false), revisedAt: timestampSchema }, OPTIONAL_CONTENT),
  upcasters: { 1: withoutCoProposers },
});


export const ProposalSubmittedDefinition = defineEvent({
  type: 'ProposalSubmitted',
  // 2: coProposerIds, assignmentId, legalBasis (D73-10b, HN67-assign, D73-2).
  version: 2,
  context: PROPOSALS_CONTEXT,
  classification: 'public',
  restricted: personalContent,
  schema: objectSchema(
    {
      ...proposer,
      revision: { type: 'integer', minimum: 1 },
      ...contentSchemaProperties(true),
      legalBasis: textSchema(LIMITS.shortText, 1),
      submittedAt: timestampSchema,
    },
    OPTIONAL_CONTENT,
  ),
  upcasters: {
    1: (data: Record<string, unknown>) => ({
      ...withoutCoProposers(data),
      // Before coverage was instance policy every instance covered all staff, under that default basis (D73-2).
      legalBasis: DEFAULT_LEGAL_BASIS['all-staff'],
    }),
  },
});

export const ProposalWithdrawnDefinition = defineEvent({
  type: 'ProposalWithdrawn',
  version: 1,
  context: PROPOSALS_CONTEXT,
  classification: 'public',
  // The proposer's own words on why, which may touch on their circumstances.
  restricted: ['reason'],
  schema: objectSchema(
    {
      ...proposer,
      previousStatus: enumSchema(PROPOSAL_STATUSES),
      reason: textSchema(LIMITS.longText, 1),
      withdrawnAt: timestampSchema,
    },
    ['reason'],
  ),
});

export const ProposalReviewOutcomeRecordedDefinition = defineEvent({
  type: 'ProposalReviewOutcomeRecorded',
  // 2: an approval carries what was approved and whom it protects (SAGA-withdraw, D73-10b).
  version: 2,
  context: PROPOSALS_CONTEXT,
  classification: 'public',
  restricted: [],
  schema: objectSchema(
    {
      proposalId: idSchema,
      outcome: enumSchema(REVIEW_OUTCOME_NAMES),
      round: { type: 'integer', minimum: 1 },
      at: timestampSchema,
      approval: recordedApprovalSchema,
    },
    ['approval'],
  ),
  // A version 1 approval carries nothing more: the pilot it led to was planned from ProposalApproved then.
  upcasters: { 1: (data: Record<string, unknown>) => ({ ...data }) },
});

export const proposalEventDefinitions = [
  ProposalDraftedDefinition,
  ProposalRevisedDefinition,
  ProposalSubmittedDefinition,
  ProposalWithdrawnDefinition,
  ProposalReviewOutcomeRecordedDefinition,
] as const;
