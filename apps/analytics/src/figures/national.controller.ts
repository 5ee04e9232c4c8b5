import { BadRequestException, Controller, Get, Header, Headers, HttpCode, Inject, Param, Post, Query, Res, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import type { AnalyticsReadModels } from '../ingest/read-models';
import { STATUSES } from '../ingest/facts';
import { EXPORT_FILES, contentType, datasetDescription, exportChunks, exportFile } from '../open-data/open-data';
import { DIMENSIONS, type Dimension, type FiguresService, type PeriodUnit } from './figures.service';

/** What the HTTP layer reads and asks: the read models, their figures, a replay (from offset 0, or from an instant). */
export abstract class NationalParts {
  abstract readonly models: AnalyticsReadModels;
  abstract readonly figures: FiguresService;
  abstract replay(from: 'earliest' | Date): Promise<{ topics: number }>;
  abstract readonly adminToken?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const csv = (value?: string) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

function oneOf<T extends string>(values: readonly string[] | undefined, allowed: readonly T[], what: string): T[] | undefined {
  const wrong = values?.filter((v) => !allowed.includes(v as T));
  if (wrong?.length) throw new BadRequestException(`${what}: ${wrong.join(', ')} is not one of ${allowed.join(', ')}`);
  return values as T[] | undefined;
}

/** National figures and the open-data export (no token: aggregates and public facts only). */
@Controller('api/v1')
export class NationalController {
  private readonly models: AnalyticsReadModels;
  private readonly figures: FiguresService;
  constructor(@Inject(NationalParts) private readonly parts: NationalParts) {
    ({ models: this.models, figures: this.figures } = parts);
  }

  /** e.g. `?groupBy=instance,field,period,status&period=quarter&from=2026-01-01&to=2027-01-01&instance=hn,hcm`. */
  @Get('national/figures')
  async national(
    @Query('groupBy') groupBy?: string, @Query('period') period?: string, @Query('from') from?: string, @Query('to') to?: string,
    @Query('instance') instance?: string, @Query('field') field?: string, @Query('status') status?: string,
  ) {
    for (const [name, date] of Object.entries({ from, to })) {
      if (date !== undefined && !ISO_DATE.test(date)) throw new BadRequestException(`${name} must be an ISO date (YYYY-MM-DD)`);
    }
    const query = {
      groupBy: oneOf<Dimension>(csv(groupBy), DIMENSIONS, 'groupBy'),
      period: oneOf<PeriodUnit>(period ? [period] : undefined, ['year', 'quarter', 'month'], 'period')?.[0],
      from, to,
      instances: csv(instance),
      fields: csv(field),
      statuses: oneOf(csv(status), STATUSES, 'status'),
    };
    const [rows, sources] = await Promise.all([this.figures.figures(query), this.figures.sources()]);
    return { query, sources, rows };
  }

  @Get('national/registrations')
  registrations(@Query('instance') instance?: string, @Query('year') year?: string) {
    if (year !== undefined && !/^\d{4}$/.test(year)) throw new BadRequestException('year must be four digits');
    return this.figures.registrations({ instances: csv(instance), year: year ? Number(year) : undefined });
  }

  @Get('open-data')
  dataset() {
    return datasetDescription(this.models, { baseUrl: '/api/v1/open-data' });
  }

  @Get('open-data/:file')
  async export(@Param('file') file: string, @Res() res: Response) {
    const found = exportFile(file);
    if (!found) throw new BadRequestException(`no such file: the dataset has ${EXPORT_FILES.join(', ')}`);
    const { table, format } = found;
    res.setHeader('content-type', contentType(format));
    res.setHeader('content-disposition', `attachment; filename="dotpha-${table}.${format}"`);
    for await (const chunk of exportChunks(this.models, table, format)) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }

  /** Rebuilds the read models from the public topics: from offset 0 (`from` unset) or from an instant. Needs the operator's token. */
  @Post('analytics/replay')
  @HttpCode(202)
  @Header('cache-control', 'no-store')
  async replay(@Headers('authorization') authorization?: string, @Query('from') from?: string) {
    if (!this.parts.adminToken || authorization !== `Bearer ${this.parts.adminToken}`) throw new UnauthorizedException('the replay needs the operator\'s token (DOTPHA_ANALYTICS_ADMIN_TOKEN)');
    const instant = from ? new Date(from) : undefined;
    if (instant && Number.isNaN(instant.getTime())) throw new BadRequestException('from must be an ISO instant');
    return this.parts.replay(instant ?? 'earliest');
  }
}
