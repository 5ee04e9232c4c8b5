import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Caller, CallerGuard, CurrentCaller } from '@dotpha/service-runtime';
import { ReportsService } from '../application/reports.service';
import { PeriodicReportQuery } from './dto';

@ApiTags('reports')
@UseGuards(CallerGuard)
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('periodic')
  periodic(@CurrentCaller() caller: Caller, @Query() query: PeriodicReportQuery) {
    return this.reports.periodic(caller, query.year);
  }
}
