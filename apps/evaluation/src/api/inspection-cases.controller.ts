import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller, CallerController, PagedList, UuidParam, StreamRoutes } from '@dotpha/service-runtime';
import { InspectionCasesService } from '../application/inspection-cases.service';
import { FindingDto, ListInspectionCasesQuery, ProhibitedActReportDto } from './dto';

@CallerController('inspection-cases')
export class InspectionCasesController extends StreamRoutes('caseId') {
  constructor(private readonly cases: InspectionCasesService) { super(cases); }

  @Post()
  @ApiOperation({ summary: 'Any cadre reports a prohibited act: obstructing, pressuring or retaliating against an innovator, refusing an assigned task (D73-6, D73-6b)' })
  report(@CurrentCaller() caller: Caller, @Body() body: ProhibitedActReportDto) {
    const { kind, subjectIds, unitId, grounds, description, proposalId } = body;
    return this.cases.report(caller, { kind, subjectIds, unitId, grounds, description, ...(proposalId !== undefined ? { proposalId } : {}) });
  }

  @Post(':caseId/finding')
  @HttpCode(200)
  @ApiOperation({ summary: 'The inspector records the finding: substantiated or dismissed (C14-2.4e)' })
  recordFinding(@CurrentCaller() caller: Caller, @UuidParam('caseId') caseId: string, @Body() body: FindingDto) {
    return this.cases.recordFinding(caller, caseId, { finding: body.finding, reasons: body.reasons });
  }

  @Get()
  @ApiOperation({ summary: 'Every case for an inspector; the cases a caller reported, or that are about them, for anyone else' })
  @PagedList('one page of the cases the caller reads, the latest opened first')
  list(@CurrentCaller() caller: Caller, @Query() query: ListInspectionCasesQuery) {
    return this.cases.list(caller, query);
  }
}
