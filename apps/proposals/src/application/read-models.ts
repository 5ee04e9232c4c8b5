import type { ReviewRoute } from '@dotpha/approvals-domain';
import type {
  Assignee, Attachment, InitiativeStatus, ProposalPeople, ProposalStatus, RegistrationEvent, ReportDraft, ReviewOutcome,
} from '@dotpha/proposals-domain';

/** What the report still lacks for a submission (empty once submitted). */
export interface ReportCompleteness {
  readonly complete: boolean;
  /** Top-level report sections (DOMAIN.md §4.2) with something missing. */
  readonly missingSections: readonly string[];
  readonly gaps: readonly { readonly path: string; readonly clause: string }[];
}

/** The level currently reviewing, as the approvals context routed it. */
export interface ReviewerView {
  readonly round: number;
  readonly unitId: string;
  readonly route: ReviewRoute;
  readonly dueBy: string;
  readonly since: string;
  /** Set when the review was passed upward (C14-2.3c). */
  readonly escalatedFrom: string | null;
}

/** The proposal as its proposer, the reviewers above them and the analytics see it. */
export interface ProposalView {
  readonly proposalId: string;
  readonly title: string;
  readonly field: string;
  readonly problemType: string;
  readonly isScheme: boolean;
  readonly scopeUnitIds: readonly string[];
  /** D73-10b: who made the proposal with the proposer. */
  readonly coProposerIds: readonly string[];
  /** HN67-assign: the assigned task the proposal answers. */
  readonly assignmentId: string | null;
  /** D73-2: the legal basis it was submitted under (null while a draft). */
  readonly legalBasis: string | null;
  /** D73-10b: everyone the approval protects and recognises (null until approved). */
  readonly people: ProposalPeople | null;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  /** Absent while only the approvals context has spoken of the proposal (its topic may run ahead). */
  readonly status?: ProposalStatus;
  /** Submissions so far. */
  readonly revision: number;
  readonly report: ReportDraft;
  readonly attachments: readonly Attachment[];
  readonly completeness: ReportCompleteness;
  /** The last review outcome recorded on the proposal. */
  readonly review: { readonly round: number; readonly outcome: ReviewOutcome; readonly at: string } | null;
  readonly reviewer: ReviewerView | null;
  readonly lastChangedAt: string;
}

// ---- annual registrations ----

export interface InitiativeView {
  readonly initiativeId: string;
  readonly title: string;
  readonly field: string;
  readonly summary: string;
  readonly status: InitiativeStatus;
  readonly registeredBy: string;
  readonly registeredAt: string;
  /** HN67-assign: the task it answers and the proposals that fulfil it. */
  readonly assignmentId: string | null;
  readonly proposalIds: readonly string[];
  readonly decision: { readonly by: string; readonly at: string; readonly reasons: string | null } | null;
}

/** One agency's registrations for one year, i.e. one `registration-<unitId>-<year>` stream. */
export interface RegistrationView {
  readonly unitId: string;
  readonly year: number;
  readonly initiatives: readonly InitiativeView[];
  /** The facts as the domain states them, so the HCM3815-1 count stays the domain's (registrationShortfalls). */
  readonly facts: readonly RegistrationEvent[];
}

// ---- assigned breakthrough tasks (HN67-assign) ----

/** An assigned task with the proposals and registrations that answer it. */
export interface AssignmentView {
  readonly assignmentId: string;
  /** Absent while only an answering proposal or registration has been seen (another stream may run ahead). */
  readonly title?: string;
  readonly description?: string;
  readonly field?: string;
  readonly assignee?: Assignee;
  readonly assignedBy?: string;
  readonly assignedByUnitId?: string;
  readonly dueDate?: string | null;
  readonly legalBasis?: string;
  readonly assignedAt?: string;
  /** Submitted proposals naming the assignment. */
  readonly proposalIds: readonly string[];
  readonly registrations: readonly { readonly unitId: string; readonly year: number; readonly initiativeId: string }[];
}
