import {
  type ArgumentsHost, type ExceptionFilter, type INestApplication, BadRequestException, Catch, HttpException, ValidationPipe,
} from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import type { Response } from 'express';
import { DomainError } from '@dotpha/kernel';

const STATUS: Record<string, number> = {
  RULE_VIOLATION: 422,
  ILLEGAL_TRANSITION: 409,
  WRONG_EXPECTED_VERSION: 409,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  INVALID_INPUT: 400,
  UNKNOWN_EVENT_TYPE: 400,
  INVALID_EVENT_PAYLOAD: 400,
  EVENT_TOO_LARGE: 413,
};

/**
 * Every refusal becomes a 4xx with a stable code and a readable message; anything else a bare
 * 500. No stack trace or query text ever reaches the caller.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly log: (message: string) => void = () => undefined) {}

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
      const message = type === 'entity.parse.failed' ? 'the request body is not valid JSON' : type === 'entity.too.large' ? 'the request body is too large' : 'bad request';
      response.status(status).json({ statusCode: status, code: codeOf(status), message });
      return;
    }
    this.log(`unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    response.status(500).json({ statusCode: 500, code: 'INTERNAL', message: 'internal error' });
  }
}

function codeOf(status: number): string {
  return ({ 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 429: 'TOO_MANY_REQUESTS' } as Record<number, string>)[status] ?? 'ERROR';
}

export interface HttpOptions {
  readonly title: string;
  readonly bodyLimit?: string;
  readonly log?: (message: string) => void;
}

/**
 * The HTTP conventions of every service: REST under /api/v1, DTOs validated with unknown fields
 * refused, a body size limit, OpenAPI at /api/docs. Create the app with `bodyParser: false`.
 */
export function configureHttp(app: INestApplication, options: HttpOptions): void {
  app.use(json({ limit: options.bodyLimit ?? '256kb' }));
  app.setGlobalPrefix('api/v1');
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
    new DocumentBuilder().setTitle(options.title).setVersion('1').addBearerAuth().addApiKey({ type: 'apiKey', in: 'header', name: 'x-user-id' }, 'user').build(),
  );
  SwaggerModule.setup('api/docs', app, document);
}
