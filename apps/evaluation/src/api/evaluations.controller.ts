import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CallerGuard, CurrentCaller } from '@dotpha/service-runtime';
import { EvaluationsService } from '../application/evaluations.service';
import { AbuseReferralDto, AssessmentDto, ConsultationDto, LiabilityDto, ResultsReportDto } from './dto';

@ApiTags('evaluations')
@UseGuards(CallerGuard)
@Controller('evaluations')
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Post(':proposalId/results')
  @HttpCode(200)
  @ApiOperation({ summary: 'The implementer reports the results in writing (D73-eval)' })
  reportResults(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: ResultsReportDto) {
    return this.evaluations.reportResults(caller, proposalId, body);
  }

  @Post(':proposalId/consult')
  @HttpCode(200)
  @ApiOperation({ summary: 'The same-level party committee is consulted before evaluating (D73-4)' })
  consult(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: ConsultationDto) {
    return this.evaluations.consult(caller, proposalId, body);
  }

  @Post(':proposalId/assessment')
  @HttpCode(200)
  @ApiOperation({ summary: 'The evaluator assesses outcome, damage, causes and motive (C14-2.4b/c)' })
  assess(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: AssessmentDto) {
    return this.evaluations.assess(caller, proposalId, body);
  }

  @Post(':proposalId/liability')
  @HttpCode(200)
  @ApiOperation({ summary: 'The evaluator decides liability (D73-11)' })
  decideLiability(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: LiabilityDto) {
    return this.evaluations.decideLiability(caller, proposalId, body);
  }

  @Post(':proposalId/abuse-referrals')
  @ApiOperation({ summary: 'Abuse is referred to the inspector, at any stage (C14-2.4d)' })
  referAbuse(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: AbuseReferralDto) {
    return this.evaluations.referAbuse(caller, proposalId, body);
  }

  @Post(':proposalId/close')
  @HttpCode(200)
  close(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string) {
    return this.evaluations.close(caller, proposalId);
  }

  @Get()
  @ApiOperation({ summary: "Evaluations within the caller's jurisdiction, and their own" })
  list(@CurrentCaller() caller: Caller) {
    return this.evaluations.list(caller);
  }

  @Get(':proposalId')
  get(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string) {
    return this.evaluations.get(caller, proposalId);
  }

  @Get(':proposalId/history')
  history(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string) {
    return this.evaluations.history(caller, proposalId);
  }
}
