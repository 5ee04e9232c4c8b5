import { type Recorded, projection } from '@dotpha/kernel';
import type { ReviewEvent } from '@dotpha/approvals-domain';
import {
  type InitiativeStatus, type ProposalEvent, type RegistrationEvent, type ReportDraft, type AssignmentEvent, REVIEW_OUTCOMES, reportGaps,
} from '@dotpha/proposals-domain';
import type {
  AssignmentView, InitiativeView, ProposalView, RegistrationView, ReportCompleteness, ReviewerView,
} from '../application/read-models';

/** Only the fields read here, so approvals' later additions to the event change nothing. */
type ReviewClosedFact = { readonly type: 'ReviewClosed'; readonly data: { readonly proposalId: string; readonly round: number } };
type Fact = ProposalEvent | ReviewEvent<'ReviewOpened'> | ReviewEvent<'ReviewEscalated'> | ReviewClosedFact;

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

type AssignmentFact = AssignmentEvent<'TaskAssigned'> | Extract<ProposalEvent, { type: 'ProposalSubmitted' }> | Extract<RegistrationEvent, { type: 'InitiativeRegistered' }>;

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
