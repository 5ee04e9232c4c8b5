import {
  type ArgumentsHost, type ExceptionFilter, type INestApplication, BadRequestException, Catch, HttpException, ValidationPipe,
} from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { publishedAsyncApi } from '@dotpha/contracts';
import { DomainError } from '@dotpha/kernel';
import { ROLES } from '@dotpha/org';
import { BodyRefused, inspectJsonText, normalizeBody } from './json-body';
import { isStoreUnavailable } from './store-unavailable';
import type { Log } from './observability/logging';

export { isStoreUnavailable };

const STATUS: Record<string, number> = {
  RULE_VIOLATION: 422,
  ILLEGAL_TRANSITION: 409,
  WRONG_EXPECTED_VERSION: 409,
  PRECONDITION_FAILED: 412,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  INVALID_INPUT: 400,
  UNKNOWN_EVENT_TYPE: 400,
  INVALID_EVENT_PAYLOAD: 400,
  EVENT_TOO_LARGE: 413,
};

/** Seconds a client is told to wait (Retry-After) when the store is unreachable. */
export const STORE_RETRY_AFTER_SECONDS = 2;

/**
 * Every refusal becomes a 4xx with a stable code and a readable message; a store that cannot be
 * reached a 503 STORE_UNAVAILABLE with Retry-After (nothing was written: an append is one insert);
 * anything else a bare 500. No stack trace or query text ever reaches the caller.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly log: Log = () => undefined) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError) {
      response.status(STATUS[error.code] ?? 400).json({ statusCode: STATUS[error.code] ?? 400, code: error.code, message: error.message, details: error.details });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message ?? error.message;
      response.status(status).json({ statusCode: status, code: codeOf(status), message });
      return;
    }
    // body-parser errors carry their own status (malformed JSON 400, oversized body 413).
    const status = (error as { status?: number; type?: string })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      // Our own refusals say what is wrong; the parser's words (which echo the body) never reach the caller.
      const message =
        type === 'dotpha.body.refused' ? (error as Error).message
        : type === 'entity.parse.failed' ? 'the request body is not valid JSON'
        : type === 'entity.too.large' ? 'the request body is too large'
        : 'bad request';
      response.status(status).json({ statusCode: status, code: codeOf(status), message });
      return;
    }
    if (isStoreUnavailable(error)) {
      this.log(`store unavailable: ${(error as Error)?.name}: ${(error as Error)?.message}`, { level: 'warn' });
      response.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
      response.status(503).json({ statusCode: 503, code: 'STORE_UNAVAILABLE', message: 'the store is unavailable for a moment: retry later' });
      return;
    }
    // A database's error in one line, ours with its stack (errorFields).
    this.log(`unexpected error: ${(error as Error)?.name}: ${(error as Error)?.message}`, { err: error, level: 'error' });
    response.status(500).json({ statusCode: 500, code: 'INTERNAL', message: 'internal error' });
  }
}

function codeOf(status: number): string {
  return ({ 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 412: 'PRECONDITION_FAILED', 413: 'PAYLOAD_TOO_LARGE', 429: 'TOO_MANY_REQUESTS' } as Record<number, string>)[status] ?? 'ERROR';
}

export interface HttpOptions {
  readonly title: string;
  readonly bodyLimit?: string;
  readonly log?: Log;
  /** The topic prefix the instance publishes under (named in the AsyncAPI document's channels). */
  readonly topicPrefix?: string;
  /** Origins the served pages may call besides their own (the OpenID Connect provider the console signs in with). */
  readonly connectSources?: readonly string[];
}

/**
 * The HTTP conventions of every service: REST under /api/v1, DTOs validated with unknown fields
 * refused, a body size limit, OpenAPI at /api/docs. Create the app with `bodyParser: false`.
 */
export function configureHttp(app: INestApplication, options: HttpOptions): void {
  // helmet's defaults (nosniff, frame and referrer policies, no X-Powered-By…); the OpenAPI page
  // runs Swagger UI's inline start-up script, so only it gets a looser content policy.
  const strict = helmet({ contentSecurityPolicy: { directives: { connectSrc: ["'self'", ...(options.connectSources ?? [])] } } });
  const docs = helmet({ contentSecurityPolicy: false });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.path.startsWith('/api/docs')) return docs(request, response, next);
    response.setHeader('Cache-Control', 'no-store');
    return strict(request, response, next);
  });
  const parse = json({ limit: options.bodyLimit ?? '256kb', verify: (_request, _response, buffer) => inspectJsonText(buffer.toString('utf8')) });
  // The parser's own message quotes the body; a fixed one replaces it before anything reports it.
  app.use((request: Request, response: Response, next: NextFunction) =>
    parse(request, response, (error?: unknown) => {
      const type = (error as { type?: string } | undefined)?.type;
      next(type === 'entity.parse.failed' ? new BodyRefused('the request body is not valid JSON') : error);
    }),
  );
  app.use((request: Request, _response: Response, next: NextFunction) => {
    try {
      if (request.body !== undefined) request.body = normalizeBody(request.body);
      next();
    } catch (error) {
      next(error);
    }
  });
  // The probes are where an orchestrator looks for them, outside the versioned API.
  app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready'] });
  app.useGlobalFilters(new ErrorFilter(options.log));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      exceptionFactory: (errors) =>
        new BadRequestException(errors.flatMap(function messages(e): string[] {
          return [...Object.values(e.constraints ?? {}), ...(e.children ?? []).flatMap(messages).map((m) => `${e.property}.${m}`)];
        })),
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setVersion('1')
      .setDescription(
        'Every operation takes a bearer token of the instance identity provider (the local issuer in development). ' +
          'Commands on an existing object answer 200 with the stream and its new position; a command that creates an object answers 201 with its id. ' +
          'A read of one object answers its stream position as a strong ETag; a command may send it back as If-Match and is then refused with 412 when the object changed meanwhile (RFC 9110); a command answers the new position as its ETag. ' +
          'Refusals: 400 bad input, 401 no valid token, 403 a role that may not act, 404 unknown or outside the caller\'s jurisdiction, 409 conflict, 412 stale If-Match, 413 body too large, 422 a policy rule, 429 too many requests; ' +
          '503 with Retry-After when the store is unreachable (STORE_UNAVAILABLE, nothing written) or the service is shutting down (SHUTTING_DOWN): retry.',
      )
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .addSecurityRequirements('bearer')
      .addGlobalParameters({
        name: 'x-role',
        in: 'header',
        required: false,
        description: 'The role to act in, for a user holding several (DOMAIN.md §2); one the organisation file gives the user. Default: the token\'s role claim, else the user\'s first role.',
        schema: { type: 'string', enum: [...ROLES] },
      })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  // The published event contract (AsyncAPI 3.0), for other agencies' subscribers: no token needed,
  // it holds no data of the instance.
  const contract = publishedAsyncApi({ topicPrefix: options.topicPrefix });
  app.getHttpAdapter().get('/api/asyncapi.json', (_request: Request, response: Response) => {
    response.json(contract);
  });
}
