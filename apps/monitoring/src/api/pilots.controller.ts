import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller, CallerController, PagedList, UuidParam, StreamRoutes } from '@dotpha/service-runtime';
import { PilotsService } from '../application/pilots.service';
import {
  AdjustPilotDto, FlagIssueDto, ListPilotsQueryDto, ProvideSupportDto, PilotReasonsDto, RecordCheckDto, ReportProgressDto,
} from './dto';

const PilotId = () => UuidParam('proposalId');

/**
 * Pilots are planned by the approval (ProposalApproved), never created here. Recording a report,
 * check, flag or support adds an item with its own id (201); the other commands move the pilot (200).
 */
@CallerController('pilots')
export class PilotsController extends StreamRoutes('proposalId') {
  constructor(private readonly pilots: PilotsService) { super(pilots); }

  @Post(':proposalId/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a planned pilot (its proposer or its supervisor)' })
  start(@CurrentCaller() caller: Caller, @PilotId() proposalId: string) {
    return this.pilots.start(caller, proposalId);
  }

  @Post(':proposalId/progress')
  @ApiOperation({ summary: 'Report progress against KPIs and milestones (the proposer); off-target KPIs and overdue milestones are flagged' })
  reportProgress(@CurrentCaller() caller: Caller, @PilotId() proposalId: string, @Body() body: ReportProgressDto) {
    return this.pilots.reportProgress(caller, proposalId, {
      kpiValues: (body.kpiValues ?? []).map(({ kpiId, value }) => ({ kpiId, value })),
      milestonesMet: (body.milestonesMet ?? []).map(({ milestoneId, metOn }) => ({ milestoneId, metOn })),
      narrative: body.narrative,
    });
  }

  @Post(':proposalId/checks')
  @ApiOperation({ summary: 'Record a supervision check (the named supervisor)' })
  recordCheck(@CurrentCaller() caller: Caller, @PilotId() proposalId: string, @Body() body: RecordCheckDto) {
    return this.pilots.recordCheck(caller, proposalId, { findings: body.findings, resolvesFlagIds: body.resolvesFlagIds ?? [] });
  }

  @Post(':proposalId/flags')
  @ApiOperation({ summary: 'Flag a risk, damage or violation (the named supervisor)' })
  flagIssue(@CurrentCaller() caller: Caller, @PilotId() proposalId: string, @Body() body: FlagIssueDto) {
    return this.pilots.flagIssue(caller, proposalId, { category: body.category, description: body.description });
  }

  @Post(':proposalId/support')
  @ApiOperation({ summary: 'Record support given (the named supervisor, or a leader over the unit)' })
  provideSupport(@CurrentCaller() caller: Caller, @PilotId() proposalId: string, @Body() body: ProvideSupportDto) {
    return this.pilots.provideSupport(caller, proposalId, {
      kind: body.kind,
      description: body.description,
      ...(body.amount === undefined ? {} : { amount: body.amount }),
      resolvesFlagIds: body.resolvesFlagIds ?? [],
    });
  }

  @Post(':proposalId/adjust')
  @HttpCode(200)
  @ApiOperation({ summary: 'Adjust dates, KPI targets or milestones (the named supervisor or an authority)' })
  adjust(@CurrentCaller() caller: Caller, @PilotId() proposalId: string, @Body() body: AdjustPilotDto) {
    const { startDate, endDate, kpiTargets, milestoneDueDates, addedMilestones } = body.changes;
    return this.pilots.adjust(caller, proposalId, {
      reasons: body.reasons,
      // Only what was asked to change: an absent key keeps the plan's value.
      changes: {
        ...(startDate === undefined ? {} : { startDate }),
        ...(endDate === undefined ? {} : { endDate }),
        ...(kpiTargets ? { kpiTargets: kpiTargets.map(({ kpiId, target }) => ({ kpiId, target })) } : {}),
        ...(milestoneDueDates ? { milestoneDueDates: milestoneDueDates.map(({ milestoneId, dueDate }) => ({ milestoneId, dueDate })) } : {}),
        ...(addedMilestones ? { addedMilestones: addedMilestones.map(({ id, name, dueDate }) => ({ id, name, dueDate })) } : {}),
      },
      resolvesFlagIds: body.resolvesFlagIds ?? [],
    });
  }

  @Post(':proposalId/suspend')
  @HttpCode(200)
  suspend(@CurrentCaller() caller: Caller, @PilotId() proposalId: string, @Body() body: PilotReasonsDto) {
    return this.pilots.suspend(caller, proposalId, body.reasons);
  }

  @Post(':proposalId/resume')
  @HttpCode(200)
  resume(@CurrentCaller() caller: Caller, @PilotId() proposalId: string, @Body() body: PilotReasonsDto) {
    return this.pilots.resume(caller, proposalId, body.reasons);
  }

  @Post(':proposalId/terminate')
  @HttpCode(200)
  terminate(@CurrentCaller() caller: Caller, @PilotId() proposalId: string, @Body() body: PilotReasonsDto) {
    return this.pilots.terminate(caller, proposalId, body.reasons);
  }

  @Post(':proposalId/complete')
  @HttpCode(200)
  complete(@CurrentCaller() caller: Caller, @PilotId() proposalId: string) {
    return this.pilots.complete(caller, proposalId);
  }

  @Get()
  @ApiOperation({ summary: "Pilots in the caller's jurisdiction, those they propose and those they supervise" })
  @PagedList('one page of the pilots, sorted and filtered on the server (offTarget thins the page: it is judged on each pilot at read time)')
  list(@CurrentCaller() caller: Caller, @Query() query: ListPilotsQueryDto) {
    return this.pilots.list(caller, { ...query, offTarget: query.offTarget === undefined ? undefined : query.offTarget === 'true' });
  }
}
