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
    /** Instance policy (D73-4). */
    readonly requirePartyConsultation: boolean;
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

export type TallyCollectiveVote = Command<'TallyCollectiveVote', Readonly<Record<string, never>>>;

export type AuthorizeHeadOverride = Command<'AuthorizeHeadOverride', { readonly writtenAuthorization: string }>;

/** The upper level's routing is resolved by the org library and handed in whole. */
export type EscalateReview = Command<'EscalateReview', Routing & { readonly reasons: string }>;

export type RequestRevision = Command<'RequestRevision', { readonly reasons: string }>;

export type RejectProposal = Command<'RejectProposal', { readonly reasons: string }>;

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
    readonly plan: ApprovedPlan;
  }
>;

export type ReviewCommand =
  | OpenReview
  | ConsultPartyCommittee
  | RecordCollectiveVote
  | TallyCollectiveVote
  | AuthorizeHeadOverride
  | EscalateReview
  | RequestRevision
  | RejectProposal
  | ApproveProposal;

export type ReviewCommandType = ReviewCommand['type'];
