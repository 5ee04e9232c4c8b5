import { type Recorded, projection } from '@dotpha/kernel';
import type { ReviewEscalated, ReviewOpened, ReviewRoute } from '@dotpha/approvals-domain';
import {
  type Assignee, type Attachment, type InitiativeStatus, type ProposalEvent, type ProposalPeople, type ProposalStatus,
  type RegistrationEvent, type ReportDraft, type ReviewOutcome, type TaskAssigned, REVIEW_OUTCOMES, reportGaps,
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

/** Only the fields read here, so approvals' later additions to the event change nothing. */
type ReviewClosedFact = { readonly type: 'ReviewClosed'; readonly data: { readonly proposalId: string; readonly round: number } };
type Fact = ProposalEvent | ReviewOpened | ReviewEscalated | ReviewClosedFact;

export const proposalsProjection = projection<ProposalView, Fact>({
  name: 'proposals',
  collection: 'proposals',
  canHandle: [
    'ProposalDrafted', 'ProposalRevised', 'ProposalSubmitted', 'ProposalWithdrawn', 'ProposalReviewOutcomeRecorded',
    'ReviewOpened', 'ReviewEscalated', 'ReviewClosed',
  ],
  key: (e) => e.data.proposalId,
  apply: (current, e) => {
    // Until the proposal's own events arrive, the view holds what the review's told (`status` absent).
    const unseen: Partial<ProposalView> = { revision: 0, review: null, reviewer: null, legalBasis: null, people: null };
    const base = current ?? (unseen as ProposalView);
    switch (e.type) {
      case 'ProposalDrafted': {
        const { proposalId, proposerId, proposerUnitId } = e.data;
        return { ...base, ...content(e.data), proposalId, proposerId, proposerUnitId, status: 'draft', lastChangedAt: e.occurredAt };
      }
      case 'ProposalRevised':
        return { ...base, ...content(e.data), lastChangedAt: e.occurredAt };
      case 'ProposalSubmitted': {
        const { revision, legalBasis } = e.data;
        return { ...base, ...content(e.data), status: 'submitted', revision, legalBasis, lastChangedAt: e.occurredAt };
      }
      case 'ProposalWithdrawn':
        return { ...base, status: 'withdrawn', lastChangedAt: e.occurredAt };
      case 'ProposalReviewOutcomeRecorded': {
        const { round, outcome, at, approval } = e.data;
        const people = approval?.people ?? base.people ?? null;
        return { ...base, status: REVIEW_OUTCOMES[outcome].to, review: { round, outcome, at }, people, lastChangedAt: e.occurredAt };
      }
      case 'ReviewOpened': {
        const { proposalId, proposerId, proposerUnitId, round, reviewerUnitId, route, dueBy, openedAt } = e.data;
        const reviewer = { round, unitId: reviewerUnitId, route, dueBy, since: openedAt, escalatedFrom: null };
        return { ...base, proposalId, proposerId, proposerUnitId, reviewer: latest(base.reviewer, reviewer) };
      }
      case 'ReviewEscalated': {
        const { round, reviewerUnitId, route, dueBy, escalatedAt, fromUnitId } = e.data;
        const reviewer = { round, unitId: reviewerUnitId, route, dueBy, since: escalatedAt, escalatedFrom: fromUnitId };
        return { ...base, reviewer: latest(base.reviewer, reviewer) };
      }
      case 'ReviewClosed': {
        // SAGA-withdraw: approvals closed the review (the proposal was withdrawn): nobody reviews it any more.
        const { round } = e.data;
        return { ...base, reviewer: base.reviewer && base.reviewer.round > round ? base.reviewer : null };
      }
      default:
        return base;
    }
  },
});

function content(data: Extract<ProposalEvent, { type: 'ProposalDrafted' | 'ProposalRevised' | 'ProposalSubmitted' }>['data']) {
  const { title, field, problemType, isScheme, scopeUnitIds, report, attachments, coProposerIds, assignmentId } = data;
  return {
    title, field, problemType, isScheme, scopeUnitIds, report, attachments, coProposerIds, assignmentId: assignmentId ?? null,
    completeness: completeness(report),
  };
}

function completeness(report: ReportDraft): ReportCompleteness {
  const gaps = reportGaps(report).map(({ path, clause }) => ({ path, clause }));
  const missingSections = [...new Set(gaps.map((gap) => gap.path.split(/[.[]/)[0]))];
  return { complete: gaps.length === 0, missingSections, gaps };
}

/** Review streams and proposal streams reach the projection on different topics: never step back a round. */
function latest(known: ReviewerView | null, next: ReviewerView): ReviewerView {
  return known && known.round > next.round ? known : next;
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

export const registrationsProjection = projection<RegistrationView, RegistrationEvent>({
  name: 'registrations',
  collection: 'registrations',
  canHandle: ['InitiativeRegistered', 'RegistrationApproved', 'RegistrationRejected'],
  key: (e) => e.streamId,
  apply: (current, e) => {
    const { unitId, year } = e.data;
    const base = current ?? { unitId, year, initiatives: [], facts: [] };
    const facts = [...base.facts, factOf(e)];
    if (e.type === 'InitiativeRegistered') {
      const { initiativeId, title, field, summary, registeredBy, registeredAt, assignmentId, proposalIds } = e.data;
      const initiative: InitiativeView = {
        initiativeId, title, field, summary, status: 'registered', registeredBy, registeredAt,
        assignmentId: assignmentId ?? null, proposalIds, decision: null,
      };
      return { ...base, initiatives: [...base.initiatives, initiative], facts };
    }
    const status: InitiativeStatus = e.type === 'RegistrationApproved' ? 'approved' : 'rejected';
    const decision = { by: e.data.decidedBy, at: e.data.decidedAt, reasons: e.data.reasons ?? null };
    const initiatives = base.initiatives.map((i) => (i.initiativeId === e.data.initiativeId ? { ...i, status, decision } : i));
    return { ...base, initiatives, facts };
  },
});

/** The fact as the domain states it, without its envelope. */
function factOf(e: Recorded<RegistrationEvent>): RegistrationEvent {
  switch (e.type) {
    case 'InitiativeRegistered':
      return { type: e.type, data: e.data };
    case 'RegistrationApproved':
      return { type: e.type, data: e.data };
    case 'RegistrationRejected':
      return { type: e.type, data: e.data };
  }
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

type AssignmentFact = TaskAssigned | Extract<ProposalEvent, { type: 'ProposalSubmitted' }> | Extract<RegistrationEvent, { type: 'InitiativeRegistered' }>;

export const assignmentsProjection = projection<AssignmentView, AssignmentFact>({
  name: 'assignments',
  collection: 'assignments',
  canHandle: ['TaskAssigned', 'ProposalSubmitted', 'InitiativeRegistered'],
  key: (e) => e.data.assignmentId ?? undefined,
  apply: (current, e) => {
    // `key` took only events that name an assignment.
    const base: AssignmentView = current ?? { assignmentId: e.data.assignmentId ?? '', proposalIds: [], registrations: [] };
    switch (e.type) {
      case 'TaskAssigned':
        return { ...base, ...e.data };
      case 'ProposalSubmitted':
        return base.proposalIds.includes(e.data.proposalId) ? base : { ...base, proposalIds: [...base.proposalIds, e.data.proposalId] };
      case 'InitiativeRegistered': {
        const { unitId, year, initiativeId } = e.data;
        return { ...base, registrations: [...base.registrations, { unitId, year, initiativeId }] };
      }
      default:
        return base;
    }
  },
});
