import { type DynamicModule, type ExecutionContext, type INestApplication, type LoggerService, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TerminusModule } from '@nestjs/terminus';
import type { Request, Response } from 'express';
import type { AddressInfo } from 'net';
import { type RuntimeConfig, configFromEnv } from './config';
import { configureHttp } from './http';
import { ServiceHub } from './hub';
import { GracefulShutdown, shutdownTimeoutFromEnv } from './shutdown';
import { TokenVerifier } from './auth';
import { AdminController, AuditController, AuditKeysController, localIssuerController } from './host.controllers';
import { DeadLettersController } from './dead-letters.controller';
import { PreconditionsInterceptor } from './preconditions';
import { OrgChart } from '@dotpha/org';
import { HealthController, STOPPING } from './observability/health.controller';
import { RuntimeMetrics } from './observability/metrics';
import { type Log, correlationMiddleware, createLog, serviceOfTitle } from './observability/logging';
import { startTracing, tracingMiddleware } from './observability/tracing';

export type RegisterService = (config: RuntimeConfig, hub: ServiceHub) => DynamicModule;

@Module({})
class HostModule {}

export interface ServiceAppOptions {
  /**
   * 'joined' (default): return once every consumer group joined. 'background': return once the
   * in-memory read models are rebuilt and let the consumers join meanwhile, retried with backoff
   * (runService: HTTP answers before the join, which waits out a dead member's session).
   */
  readonly consume?: 'joined' | 'background';
  /** Node's own process metrics (event loop, heap, GC) on /metrics: once per process (runService). */
  readonly processMetrics?: boolean;
}

/**
 * Builds an HTTP app hosting the given services, started, not yet listening; consuming, or
 * (`consume: 'background'`) joining its consumer groups in the background. Its first middleware
 * is the graceful stop's (`shutdown`), which runService binds to SIGTERM/SIGINT.
 */
export async function createServiceApp(
  title: string,
  services: readonly RegisterService[],
  config: RuntimeConfig,
  options: ServiceAppOptions = {},
): Promise<{ app: INestApplication; hub: ServiceHub; shutdown: GracefulShutdown; metrics: RuntimeMetrics }> {
  const hub = new ServiceHub(new TokenVerifier(config.auth));
  const metrics = new RuntimeMetrics(hub, { instance: config.instance, service: serviceOfTitle(title), processMetrics: options.processMetrics });
  hub.observer = metrics;
  // The readiness probe reads the graceful stop's flag (made once the app exists).
  const stop: { shutdown?: GracefulShutdown } = {};
  const controllers = [HealthController, AuditController, AuditKeysController, AdminController, DeadLettersController, ...(config.auth.kind === 'local' ? [localIssuerController(config.auth.issuer)] : [])];
  const app = await NestFactory.create(
    {
      module: HostModule,
      imports: [
        // Per caller: the subject of a VERIFIED token, else the client address (a forged token
        // naming someone else counts against its sender, never against the one it names).
        // Commands, reads and the audit trail (which recomputes hash chains) each have a budget.
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'commands', ttl: 60_000, limit: config.commandsPerMinute ?? 120, skipIf: (context) => isRead(context) },
            { name: 'reads', ttl: 60_000, limit: config.readsPerMinute ?? 1200, skipIf: (context) => !isRead(context) || isAudit(context) },
            { name: 'audit', ttl: 60_000, limit: config.auditPerMinute ?? 30, skipIf: (context) => !isAudit(context) },
          ],
          getTracker: (request: Record<string, any>) => callerKey(hub.tokens, request),
          errorMessage: 'too many requests: slow down',
        }),
        TerminusModule.forRoot({ logger: false }),
        ...services.map((register) => register(config, hub)),
      ],
      controllers,
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }, { provide: ServiceHub, useValue: hub }, { provide: OrgChart, useValue: config.org }, { provide: TokenVerifier, useValue: hub.tokens },
        { provide: STOPPING, useValue: () => stop.shutdown?.isStopping ?? false }],
    },
    { bodyParser: false, logger: config.log ? nestLogger(config.log) : ['error', 'warn'], abortOnError: false },
  );
  // First of all middleware: once stopping, requests on kept-alive connections get 503 at once.
  const shutdown = (stop.shutdown = new GracefulShutdown(app, hub));
  app.use(shutdown.middleware);
  app.use(metrics.middleware);
  app.use(tracingMiddleware);
  app.use(correlationMiddleware);
  // Prometheus scrapes it without a token: it holds counts and timings, no data of the instance.
  app.getHttpAdapter().get('/metrics', async (_request: Request, response: Response) => {
    response.setHeader('Content-Type', metrics.registry.contentType);
    response.end(await metrics.registry.metrics());
  });
  configureHttp(app, { title, log: config.log, topicPrefix: config.bus.kind === 'kafka' ? config.bus.topicPrefix : undefined,
    connectSources: config.auth.kind === 'oidc' ? [new URL(config.auth.issuer).origin] : [] });
  app.useGlobalInterceptors(new PreconditionsInterceptor(hub));
  await app.init();
  // The in-memory read models (one-process mode) are rebuilt before this returns, so before any
  // read is served; only the bus consumers may still be joining when consume is 'background'.
  await hub.start({ background: options.consume === 'background', log: config.log });
  return { app, hub, shutdown, metrics };
}

/**
 * Entry point of a service process: configuration from the environment, port from PORT. HTTP
 * listens as soon as the storage is open (and, in the one-process mode, the read models rebuilt),
 * before the consumer groups joined; SIGTERM/SIGINT stop it gracefully within
 * DOTPHA_SHUTDOWN_TIMEOUT_MS. A failure to start ends the process with code 1.
 */
export async function runService(title: string, ...services: RegisterService[]): Promise<void> {
  let log: Log = createLog({ service: serviceOfTitle(title), instance: process.env.DOTPHA_INSTANCE ?? 'unknown' });
  try {
    const fromEnv = configFromEnv();
    // One JSON line per log entry (pino), with the service and instance on each.
    log = createLog({ service: serviceOfTitle(title), instance: fromEnv.instance });
    const config: RuntimeConfig = { ...fromEnv, log };
    const timeoutMs = shutdownTimeoutFromEnv();
    // Spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; flushed before the process exits.
    const stopTracing = startTracing(serviceOfTitle(title), config.instance);
    const { app, shutdown } = await createServiceApp(title, services, config, { consume: 'background', processMetrics: true });
    const exit = (code: number) => void (stopTracing?.() ?? Promise.resolve()).finally(() => process.exit(code));
    shutdown.onSignals({ timeoutMs, log, exit });
    await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
    // The port listened on (PORT=0: one the system chose).
    const { port } = app.getHttpServer().address() as AddressInfo;
    if (!config.auditKey) {
      config.log?.(`${title}: checkpoints are signed with a development key made up at start (GET /api/v1/audit/keys); set DOTPHA_AUDIT_KEY or DOTPHA_AUDIT_KEY_FILE to sign with the instance's key`);
    }
    config.log?.(`${title} for instance '${config.instance}' on http://${process.env.HOST ?? '127.0.0.1'}:${port}/api/v1 (docs: /api/docs); storage ${config.storage.kind}, bus ${config.bus.kind}`);
  } catch (error) {
    log(`${title}: could not start`, { err: error, level: 'error' });
    process.exit(1);
  }
}

/** Nest's own lines (start-up errors, an exception it handles itself) through the process's log. */
function nestLogger(log: Log): LoggerService {
  const at = (level: string) => (message: unknown, ...rest: unknown[]) =>
    log(typeof message === 'string' ? message : String((message as Error)?.message ?? message), { level, nest: rest.filter((r) => typeof r === 'string').join(' ') || undefined });
  return { log: at('debug'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('trace') };
}

const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<{ method: string; path?: string; url?: string }>();
const isRead = (context: ExecutionContext) => ['GET', 'HEAD', 'OPTIONS'].includes(requestOf(context).method);
const isAudit = (context: ExecutionContext) => /^\/api\/v1\/audit\//.test(requestOf(context).path ?? requestOf(context).url ?? '');

/** Whom a request counts against: the verified subject, else the client address. */
async function callerKey(tokens: TokenVerifier, request: Record<string, any>): Promise<string> {
  try {
    return `sub:${(await tokens.verify(request.headers?.authorization)).userId}`;
  } catch {
    return `ip:${String(request.ip)}`;
  }
}
