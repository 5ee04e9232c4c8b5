import { AsyncLocalStorage } from 'async_hooks';
import { randomUUID } from 'crypto';
import type { NextFunction, Request, Response } from 'express';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';

/** A log call: a message and, optionally, fields kept as fields (kafkajs's, an error's). */
export type Log = (message: string, fields?: Record<string, unknown>) => void;

/** What a line logged while handling a request or an event says it belongs to. */
export interface LogContext {
  readonly correlationId?: string;
  readonly group?: string;
}

export const logContext = new AsyncLocalStorage<LogContext>();

/** Runs `work` with the correlation id and consumer group its log lines carry. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...context }, work);
}

/** One window of the outage limit: lines of one kind beyond the first are counted, not written. */
export const LOG_REPEAT_WINDOW_MS = 10_000;

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The HTTP side of the log context: the caller's `x-correlation-id` when it is a plain id, else a
 * new one, set on the request (the command's metadata takes it from there) and answered back.
 */
export function correlationMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.headers['x-correlation-id'];
  const correlationId = typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
  request.headers['x-correlation-id'] = correlationId;
  response.setHeader('x-correlation-id', correlationId);
  withLogContext({ correlationId }, next);
}

/**
 * An error as a log field: name, message, code, and the stack only for our own faults. A
 * database's or the bus's error (an outage) is said in one line: its stack is the driver's, the
 * same every time, and an outage would write it hundreds of times.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & { code?: unknown; codeName?: unknown; type?: unknown };
  const infrastructure = /^(Mongo|Mongoose|KafkaJS)/.test(e.name) || e.name === 'MongoServerSelectionError';
  return {
    type: e.name,
    message: e.message,
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(typeof e.codeName === 'string' ? { codeName: e.codeName } : {}),
    ...(typeof e.type === 'string' ? { kind: e.type } : {}),
    ...(infrastructure ? {} : { stack: e.stack }),
  };
}

/** The words of a message that say what kind of line it is (numbers, ids and addresses left out). */
export function lineKind(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '#')
    .replace(/\d+/g, '#')
    .slice(0, 200);
}

const WARNING = /\b(fail\w*|error|crash\w*|could not|refused|unavailable|gave up|DAMAGED|cutting)\b/i;

export interface LoggerOptions {
  readonly service: string;
  readonly instance: string;
  /** Where the JSON lines go; stderr (fd 2) unless given. */
  readonly destination?: pino.DestinationStream;
  readonly level?: string;
  /** The machine's clock unless given (tests of the outage limit move it). */
  readonly now?: () => number;
}

/**
 * The process's log (issue 17): one JSON object a line (pino) with `time` (ISO 8601), `level`,
 * `service`, `instance`, `msg`, the `correlationId` and consumer `group` of the request or event
 * being handled, the `traceId`/`spanId` of the active span, and the fields a caller gives (an
 * error's through errorFields, kafkajs's own under `kafka`). A warning or error of one kind
 * (lineKind) is written once per LOG_REPEAT_WINDOW_MS; the next one written says how many were left out
 * (`repeated`): a broker outage writes a few lines, not one per retry.
 */
export function createLog(options: LoggerOptions): Log & { readonly logger: pino.Logger } {
  const logger = pino(
    {
      level: options.level ?? process.env.DOTPHA_LOG_LEVEL ?? 'info',
      base: { service: options.service, instance: options.instance },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // `err` comes already shaped by errorFields.
      serializers: { err: (err: unknown) => err },
      mixin() {
        const context = logContext.getStore();
        const span = trace.getActiveSpan()?.spanContext();
        return {
          ...(context?.correlationId ? { correlationId: context.correlationId } : {}),
          ...(context?.group ? { group: context.group } : {}),
          // Tracing off: the spans are no-ops with an all-zero id, which says nothing.
          ...(span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {}),
        };
      },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  const now = options.now ?? Date.now;
  const seen = new Map<string, { since: number; repeated: number }>();
  const log = (message: string, fields: Record<string, unknown> = {}) => {
    const { err, level, ...rest } = fields as { err?: unknown; level?: string };
    const chosen = level ?? (WARNING.test(message) ? 'warn' : 'info');
    // Only trouble repeats itself (an outage, a failing dependency): warnings and errors are limited.
    const limited = chosen === 'warn' || chosen === 'error' || chosen === 'fatal';
    const kind = lineKind(message);
    const at = now();
    const previous = limited ? seen.get(kind) : undefined;
    if (previous && at - previous.since < LOG_REPEAT_WINDOW_MS) {
      previous.repeated++;
      return;
    }
    if (seen.size > 1000) seen.clear();
    if (limited) seen.set(kind, { since: at, repeated: 0 });
    const component = /^\[([\w.-]+)\]\s*/.exec(message);
    const line = {
      ...rest,
      ...(component ? { component: component[1] } : {}),
      ...(err !== undefined ? { err: errorFields(err) } : {}),
      ...(previous?.repeated ? { repeated: previous.repeated, repeatedSince: new Date(previous.since).toISOString() } : {}),
    };
    (logger[chosen as 'info'] ?? logger.info).call(logger, line, component ? message.slice(component[0].length) : message);
  };
  return Object.assign(log, { logger });
}

/** The service a process's title names ('Đột Phá — proposals' → 'proposals'; the one-process 'Đột Phá' → 'platform'). */
export function serviceOfTitle(title: string): string {
  const parts = title.split(/\s+[—-]\s+/);
  return parts.length > 1 ? parts[parts.length - 1].trim().toLowerCase().replace(/\s+/g, '-') : 'platform';
}
