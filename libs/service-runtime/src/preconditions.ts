import { type CallHandler, type ExecutionContext, type NestInterceptor, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Observable, from, map, mergeMap } from 'rxjs';
import { InvalidInput } from '@dotpha/kernel';
import type { ServiceHub } from './hub';
import { enterPrecondition } from './request-precondition';

/**
 * Concurrent edits made visible (RFC 9110, issue 12): a read of one object answers its stream
 * position as a strong `ETag`; a command may send it back as `If-Match`, and is then decided on
 * that version or refused with 412, never retried by the server on a revision the client did not
 * see. A command's answer carries the stream's new position as its `ETag`.
 */
export const etagOf = (position: number): string => `"${position}"`;

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match) throw new InvalidInput('If-Match must be one ETag this API gave, e.g. "3"', { field: 'If-Match' });
  return Number(match[1]);
}

/** Resource collections whose `/:id` is one stream, `<type>-<id>`. */
const STREAM_TYPE_OF: Readonly<Record<string, string>> = {
  proposals: 'proposal',
  reviews: 'review',
  pilots: 'pilot',
  evaluations: 'evaluation',
  recognitions: 'recognition',
  assignments: 'assignment',
  'inspection-cases': 'inspection-case',
};

function streamOfRead(path: string): string | undefined {
  const match = /^\/api\/v1\/([a-z-]+)\/([^/?#]+)$/.exec(path);
  const type = match ? STREAM_TYPE_OF[match[1]] : undefined;
  return type ? `${type}-${decodeURIComponent(match![2])}` : undefined;
}

@Injectable()
export class PreconditionsInterceptor implements NestInterceptor {
  constructor(private readonly hub: ServiceHub) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (request.method === 'GET') {
      return next.handle().pipe(mergeMap((body) => from(this.withEtag(request.path, response, body))));
    }
    const header = request.headers['if-match'];
    // The handler runs later in this request's own asynchronous context, which this enters.
    enterPrecondition({ ifMatch: parseIfMatch(Array.isArray(header) ? header.join(',') : header), taken: false });
    return next.handle().pipe(
      map((body) => {
        const position = (body as { position?: unknown } | undefined)?.position;
        if (typeof position === 'number') response.setHeader('ETag', etagOf(position));
        return body;
      }),
    );
  }

  private async withEtag(path: string, response: Response, body: unknown): Promise<unknown> {
    const streamId = streamOfRead(path);
    if (streamId) {
      for (const kernel of this.hub.kernels) {
        const version = await kernel.store.streamVersion(streamId);
        if (version > 0) {
          response.setHeader('ETag', etagOf(version));
          break;
        }
      }
    }
    return body;
  }
}
