import type { Command } from '@dotpha/kernel';
import type { ApprovedPlan, Routing } from './events';

/** Issued by the application on ProposalSubmitted, with the routing the org library resolved. */
export type OpenReview = Command<
  'OpenReview',
  Routing & {
    readonly proposalId: string;
    /** The proposal's revision number (ProposalSubmitted.revision): one round per submission. */
    readonly round: number;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly scopeUnitIds: readonly string[];
  }
>;

export type ConsultPartyCommittee = Command<
  'ConsultPartyCommittee',
  {
    readonly opinion: string;
    /** When the committee gave its opinion (ISO instant); defaults to the command's time. */
    readonly consultedAt?: string;
  }
>;

export type RecordCollectiveVote = Command<'RecordCollectiveVote', { readonly memberId: string; readonly vote: string }>;

/**
 * D73-8.1b: the chair tallies once every member has voted; before that only the head may close the
 * meeting (`closeMeeting`), and only with a quorum.
 */
export type TallyCollectiveVote = Command<'TallyCollectiveVote', { readonly closeMeeting?: boolean }>;

export type AuthorizeHeadOverride = Command<'AuthorizeHeadOverride', { readonly writtenAuthorization: string }>;

/** The upper level's routing is resolved by the org library and handed in whole. */
export type EscalateReview = Command<'EscalateReview', Routing & { readonly reasons: string }>;

export type RequestRevision = Command<'RequestRevision', { readonly reasons: string }>;

/** D73-2: the legal basis comes from the instance policy, handed in by the application. */
export type RejectProposal = Command<'RejectProposal', { readonly reasons: string; readonly legalBasis: string }>;

/**
 * Enumerated fields are plain strings and the attestation plain booleans: they arrive from
 * outside, and refusing a wrong value is a rule (C14-2.3d, C14-2.3e), not a type error.
 */
export type ApproveProposal = Command<
  'ApproveProposal',
  {
    readonly decision: string;
    readonly reasons: string;
    readonly attestation: {
      readonly notContraryToConstitution: boolean;
      readonly notContraryToPartyCharter: boolean;
      readonly notContraryToLaw: boolean;
    };
    /** `implementerIds` may be left out: nobody named besides the proposer. */
    readonly plan: Omit<ApprovedPlan, 'implementerIds'> & { readonly implementerIds?: readonly string[] };
    /** D73-2: from the instance policy, handed in by the application. */
    readonly legalBasis: string;
  }
>;

/** SAGA-withdraw: issued on the proposals context's ProposalWithdrawn, under the withdrawing proposer. */
export type CloseReview = Command<'CloseReview', { readonly proposalId: string; readonly reason: string }>;

export type ReviewCommand =
  | OpenReview
  | ConsultPartyCommittee
  | RecordCollectiveVote
  | TallyCollectiveVote
  | AuthorizeHeadOverride
  | EscalateReview
  | RequestRevision
  | RejectProposal
  | ApproveProposal
  | CloseReview;

export type ReviewCommandType = ReviewCommand['type'];
