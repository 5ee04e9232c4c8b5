import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Caller, CallerGuard, CurrentCaller } from '@dotpha/service-runtime';
import { RecognitionsService } from '../application/recognitions.service';
import { DeclineRecognitionDto, GrantRecognitionDto, ProposeInstitutionalizationDto, RecommendReplicationDto } from './dto';

/** Recognitions are recommended by the system on an achieved outcome; people grant, decline and spread them. */
@ApiTags('recognitions')
@UseGuards(CallerGuard)
@Controller('recognitions')
export class RecognitionsController {
  constructor(private readonly recognitions: RecognitionsService) {}

  @Post(':proposalId/grant')
  @HttpCode(200)
  grant(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: GrantRecognitionDto) {
    return this.recognitions.grant(caller, proposalId, body);
  }

  @Post(':proposalId/decline')
  @HttpCode(200)
  decline(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: DeclineRecognitionDto) {
    return this.recognitions.decline(caller, proposalId, body);
  }

  /** Creates a replication recommendation (its own id): 201. */
  @Post(':proposalId/replication')
  replicate(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: RecommendReplicationDto) {
    return this.recognitions.recommendReplication(caller, proposalId, body);
  }

  /** Creates an institutionalization proposal (its own id): 201. */
  @Post(':proposalId/institutionalization')
  institutionalize(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string, @Body() body: ProposeInstitutionalizationDto) {
    return this.recognitions.proposeInstitutionalization(caller, proposalId, body);
  }

  @Get()
  list(@CurrentCaller() caller: Caller) {
    return this.recognitions.list(caller);
  }

  @Get(':proposalId')
  get(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string) {
    return this.recognitions.get(caller, proposalId);
  }

  @Get(':proposalId/history')
  history(@CurrentCaller() caller: Caller, @Param('proposalId', ParseUUIDPipe) proposalId: string) {
    return this.recognitions.history(caller, proposalId);
  }
}
