import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { type RuntimeConfig, configFromEnv } from './config';
import { configureHttp } from './http';
import { ServiceHub } from './hub';
import { TokenVerifier } from './auth';
import { AdminController, AuditController, localIssuerController } from './host.controllers';
import { OrgChart } from '@dotpha/org';

export type RegisterService = (config: RuntimeConfig, hub: ServiceHub) => DynamicModule;

@Module({})
class HostModule {}

/** Builds an HTTP app hosting the given services, started and consuming, not yet listening. */
export async function createServiceApp(
  title: string,
  services: readonly RegisterService[],
  config: RuntimeConfig,
): Promise<{ app: INestApplication; hub: ServiceHub }> {
  const hub = new ServiceHub(new TokenVerifier(config.auth));
  const controllers = [AuditController, AdminController, ...(config.auth.kind === 'local' ? [localIssuerController(config.auth.issuer)] : [])];
  const app = await NestFactory.create(
    {
      module: HostModule,
      imports: [
        // Per caller (their bearer token), on commands only: reads stay free, writes are bounded.
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'commands', ttl: 60_000, limit: config.commandsPerMinute ?? 120 }],
          getTracker: (request: Record<string, any>) => callerKey(request.headers?.authorization) ?? String(request.ip),
          skipIf: (context) => ['GET', 'HEAD', 'OPTIONS'].includes(context.switchToHttp().getRequest().method),
          errorMessage: 'too many commands: slow down',
        }),
        ...services.map((register) => register(config, hub)),
      ],
      controllers,
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }, { provide: ServiceHub, useValue: hub }, { provide: OrgChart, useValue: config.org }, { provide: TokenVerifier, useValue: hub.tokens }],
    },
    { bodyParser: false, logger: ['error', 'warn'], abortOnError: false },
  );
  configureHttp(app, { title, log: config.log });
  app.enableShutdownHooks();
  await app.init();
  await hub.start();
  return { app, hub };
}

/** Entry point of a service process: configuration from the environment, port from PORT. */
export async function runService(title: string, ...services: RegisterService[]): Promise<void> {
  const config = configFromEnv();
  const { app } = await createServiceApp(title, services, config);
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  config.log?.(`${title} for instance '${config.instance}' on http://${process.env.HOST ?? '127.0.0.1'}:${port}/api/v1 (docs: /api/docs); storage ${config.storage.kind}, bus ${config.bus.kind}`);
}

/**
 * The subject a bearer token names, read without verifying it: only to count requests per caller
 * (a forged token is refused with 401 right after, by the caller guard).
 */
function callerKey(authorization: unknown): string | undefined {
  const payload = typeof authorization === 'string' ? authorization.split('.')[1] : undefined;
  try {
    const sub = payload ? JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).sub : undefined;
    return typeof sub === 'string' ? `sub:${sub}` : undefined;
  } catch {
    return undefined;
  }
}
