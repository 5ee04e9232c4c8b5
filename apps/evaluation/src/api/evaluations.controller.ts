import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller, CallerController, PagedList, UuidParam, StreamRoutes } from '@dotpha/service-runtime';
import { EvaluationsService } from '../application/evaluations.service';
import { AbuseReferralDto, AnswerDto, AssessmentDto, ConsultationDto, EvaluationVoteDto, LiabilityDto, ListEvaluationsQuery, ResultsReportDto, EvaluationTallyDto } from './dto';

@CallerController('evaluations')
export class EvaluationsController extends StreamRoutes('proposalId') {
  constructor(private readonly evaluations: EvaluationsService) { super(evaluations); }

  @Post(':proposalId/results')
  @HttpCode(200)
  @ApiOperation({ summary: 'The implementer reports the results in writing (D73-eval)' })
  reportResults(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: ResultsReportDto) {
    return this.evaluations.reportResults(caller, proposalId, { report: body.report, attachmentIds: body.attachmentIds ?? [] });
  }

  @Post(':proposalId/consult')
  @HttpCode(200)
  @ApiOperation({ summary: 'The same-level party committee is consulted before evaluating (D73-4)' })
  consult(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: ConsultationDto) {
    const { committeeUnitId, opinion, summary } = body;
    return this.evaluations.consult(caller, proposalId, { committeeUnitId, opinion, summary });
  }

  @Post(':proposalId/assessment')
  @HttpCode(200)
  @ApiOperation({
    summary: "The evaluator drafts the assessment of outcome, damage, causes and motive (C14-2.4b/c); the collective of the evaluator's unit votes on it (D73-eval)",
  })
  assess(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: AssessmentDto) {
    const { caused, estimate, description } = body.damage;
    const { followedApprovedPlan, pureMotive, commonGood, noSelfInterest } = body.motive;
    return this.evaluations.assess(caller, proposalId, {
      outcome: body.outcome,
      notable: body.notable,
      damage: { caused, ...(estimate !== undefined ? { estimate } : {}), ...(description !== undefined ? { description } : {}) },
      causes: body.causes.map(({ description, kind }) => ({ description, kind })),
      motive: { followedApprovedPlan, pureMotive, commonGood, noSelfInterest },
      assessment: body.assessment,
    });
  }

  @Post(':proposalId/votes')
  @HttpCode(200)
  @ApiOperation({ summary: 'A member of the evaluating collective votes on the draft assessment (D73-eval)' })
  vote(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: EvaluationVoteDto) {
    return this.evaluations.vote(caller, proposalId, body.vote);
  }

  @Post(':proposalId/tally')
  @HttpCode(200)
  @ApiOperation({ summary: 'The head who chairs tallies the vote; approved, the assessment takes effect and the cadre may answer (D73-eval, C14-2.4f)' })
  tally(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: EvaluationTallyDto) {
    return this.evaluations.tally(caller, proposalId, body.closeMeeting ?? false);
  }

  @Post(':proposalId/answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'The cadre answers the assessment in writing, before liability is decided (C14-2.4f)' })
  answer(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: AnswerDto) {
    return this.evaluations.answer(caller, proposalId, body.answer);
  }

  @Post(':proposalId/liability')
  @HttpCode(200)
  @ApiOperation({ summary: 'The evaluator decides liability, naming the legal basis and whom it protects (D73-11, D73-2, D73-10b)' })
  decideLiability(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: LiabilityDto) {
    return this.evaluations.decideLiability(caller, proposalId, { liability: body.liability, reasons: body.reasons });
  }

  @Post(':proposalId/abuse-referrals')
  @ApiOperation({ summary: 'Abuse is referred at any stage (C14-2.4d); it opens an inspection case and liability waits for its finding (C14-2.4e)' })
  referAbuse(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: AbuseReferralDto) {
    return this.evaluations.referAbuse(caller, proposalId, { grounds: body.grounds, description: body.description });
  }

  @Post(':proposalId/close')
  @HttpCode(200)
  close(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string) {
    return this.evaluations.close(caller, proposalId);
  }

  @Get()
  @ApiOperation({ summary: "Evaluations within the caller's jurisdiction, and their own" })
  @PagedList("one page of the evaluations the caller sees, newest change first unless sorted otherwise")
  list(@CurrentCaller() caller: Caller, @Query() query: ListEvaluationsQuery) {
    return this.evaluations.list(caller, query);
  }
}
