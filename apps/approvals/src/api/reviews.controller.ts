import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller, CallerController, PagedList, UuidParam, StreamRoutes } from '@dotpha/service-runtime';
import { ReviewsService } from '../application/reviews.service';
import { ApproveDto, ConsultDto, ListReviewsQuery, OverrideDto, ReviewReasonsDto, TallyDto, VoteDto } from './dto';

const proposalId = () => UuidParam('proposalId');

@CallerController('reviews')
export class ReviewsController extends StreamRoutes('proposalId') {
  constructor(private readonly reviews: ReviewsService) { super(reviews); }

  @Get()
  @ApiOperation({ summary: "Reviews in the caller's jurisdiction, optionally by status; by default soonest due first (overdue first)" })
  @PagedList('one page of the reviews, sorted and filtered on the server')
  list(@CurrentCaller() caller: Caller, @Query() query: ListReviewsQuery) {
    return this.reviews.list(caller, query);
  }

  @Get('overdue')
  @ApiOperation({ summary: 'Open reviews past their due date, per reviewer (HN24-shirk)' })
  overdue(@CurrentCaller() caller: Caller) {
    return this.reviews.overdue(caller);
  }

  @Post(':proposalId/consult')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the same-level party committee's opinion (D73-4)" })
  consult(@CurrentCaller() caller: Caller, @proposalId() id: string, @Body() body: ConsultDto) {
    return this.reviews.consult(caller, id, { opinion: body.opinion, ...(body.consultedAt ? { consultedAt: body.consultedAt } : {}) });
  }

  @Post(':proposalId/votes')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the caller's own vote as a member of the collective (D73-8.1a)" })
  vote(@CurrentCaller() caller: Caller, @proposalId() id: string, @Body() body: VoteDto) {
    return this.reviews.vote(caller, id, body.vote);
  }

  @Post(':proposalId/tally')
  @HttpCode(200)
  @ApiOperation({ summary: "Tally the collective's vote once every member voted, or as the head closing the meeting with a quorum (D73-8.1b)" })
  tally(@CurrentCaller() caller: Caller, @proposalId() id: string, @Body() body: TallyDto) {
    return this.reviews.tally(caller, id, body?.closeMeeting === undefined ? {} : { closeMeeting: body.closeMeeting });
  }

  @Post(':proposalId/override')
  @HttpCode(200)
  @ApiOperation({ summary: "The head authorises in writing what the collective rejected (D73-8.1c)" })
  override(@CurrentCaller() caller: Caller, @proposalId() id: string, @Body() body: OverrideDto) {
    return this.reviews.override(caller, id, body.writtenAuthorization);
  }

  @Post(':proposalId/escalate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the review to the directly managing level (C14-2.3c)' })
  escalate(@CurrentCaller() caller: Caller, @proposalId() id: string, @Body() body: ReviewReasonsDto) {
    return this.reviews.escalate(caller, id, body.reasons);
  }

  @Post(':proposalId/request-revision')
  @HttpCode(200)
  requestRevision(@CurrentCaller() caller: Caller, @proposalId() id: string, @Body() body: ReviewReasonsDto) {
    return this.reviews.requestRevision(caller, id, body.reasons);
  }

  @Post(':proposalId/reject')
  @HttpCode(200)
  reject(@CurrentCaller() caller: Caller, @proposalId() id: string, @Body() body: ReviewReasonsDto) {
    return this.reviews.reject(caller, id, body.reasons);
  }

  @Post(':proposalId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve to implement or to pilot, attesting conformity (C14-2.3d/e)' })
  approve(@CurrentCaller() caller: Caller, @proposalId() id: string, @Body() body: ApproveDto) {
    const { plan } = body;
    return this.reviews.approve(caller, id, {
      decision: body.decision,
      reasons: body.reasons,
      attestation: { ...body.attestation },
      plan: {
        scope: plan.scope,
        startDate: plan.startDate,
        endDate: plan.endDate ?? null,
        kpis: (plan.kpis ?? []).map(({ id, name, unit, target, direction }) => ({ id, name, unit, target, direction })),
        milestones: (plan.milestones ?? []).map(({ id, name, dueDate }) => ({ id, name, dueDate })),
        resources: (plan.resources ?? []).map(({ kind, description, amount }) => ({ kind, description, ...(amount === undefined ? {} : { amount }) })),
        supervisorId: plan.supervisorId ?? null,
        implementerIds: plan.implementerIds ?? [],
      },
    });
  }
}
