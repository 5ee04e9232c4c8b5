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
  /** D73-8.1c: the head authorised the plan in writing after the collective did not pass it. */
  readonly headOverride: boolean;
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

/** An event of a history with its data (restricted fields left out for those who may not read them). */
export interface PayloadEvent<P = Record<string, unknown>> extends StoredEvent {
  readonly data: P;
}

export interface PilotView {
  readonly proposalId: string;
  readonly kind: 'pilot' | 'implementation';
  readonly status: 'planned' | 'running' | 'suspended' | 'completed' | 'terminated';
  readonly proposerId: string;
  readonly supervisorId: string | null;
  readonly plan: { readonly scope: string; readonly startDate: string; readonly endDate: string | null };
  readonly kpis: readonly { readonly id: string; readonly name: string; readonly unit: string; readonly target: number; readonly direction: 'at-least' | 'at-most'; readonly latest: number | null; readonly status: string }[];
  readonly milestones: readonly { readonly id: string; readonly name: string; readonly dueDate: string; readonly metOn: string | null; readonly overdue: boolean }[];
  readonly openFlags: readonly { readonly flagId: string; readonly category: string; readonly source: string; readonly description: string | null; readonly flaggedAt: string }[];
  readonly offTarget: boolean;
  readonly lastChangedAt: string;
}

/** What an assessment finds; its restricted parts are left out for readers who may not see them. */
interface Findings {
  readonly outcome: 'achieved' | 'partially-achieved' | 'not-achieved';
  readonly notable: boolean;
  readonly damage?: { readonly caused: boolean; readonly estimate?: number; readonly description?: string };
  readonly causes?: readonly { readonly description: string; readonly kind: string }[];
  readonly motive?: Readonly<Record<'followedApprovedPlan' | 'pureMotive' | 'commonGood' | 'noSelfInterest', boolean>>;
  readonly text?: string;
}

export interface EvaluationView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly status: string;
  readonly reportDueBy: string | null;
  readonly evaluationDueBy: string | null;
  readonly results: { readonly reportedAt: string; readonly late: boolean } | null;
  readonly consultations: readonly { readonly committeeUnitId: string; readonly opinion: string; readonly summary: string; readonly consultedAt: string }[];
  readonly collectiveVote: (Findings & { readonly headId: string; readonly memberIds: readonly string[]; readonly votes: Readonly<Record<string, Vote>> }) | null;
  readonly tallies: readonly { readonly for: number; readonly against: number; readonly abstain: number; readonly members: number; readonly result: 'approved' | 'rejected' }[];
  readonly assessment: (Findings & { readonly answerDueBy: string }) | null;
  readonly answer: { readonly text?: string; readonly answeredAt: string } | null;
  readonly liability: { readonly decision: string; readonly reasons?: readonly string[]; readonly decidedAt: string } | null;
  readonly referrals: readonly { readonly caseId: string; readonly grounds: readonly string[]; readonly description?: string; readonly finding: string | null }[];
  readonly openCaseIds: readonly string[];
  readonly lastChangedAt: string;
}

export interface RecognitionView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly status: string;
  readonly outcome: 'achieved' | 'partially-achieved' | null;
  readonly praiseOnly: boolean;
  readonly recommendedAt: string | null;
  readonly grant: { readonly awards: { readonly bonusPoints?: number; readonly commendation?: { readonly level: string; readonly form: string } }; readonly grantedAt: string } | null;
  readonly decline: { readonly reasons: readonly string[]; readonly declinedAt: string } | null;
  /** C14-2.4e: a referral under inspection (or substantiated) bars it; null otherwise. */
  readonly barred: { readonly final: boolean } | null;
  readonly replications: readonly { readonly replicationId: string; readonly targetUnitIds: readonly string[]; readonly reviewPeriod: string; readonly reasons: readonly string[]; readonly recommendedBy: string; readonly recommendedAt: string }[];
  readonly institutionalizations: readonly {
    readonly institutionalizationId: string; readonly level: 'unit' | 'local' | 'central'; readonly addressedTo: string; readonly instrument: string;
    readonly reasons: readonly string[]; readonly proposedBy: string; readonly proposedAt: string;
  }[];
  readonly lastChangedAt: string;
}

export interface CadreRecordView {
  readonly userId: string;
  readonly liabilities: readonly { readonly proposalId: string; readonly liability: string; readonly decidedAt: string }[];
  readonly recognitions: readonly { readonly proposalId: string; readonly grantedAt: string; readonly awards: { readonly bonusPoints?: number; readonly commendation?: { readonly form: string } } }[];
  readonly totalBonusPoints: number;
}
