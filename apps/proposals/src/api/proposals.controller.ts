import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Caller, CallerGuard, CurrentCaller } from '@dotpha/service-runtime';
import { ProposalsService } from '../application/proposals.service';
import { ProposalContentDto, ProposalQueryDto, WithdrawDto } from './dto';

@ApiTags('proposals')
@UseGuards(CallerGuard)
@Controller('proposals')
export class ProposalsController {
  constructor(private readonly proposals: ProposalsService) {}

  @Post()
  draft(@CurrentCaller() caller: Caller, @Body() body: ProposalContentDto) {
    return this.proposals.draft(caller, body);
  }

  @Put(':id')
  revise(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string, @Body() body: ProposalContentDto) {
    return this.proposals.revise(caller, id, body);
  }

  @Post(':id/submit')
  @HttpCode(200)
  submit(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.proposals.submit(caller, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string, @Body() body: WithdrawDto) {
    return this.proposals.withdraw(caller, id, body.reason);
  }

  @Get()
  list(@CurrentCaller() caller: Caller, @Query() query: ProposalQueryDto) {
    return this.proposals.list(caller, query.status);
  }

  @Get(':id')
  get(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.proposals.get(caller, id);
  }

  @Get(':id/history')
  history(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.proposals.history(caller, id);
  }
}
