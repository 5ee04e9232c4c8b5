import { readFileSync } from 'fs';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import type { INestApplication } from '@nestjs/common';
import { contextOfEvents } from '@dotpha/contracts';
import { InProcessBroker, InProcessEventBus } from '@dotpha/event-bus-in-process';
import { type InstancePolicy, type OrgChart, loadOrgChart, policyFrom } from '@dotpha/org';
import {
  type LocalIssuer, type RegisterService, type RuntimeConfig, SAMPLE_ORG_FILE, type ServiceHub, createServiceApp,
} from '@dotpha/service-runtime';

export interface OneProcessOptions {
  /** The application's title (createServiceApp). */
  readonly name: string;
  readonly register: RegisterService;
  /** The issuer the service trusts; the test signs its tokens with its key (@dotpha/testkit testTokens). */
  readonly issuer: LocalIssuer;
  /** The sample province unless given. */
  readonly org?: OrgChart;
  /** The policy of an instance that sets nothing unless given. */
  readonly policy?: InstancePolicy;
  /** The service's clock, which a test may move; the machine's unless given. */
  readonly now?: () => Date;
  /** E-mail of the notices through this SMTP server; none unless given. */
  readonly mail?: RuntimeConfig['mail'];
}

export interface OneProcessService {
  readonly app: INestApplication;
  readonly hub: ServiceHub;
  readonly config: RuntimeConfig;
  /** A client of the broker the service consumes: publishes what the other contexts' services would. */
  readonly upstream: InProcessEventBus;
  /** Closes the app (once, however often asked: a spec may stop it to start another on the same store). */
  closeApp(): Promise<void>;
  /** Closes the app and the upstream client and removes the data directory. */
  stop(): Promise<void>;
}

/**
 * One service alone in one process, as the app e2e specs run it: the embedded store in a
 * directory of its own, the in-process bus, listening on a free local port (once: supertest's
 * per-request listeners reset connections under load).
 */
export async function startOneProcessService(options: OneProcessOptions): Promise<OneProcessService> {
  const dataDir = await mkdtemp(join(tmpdir(), `dotpha-${options.name.replace(/\W+/g, '-')}-`));
  const org = options.org ?? loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
  const broker = new InProcessBroker();
  const config: RuntimeConfig = {
    instance: org.instance.code,
    org,
    policy: options.policy ?? policyFrom({}),
    storage: { kind: 'embedded', dataDir },
    auth: { kind: 'local', issuer: options.issuer },
    bus: { kind: 'in-process', broker },
    ...(options.now ? { now: options.now } : {}),
    ...(options.mail ? { mail: options.mail } : {}),
  };
  const { app, hub } = await createServiceApp(options.name, [options.register], config);
  await app.listen(0, '127.0.0.1');
  const upstream = new InProcessEventBus({ instance: org.instance.code, contextOf: contextOfEvents(), broker });
  let closing: Promise<void> | undefined;
  const closeApp = () => (closing ??= app.close());
  return {
    app,
    hub,
    config,
    upstream,
    closeApp,
    async stop() {
      await upstream.close();
      await closeApp();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
