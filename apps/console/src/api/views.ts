// The read models the console shows. The served OpenAPI document gives their routes but not yet
// their answers' schemas (the services declare no response types), so these name the fields the
// pages read; each should become a generated type once the services describe their answers.
import type { Schemas } from './client';

export type ProposalStatus = NonNullable<import('./schema').operations['ProposalsController_list']['parameters']['query']>['status'] & string;
export type ProposalContent = Schemas['ProposalContentDto'];
export type Report = NonNullable<ProposalContent['report']>;

export interface ProposalView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  readonly status: ProposalStatus;
  readonly title: string;
  readonly field: ProposalContent['field'];
  readonly problemType: ProposalContent['problemType'];
  readonly isScheme: boolean;
  readonly report?: Report;
  readonly lastChangedAt: string;
  readonly completeness: { readonly complete: boolean; readonly gaps: readonly { readonly path: string; readonly clause: string }[] };
  readonly destination?: { readonly reviewerUnitId: string; readonly reviewerIds: readonly string[] };
}

export interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly streamPosition: number;
  readonly occurredAt: string;
  readonly actor: { readonly userId: string; readonly role: string } | null;
  readonly hash: string;
}

export type Vote = Schemas['VoteDto']['vote'];

export interface ReviewView {
  readonly proposalId: string;
  readonly round: number;
  readonly status: 'open' | 'revision-requested' | 'rejected' | 'approved' | 'closed';
  readonly proposerId: string;
  readonly reviewerUnitId: string;
  readonly headId: string;
  readonly reviewerIds: readonly string[];
  readonly collectiveMemberIds: readonly string[];
  readonly consultation: { readonly opinion: string; readonly consultedAt: string } | null;
  readonly votes: readonly { readonly memberId: string; readonly vote: Vote }[];
  readonly tally: { readonly for: number; readonly against: number; readonly abstain: number; readonly members: number; readonly result: 'approved' | 'rejected' } | null;
  readonly routedAt: string;
  readonly dueBy: string;
  readonly overdue: boolean;
  readonly outcome: { readonly kind: string; readonly decision?: Schemas['ApproveDto']['decision'] } | null;
}

export interface Notice {
  readonly id: string;
  readonly type: string;
  readonly proposalId: string;
  readonly summary: string;
  readonly at: string;
}

export type Directory = Schemas['SignInDirectoryDto'];
export type DirectoryUser = Directory['users'][number];
