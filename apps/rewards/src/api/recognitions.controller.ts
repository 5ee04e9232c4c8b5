import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { type Caller, CurrentCaller, CallerController, PagedList, UuidParam, StreamRoutes } from '@dotpha/service-runtime';
import type { Awards } from '@dotpha/rewards-domain';
import { RecognitionsService } from '../application/recognitions.service';
import { AwardsDto, DeclineRecognitionDto, GrantRecognitionDto, ListRecognitionsQuery, ProposeInstitutionalizationDto, RecommendReplicationDto } from './dto';

/** Recognitions are recommended by the system on an achieved outcome; people grant, decline and spread them. */
@CallerController('recognitions')
export class RecognitionsController extends StreamRoutes('proposalId') {
  constructor(private readonly recognitions: RecognitionsService) { super(recognitions); }

  @Post(':proposalId/grant')
  @HttpCode(200)
  grant(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: GrantRecognitionDto) {
    const { scale, effectiveness, influence, justification } = body.proportionality;
    return this.recognitions.grant(caller, proposalId, { awards: awardsOf(body.awards), proportionality: { scale, effectiveness, influence, justification } });
  }

  @Post(':proposalId/decline')
  @HttpCode(200)
  decline(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: DeclineRecognitionDto) {
    return this.recognitions.decline(caller, proposalId, body.reasons);
  }

  /** Creates a replication recommendation (its own id): 201. */
  @Post(':proposalId/replication')
  replicate(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: RecommendReplicationDto) {
    const { targetUnitIds, reviewPeriod, reasons } = body;
    return this.recognitions.recommendReplication(caller, proposalId, { targetUnitIds, reviewPeriod, reasons });
  }

  /** Creates an institutionalization proposal (its own id): 201. */
  @Post(':proposalId/institutionalization')
  institutionalize(@CurrentCaller() caller: Caller, @UuidParam('proposalId') proposalId: string, @Body() body: ProposeInstitutionalizationDto) {
    const { level, addressedTo, instrument, reasons } = body;
    return this.recognitions.proposeInstitutionalization(caller, proposalId, { level, addressedTo, instrument, reasons });
  }

  @Get()
  @PagedList('one page of the recognitions the caller sees, newest change first')
  list(@CurrentCaller() caller: Caller, @Query() query: ListRecognitionsQuery) {
    return this.recognitions.list(caller, query);
  }
}

/** Only the awards given: an absent award is not an award of nothing. */
function awardsOf(dto: AwardsDto): Awards {
  const { commendation, bonusPoints, promotionPriority, planningPriority, salaryStepEarlyMonths, excellentAchievement } = dto;
  return {
    ...(commendation && { commendation: { level: commendation.level, form: commendation.form } }),
    ...(bonusPoints !== undefined && { bonusPoints }),
    ...(promotionPriority !== undefined && { promotionPriority }),
    ...(planningPriority !== undefined && { planningPriority }),
    ...(salaryStepEarlyMonths !== undefined && { salaryStepEarlyMonths }),
    ...(excellentAchievement !== undefined && { excellentAchievement }),
  };
}
