import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { randomUUID } from 'crypto';
import { spawn } from 'child_process';
import type { INestApplication } from '@nestjs/common';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import { loadOrgChart, policyFrom, type PolicyInput } from '@dotpha/org';
import { LocalIssuer, SAMPLE_ORG_FILE, createServiceApp } from '@dotpha/service-runtime';
import { testServers } from '@dotpha/testkit';
import { readFileSync } from 'fs';
// The system tests host the five services as `npm start` does, through the platform's own list.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { allServices } from '../../apps/platform/src/services';

export type ServiceName = 'proposals' | 'approvals' | 'monitoring' | 'evaluation' | 'rewards';

/** The platform under test, whichever way it runs: where each service answers, and how to stop it. */
export interface Platform {
  readonly mode: string;
  url(service: ServiceName): string;
  /** A bearer token for a user of the sample province, from the issuer the services trust. */
  token(userId: string): Promise<string>;
  stop(): Promise<void>;
}

/** All five services in this process: embedded stores in a temp folder, in-process bus. */
export async function startOneProcess(policy: PolicyInput = {}): Promise<Platform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dotpha-e2e-'));
  const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
  const config = {
    instance: org.instance.code,
    org,
    policy: policyFrom(policy),
    storage: { kind: 'embedded' as const, dataDir },
    bus: { kind: 'in-process' as const, broker: new InProcessBroker() },
    auth: { kind: 'local' as const, issuer: new LocalIssuer() },
  };
  const { app } = await createServiceApp('Đột Phá', Object.values(allServices), config);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  return {
    mode: 'one process (embedded store, in-process bus)',
    url: () => base.replace('[::1]', '127.0.0.1'),
    token: (userId) => config.auth.issuer.token(userId),
    stop: async () => {
      await (app as INestApplication).close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Five service processes over the real Kafka broker and MongoDB-compatible server of this test run. */
export async function startDistributed(policy: PolicyInput = {}): Promise<Platform> {
  const servers = testServers();
  const run = randomUUID().slice(0, 8);
  const key = LocalIssuer.newPem();
  const issuer = LocalIssuer.fromPem(key);
  const child = spawn(process.execPath, [join(__dirname, '..', 'infra', 'distributed.mjs')], {
    env: {
      ...process.env,
      DOTPHA_KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      DOTPHA_MONGO_URL: servers.mongoUrl,
      DOTPHA_BASE_PORT: '0',
      DOTPHA_SERVICE_OUTPUT: 'ignore',
      DOTPHA_POLICY: JSON.stringify(policy),
      DOTPHA_LOCAL_ISSUER_KEY: key,
      DOTPHA_TOPIC_PREFIX: `e2e${run}`,
      DOTPHA_DB_PREFIX: `e2e${run}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const urls = await new Promise<Record<ServiceName, string>>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /DOTPHA_URLS (\{.*\})/.exec(output);
      if (line) resolve(JSON.parse(line[1]));
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the distributed services exited (${code}):\n${output}`)));
  });
  return {
    mode: `five processes (${servers.kafkaKind}; ${servers.mongoKind})`,
    url: (service) => urls[service],
    token: (userId) => issuer.token(userId),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
