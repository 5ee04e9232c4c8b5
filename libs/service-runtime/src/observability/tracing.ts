import { type Context, type Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { NextFunction, Request, Response } from 'express';
import type { RecordedEvent } from '@dotpha/kernel';
import { routeOf } from './metrics';

/** The tracer of the runtime's own spans (HTTP, append; the Kafka bus adds publish and process). */
export const tracer = () => trace.getTracer('dotpha');

/**
 * Starts exporting spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set; without it the OpenTelemetry API stays a no-op.
 * Registers the W3C trace-context propagator (`traceparent`) and an AsyncLocalStorage context.
 * Returns the stop that flushes what is left (the process's exit waits for it, at most 2 s).
 */
export function startTracing(service: string, instance: string, env: NodeJS.ProcessEnv = process.env): (() => Promise<void>) | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.namespace': 'dotpha', 'dotpha.instance': instance }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: Number(env.OTEL_BSP_SCHEDULE_DELAY) || 1000 })],
  });
  provider.register();
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([provider.shutdown().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
  };
}

/** A SERVER span per request, child of the caller's `traceparent`, named by its route template once answered. */
export function tracingMiddleware(request: Request, response: Response, next: NextFunction): void {
  const parent = propagation.extract(context.active(), request.headers);
  const span = tracer().startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.path } }, parent);
  response.once('finish', () => {
    const route = routeOf(request);
    span.updateName(`${request.method} ${route}`);
    span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}

/** Runs `work` in a span that ends with it (an error sets its status). */
export async function inSpan<T>(name: string, attributes: Record<string, string>, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The trace each event was appended in, kept in memory until the relay publishes it (the bus
 * puts it in the message's `traceparent`). An event published by another process (after a
 * restart) starts no trace of its own: its publish span is a root.
 */
const appendedIn = new Map<string, Context>();
const REMEMBERED = 10_000;

export function rememberTrace(events: readonly RecordedEvent[], at: Context = context.active()): void {
  if (!trace.getSpanContext(at)) return;
  for (const event of events) appendedIn.set(event.eventId, at);
  for (const oldest of appendedIn.keys()) {
    if (appendedIn.size <= REMEMBERED) break;
    appendedIn.delete(oldest);
  }
}

/** The context an event was appended in, if this process appended it (KafkaBusOptions.traceContextOf). */
export function traceContextOf(event: RecordedEvent): Context | undefined {
  return appendedIn.get(event.eventId);
}
