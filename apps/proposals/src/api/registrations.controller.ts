import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { type Caller, CurrentCaller, CallerController, PagedList, UuidParam } from '@dotpha/service-runtime';
import { RegistrationsService } from '../application/registrations.service';
import {
  ApproveRegistrationDto, MissingRegistrationsQueryDto, RegisterInitiativeDto, RegistrationsQueryDto, RejectRegistrationDto,
} from './dto';
import { UnitIdPipe, YearPipe } from './pipes';

/** Annual initiative registrations (DOMAIN.md §4.1, HCM3815-1). */
@CallerController('registrations')
export class RegistrationsController {
  constructor(private readonly registrations: RegistrationsService) {}

  @Post()
  register(@CurrentCaller() caller: Caller, @Body() body: RegisterInitiativeDto) {
    const { year, title, field, summary, assignmentId, proposalIds } = body;
    return this.registrations.register(caller, {
      year, title, field, summary,
      ...(assignmentId === undefined ? {} : { assignmentId }),
      ...(proposalIds === undefined ? {} : { proposalIds }),
    });
  }

  @Post(':unitId/:year/:initiativeId/approve')
  @HttpCode(200)
  approve(
    @CurrentCaller() caller: Caller,
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @UuidParam('initiativeId') initiativeId: string,
    @Body() body: ApproveRegistrationDto,
  ) {
    return this.registrations.approve(caller, { unitId, year, initiativeId }, body.reasons);
  }

  @Post(':unitId/:year/:initiativeId/reject')
  @HttpCode(200)
  reject(
    @CurrentCaller() caller: Caller,
    @Param('unitId', UnitIdPipe) unitId: string,
    @Param('year', YearPipe) year: number,
    @UuidParam('initiativeId') initiativeId: string,
    @Body() body: RejectRegistrationDto,
  ) {
    return this.registrations.reject(caller, { unitId, year, initiativeId }, body.reasons);
  }

  @Get()
  @PagedList("one page of the year's registrations the caller sees: `limit` counts units (by unit id), each with all its initiatives; X-Total-Count counts units")
  list(@CurrentCaller() caller: Caller, @Query() query: RegistrationsQueryDto) {
    const { year, ...page } = query;
    return this.registrations.list(caller, year, page);
  }

  @Get('missing')
  missing(@CurrentCaller() caller: Caller, @Query() query: MissingRegistrationsQueryDto) {
    return this.registrations.missing(caller, query.year, query.level);
  }

  @Get(':unitId/:year/history')
  history(@CurrentCaller() caller: Caller, @Param('unitId', UnitIdPipe) unitId: string, @Param('year', YearPipe) year: number) {
    return this.registrations.history(caller, unitId, year);
  }
}
