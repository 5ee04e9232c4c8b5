import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import { LIMITS, enumSchema, idSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import { type ProposalContent, contentSchemaProperties } from './content';
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
      readonly submittedAt: string;
    }
>;
export type ProposalWithdrawn = DomainEvent<
  'ProposalWithdrawn',
  ProposerFacts & { readonly previousStatus: ProposalStatus; readonly reason?: string; readonly withdrawnAt: string }
>;
export type ProposalReviewOutcomeRecorded = DomainEvent<
  'ProposalReviewOutcomeRecorded',
  { readonly proposalId: string; readonly outcome: ReviewOutcome; readonly round: number; readonly at: string }
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

export const ProposalDraftedDefinition = defineEvent({
  type: 'ProposalDrafted',
  version: 1,
  context: PROPOSALS_CONTEXT,
  // A draft is the proposer's working copy, not yet addressed to anyone.
  classification: 'internal',
  restricted: personalContent,
  schema: objectSchema({ ...proposer, ...contentSchemaProperties(false), draftedAt: timestampSchema }),
});

export const ProposalRevisedDefinition = defineEvent({
  type: 'ProposalRevised',
  version: 1,
  context: PROPOSALS_CONTEXT,
  classification: 'internal',
  restricted: personalContent,
  schema: objectSchema({ proposalId: idSchema, ...contentSchemaProperties(false), revisedAt: timestampSchema }),
});

export const ProposalSubmittedDefinition = defineEvent({
  type: 'ProposalSubmitted',
  version: 1,
  context: PROPOSALS_CONTEXT,
  classification: 'public',
  restricted: personalContent,
  schema: objectSchema({
    ...proposer,
    revision: { type: 'integer', minimum: 1 },
    ...contentSchemaProperties(true),
    submittedAt: timestampSchema,
  }),
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
  version: 1,
  context: PROPOSALS_CONTEXT,
  classification: 'public',
  restricted: [],
  schema: objectSchema({
    proposalId: idSchema,
    outcome: enumSchema(REVIEW_OUTCOME_NAMES),
    round: { type: 'integer', minimum: 1 },
    at: timestampSchema,
  }),
});

export const proposalEventDefinitions = [
  ProposalDraftedDefinition,
  ProposalRevisedDefinition,
  ProposalSubmittedDefinition,
  ProposalWithdrawnDefinition,
  ProposalReviewOutcomeRecordedDefinition,
] as const;
