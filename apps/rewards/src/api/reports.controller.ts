import { Body, Get, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Caller, CurrentCaller, CallerController } from '@dotpha/service-runtime';
import { toCsv } from '../application/periodic-report';
import { toPdf } from '../application/periodic-report-pdf';
import { ReportsService } from '../application/reports.service';
import { PeriodicReportQuery, SendPeriodicReportDto } from './dto';

@CallerController('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** C14-2.5a, C14-2.5d: JSON, `format=csv` for a download with a header row, or `format=pdf` for the printed report with its chart. */
  @Get('periodic')
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  async periodic(@CurrentCaller() caller: Caller, @Query() query: PeriodicReportQuery, @Res({ passthrough: true }) res: Response) {
    const { format, ...rest } = query;
    const report = await this.reports.periodic(caller, rest);
    if (format !== 'csv' && format !== 'pdf') return report;
    res.setHeader('content-disposition', `attachment; filename="bao-cao-${report.unitId ?? 'tat-ca'}-${report.period.label}.${format}"`);
    if (format === 'pdf') {
      res.setHeader('content-type', 'application/pdf');
      return new StreamableFile(await toPdf(report));
    }
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    return toCsv(report);
  }

  /** C14-2.5d: records that the report went up to the superior party committee and the organisation office. */
  @Post('periodic/send')
  send(@CurrentCaller() caller: Caller, @Body() body: SendPeriodicReportDto) {
    return this.reports.send(caller, body);
  }
}
