import { Injectable } from '@nestjs/common';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '@dotpha/kernel';
import {
  type OverdueStep, type ReviewCommand, type ReviewCommandType, type ReviewRound, REVIEW_STREAM_TYPE, commandRoles,
  overdueReviews, reviewDecider, reviewStreamId,
} from '@dotpha/approvals-domain';
import { OrgChart, workingDaysBetween } from '@dotpha/org';
import {
  type Caller, type Disclosure, type ListPage, ServiceKernel, commandMetadata, disclose, discloseView, disclosureTo, requireRole,
} from '@dotpha/service-runtime';
import { REVIEWS, type ReviewDocument } from './review-document';
import { type ReviewView, reviewView } from './review-view';
import { routingForEscalation } from './routing';
import { type ReviewFilter, overdueReviewsQuery, reviewListQuery } from './review-list';

type DataOf<T extends ReviewCommandType> = Extract<ReviewCommand, { readonly type: T }>['data'];

/** Who may issue a command in the current round; the decider narrows it further (e.g. the head for the collective). */
type Participants = (review: ReviewRound) => readonly string[];

const withoutProposer = (review: ReviewRound, ids: readonly string[]) => ids.filter((id) => id !== review.proposerId);
const reviewers: Participants = (review) => withoutProposer(review, [...review.routing.reviewerIds, review.routing.headId]);
const members: Participants = (review) => withoutProposer(review, review.routing.collectiveMemberIds);
const head: Participants = (review) => withoutProposer(review, [review.routing.headId]);

/** HN24-shirk, D73-6: one entry per person who owes decisions or votes past their due date. */
export interface OverdueByReviewer {
  readonly reviewerId: string;
  readonly count: number;
  readonly reviews: readonly {
    readonly owes: OverdueStep;
    readonly proposalId: string;
    readonly round: number;
    readonly reviewerUnitId: string;
    readonly route: string;
    readonly dueBy: string;
    readonly workingDaysLate: number;
  }[];
}

@Injectable()
export class ReviewsService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  consult(caller: Caller, proposalId: string, input: DataOf<'ConsultPartyCommittee'>) {
    return this.run(caller, proposalId, 'ConsultPartyCommittee', reviewers, () => input);
  }

  /** A member records their own vote, never someone else's. */
  vote(caller: Caller, proposalId: string, vote: DataOf<'RecordCollectiveVote'>['vote']) {
    return this.run(caller, proposalId, 'RecordCollectiveVote', members, () => ({ memberId: caller.user.id, vote }));
  }

  tally(caller: Caller, proposalId: string, input: DataOf<'TallyCollectiveVote'>) {
    return this.run(caller, proposalId, 'TallyCollectiveVote', reviewers, () => input);
  }

  override(caller: Caller, proposalId: string, writtenAuthorization: string) {
    return this.run(caller, proposalId, 'AuthorizeHeadOverride', head, () => ({ writtenAuthorization }));
  }

  /** The upper level, its head and its collective come from the org chart, never from the caller. */
  escalate(caller: Caller, proposalId: string, reasons: string) {
    const { policy } = this.kernel.config;
    return this.run(caller, proposalId, 'EscalateReview', reviewers, (review, now) => ({
      ...routingForEscalation(this.org, policy, review, now),
      reasons,
    }));
  }

  requestRevision(caller: Caller, proposalId: string, reasons: string) {
    return this.run(caller, proposalId, 'RequestRevision', reviewers, () => ({ reasons }));
  }

  /** D73-2: the decision names the legal basis of the instance's policy. */
  reject(caller: Caller, proposalId: string, reasons: string) {
    const { legalBasis } = this.kernel.config.policy;
    return this.run(caller, proposalId, 'RejectProposal', reviewers, () => ({ reasons, legalBasis }));
  }

  /** D73-2: the approval names the legal basis of the instance's policy. */
  approve(caller: Caller, proposalId: string, input: Omit<DataOf<'ApproveProposal'>, 'legalBasis'>) {
    return this.run(caller, proposalId, 'ApproveProposal', reviewers, (review) => {
      this.checkSupervisor(review, input.plan.supervisorId);
      this.checkImplementers(input.plan.implementerIds ?? []);
      const { decision, reasons, attestation, plan } = input;
      return { decision, reasons, attestation, legalBasis: this.kernel.config.policy.legalBasis, plan };
    });
  }

  /** A review outside the caller's jurisdiction reads exactly like an unknown one. */
  async get(caller: Caller, proposalId: string): Promise<ReviewView> {
    const doc = await this.visibleDocument(caller, proposalId);
    return discloseView(reviewView(doc, this.kernel.now()), reviewDisclosure(caller, doc), REVIEW_RESTRICTED_VIEW_FIELDS);
  }

  /** One page of the reviews the caller sees (seesReview as a query on the read model: review-list.ts). */
  async list(caller: Caller, filter: ReviewFilter): Promise<ListPage<ReviewView>> {
    const now = this.kernel.now();
    const page = await this.kernel.readModels.page<ReviewDocument>(REVIEWS, reviewListQuery(this.org, caller, filter));
    return { ...page, items: page.items.map(({ data }) => discloseView(reviewView(data, now), reviewDisclosure(caller, data), REVIEW_RESTRICTED_VIEW_FIELDS)) };
  }

  /** HN24-shirk, D73-6: late reviews reported against each person who owes the decision. */
  async overdue(caller: Caller): Promise<{ readonly asOf: string; readonly reviewers: OverdueByReviewer[] }> {
    const now = this.kernel.now();
    const { publicHolidays, timeZone } = this.kernel.config.policy;
    const byReviewer = new Map<string, OverdueByReviewer['reviews'][number][]>();
    for (const { reviewerId, ...late } of overdueReviews(await this.overdueDocuments(caller, now), now)) {
      const workingDaysLate = workingDaysBetween(late.dueBy, now.toISOString(), publicHolidays, timeZone);
      byReviewer.set(reviewerId, [...(byReviewer.get(reviewerId) ?? []), { ...late, workingDaysLate }]);
    }
    const reviewers = [...byReviewer].map(([reviewerId, reviews]) => ({ reviewerId, count: reviews.length, reviews }));
    return { asOf: now.toISOString(), reviewers: reviewers.sort((a, b) => b.count - a.count || a.reviewerId.localeCompare(b.reviewerId)) };
  }

  async history(caller: Caller, proposalId: string) {
    const doc = await this.visibleDocument(caller, proposalId);
    return disclose(this.kernel.contract, await this.kernel.history(reviewStreamId(proposalId)), reviewDisclosure(caller, doc));
  }

  private async visibleDocument(caller: Caller, proposalId: string): Promise<ReviewDocument> {
    const doc = await this.kernel.readModels.get<ReviewDocument>(REVIEWS, proposalId);
    if (!doc || !seesReview(this.org, caller, doc.data)) throw new NotFound('review', proposalId);
    return doc.data;
  }

  /** The overdue open reviews the caller sees, as a query on the read model (review-list.ts), every page of them. */
  private async overdueDocuments(caller: Caller, now: Date): Promise<ReviewDocument[]> {
    const docs: ReviewDocument[] = [];
    let after: string | undefined;
    do {
      const page = await this.kernel.readModels.page<ReviewDocument>(REVIEWS, overdueReviewsQuery(this.org, caller, now.toISOString(), after));
      docs.push(...page.items.map((d) => d.data));
      after = page.next ?? undefined;
    } while (after);
    return docs;
  }

  /**
   * The approved plan is handed to monitoring, where only a user acting as supervisor, other than
   * the proposer, follows it: a plan naming anyone else would be approved and never supervised.
   */
  private checkSupervisor(review: ReviewRound, supervisorId: string | null): void {
    if (supervisorId === null) return;
    const supervisor = this.org.users.find((u) => u.id === supervisorId);
    if (!supervisor) throw new InvalidInput(`plan.supervisorId '${supervisorId}' is not a user of this instance`, { field: 'plan.supervisorId' });
    if (supervisorId === review.proposerId) throw new RuleViolation('C14-2.4a', 'the proposer does not supervise their own pilot');
    if (!supervisor.roles.includes('supervisor')) {
      throw new RuleViolation('C14-2.4a', `'${supervisorId}' does not hold the role 'supervisor'`, { supervisorId });
    }
  }

  /** D73-10b: the implementers named on the plan are protected and recognised, so they must be people of this instance. */
  private checkImplementers(implementerIds: readonly string[]): void {
    const unknown = implementerIds.filter((id) => !this.org.users.some((u) => u.id === id));
    if (unknown.length > 0) {
      throw new InvalidInput(`plan.implementerIds: ${unknown.map((id) => `'${id}'`).join(', ')} not users of this instance`, { field: 'plan.implementerIds', unknown });
    }
  }

  /**
   * Role (commandRoles), then existence, jurisdiction over the reviewing unit and a part in the
   * current round, all read from the stream itself so a command never acts on a stale read model.
   */
  private async run<T extends ReviewCommandType>(
    caller: Caller,
    proposalId: string,
    type: T,
    participants: Participants,
    data: (review: ReviewRound, now: Date) => DataOf<T>,
  ) {
    requireRole(caller, commandRoles[type], type);
    const streamId = reviewStreamId(proposalId);
    const result = await this.kernel.execute(reviewDecider, REVIEW_STREAM_TYPE, streamId, (review) => {
      // A review the caller may not read is refused exactly like an unknown one (404); one they read
      // but that sits with a unit outside their jurisdiction (e.g. escalated above them) is 403.
      if (review.status === 'not-opened' || !seesReview(this.org, caller, review)) throw new NotFound('review', proposalId);
      if (!this.org.inJurisdiction(caller.user.id, review.routing.reviewerUnitId)) {
        throw new Forbidden(`the review of proposal '${proposalId}' is with a unit outside the jurisdiction of '${caller.user.id}'`);
      }
      if (!participants(review).includes(caller.user.id)) {
        throw new Forbidden(`'${caller.user.id}' takes no part in ${type} in round ${review.round} of this review`, { userId: caller.user.id, command: type });
      }
      const now = this.kernel.now();
      return { type, data: data(review, now), metadata: commandMetadata(caller, now) } as ReviewCommand;
    });
    return { proposalId, streamId: result.streamId, position: result.position };
  }
}

/**
 * The proposer, and whoever has the proposer's or the reviewing unit in their jurisdiction: the
 * queries and the audit trail (approvalsService.readAccess) read by this one predicate.
 */
export function seesReview(org: OrgChart, caller: Caller, review: ReviewRound): boolean {
  const { id } = caller.user;
  return review.proposerId === id || [review.proposerUnitId, review.routing.reviewerUnitId].some((unitId) => org.inJurisdiction(id, unitId));
}

/** The view fields that come from restricted event fields: the party committee's opinion, the decision's reasons. */
export const REVIEW_RESTRICTED_VIEW_FIELDS = ['consultation.opinion', 'outcome.reasons'];

/**
 * The rule of disclosure (disclosure.ts) on a review: in clear for the proposer and for those who
 * decide it (the reviewers, the head and the collective of the current round, and whoever
 * escalated it from below); redacted for a colleague or a leader above who takes no part.
 */
export function reviewDisclosure(caller: Caller, review: ReviewDocument): Disclosure {
  const { routing } = review;
  return disclosureTo(caller, {
    people: [review.proposerId],
    deciders: [...routing.reviewerIds, routing.headId, ...routing.collectiveMemberIds, ...(review.escalations ?? []).map((e) => e.escalatedBy)],
  });
}
