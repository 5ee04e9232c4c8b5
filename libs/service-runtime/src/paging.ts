import { type CallHandler, type ExecutionContext, type NestInterceptor, type Type as Class, Injectable, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import { type Observable, map } from 'rxjs';
import { PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT, type PageParams } from '@dotpha/kernel';

/** One page of a list as a service answers it; the HTTP layer sends the items as the body and the rest as headers. */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly next: string | null;
  readonly total?: number;
}

/**
 * The query parameters of a paged list (`limit`, `cursor`, `sort` among the list's own, `order`):
 * a DTO of a list extends it with its filters.
 */
export function PageQuery<S extends string>(sorts: readonly S[], defaultSort: S, defaultOrder: 'asc' | 'desc'): Class<PageParams<S>> {
  class PageQueryDto implements PageParams<S> {
    @ApiPropertyOptional({ minimum: 1, maximum: PAGE_MAX_LIMIT, default: PAGE_DEFAULT_LIMIT, description: 'documents per page' })
    @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(PAGE_MAX_LIMIT)
    limit?: number;

    @ApiPropertyOptional({ maxLength: 1000, description: 'the X-Next-Cursor header of the previous page (same filters and sort)' })
    @IsOptional() @IsString() @MaxLength(1000)
    cursor?: string;

    @ApiPropertyOptional({ enum: sorts, default: defaultSort }) @IsOptional() @IsIn(sorts)
    sort?: S;

    @ApiPropertyOptional({ enum: ['asc', 'desc'], default: defaultOrder }) @IsOptional() @IsIn(['asc', 'desc'])
    order?: 'asc' | 'desc';
  }
  return PageQueryDto;
}

@Injectable()
class PageHeaders implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((page: ListPage<unknown>) => {
        const response = context.switchToHttp().getResponse<Response>();
        if (page.total !== undefined) response.setHeader('X-Total-Count', String(page.total));
        if (page.next) response.setHeader('X-Next-Cursor', page.next);
        return page.items;
      }),
    );
  }
}

/**
 * A paged list route: its body stays the array it always was (so clients of the unpaged list keep
 * working), with the total in `X-Total-Count` (on the first page: the one asked for without a
 * cursor) and the next page's cursor in `X-Next-Cursor`.
 */
export const PagedList = (description: string) =>
  applyDecorators(
    UseInterceptors(PageHeaders),
    ApiOkResponse({
      description,
      headers: {
        'X-Total-Count': { description: 'documents matching the filters (all pages); on the first page only (no cursor)', schema: { type: 'integer' } },
        'X-Next-Cursor': { description: 'the `cursor` of the next page; absent on the last page', schema: { type: 'string' } },
      },
    }),
  );
