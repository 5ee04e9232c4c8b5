import { Body, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { type Caller, CurrentCaller, CallerController, PagedList, UuidParam, StreamRoutes } from '@dotpha/service-runtime';
import { instanceToPlain } from 'class-transformer';
import type { ReportDraft } from '@dotpha/proposals-domain';
import { type ProposalContent, ProposalsService } from '../application/proposals.service';
import { ProposalContentDto, ProposalQueryDto, WithdrawDto } from './dto';

@CallerController('proposals')
export class ProposalsController extends StreamRoutes('id') {
  constructor(private readonly proposals: ProposalsService) { super(proposals); }

  @Post()
  draft(@CurrentCaller() caller: Caller, @Body() body: ProposalContentDto) {
    return this.proposals.draft(caller, content(body));
  }

  @Put(':id')
  revise(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @Body() body: ProposalContentDto) {
    return this.proposals.revise(caller, id, content(body));
  }

  @Post(':id/submit')
  @HttpCode(200)
  submit(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.proposals.submit(caller, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @Body() body: WithdrawDto) {
    return this.proposals.withdraw(caller, id, body.reason);
  }

  @Get()
  @PagedList('one page of the proposals the caller sees, sorted and filtered on the server')
  list(@CurrentCaller() caller: Caller, @Query() query: ProposalQueryDto) {
    return this.proposals.list(caller, query);
  }
}

function content(dto: ProposalContentDto): ProposalContent {
  return {
    title: dto.title,
    field: dto.field,
    problemType: dto.problemType,
    isScheme: dto.isScheme,
    // Plain data without the unset fields of the DTO classes: a re-save of the same form must compare equal.
    report: (dto.report ? instanceToPlain(dto.report, { exposeUnsetFields: false }) : {}) as ReportDraft,
    attachments: (dto.attachments ?? []).map(({ name, uri }) => ({ name, uri })),
    scopeUnitIds: dto.scopeUnitIds ?? [],
    coProposerIds: dto.coProposerIds ?? [],
    ...(dto.assignmentId === undefined ? {} : { assignmentId: dto.assignmentId }),
  };
}
