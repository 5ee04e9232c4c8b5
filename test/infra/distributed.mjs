// `npm run start:distributed`: each service in its own process on Kafka and MongoDB.
// Uses DOTPHA_KAFKA_BROKERS / DOTPHA_MONGO_URL when set, otherwise starts the test servers
// (test/infra/servers.mjs) for as long as it runs. Services listen on 3001..3005 (DOTPHA_BASE_PORT);
// the console's own deployable, the gateway (apps/platform/src/gateway.ts: the built console, each
// /api/v1 route forwarded to the service that owns it), on the port below them, 3000: a user opens
// http://localhost:3000 (DOTPHA_GATEWAY=off: the five services only; with DOTPHA_BASE_PORT=0 only when
// DOTPHA_GATEWAY=on).
//
// Also imported by the distributed end-to-end tests: startDistributed() returns the URLs and stop()
// (with `gateway: true`, also the gateway's URL).

import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForHttp } from './local-http.js';
import { REPO_ROOT, freePorts, startServers } from './servers.mjs';

export const SERVICES = ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards'];
const REGISTER = path.join(REPO_ROOT, 'tools', 'swc-register.js');

/** Starts the five services as processes (and the console's gateway when asked); `ports` defaults to free ones, the gateway's just below the services'. */
export async function startDistributed({ kafkaBrokers, mongoUrl, env = {}, ports, gateway = false, log = () => {}, output = 'ignore' }) {
  const free = ports ? undefined : await freePorts(SERVICES.length + 1);
  const chosen = ports ?? free.slice(1);
  const gatewayPort = ports ? ports[0] - 1 : free[0];
  const children = [];
  // A service stops by itself within DOTPHA_SHUTDOWN_TIMEOUT_MS of SIGTERM (exit 1 past it); SIGKILL only after that.
  const bound = Number(env.DOTPHA_SHUTDOWN_TIMEOUT_MS ?? process.env.DOTPHA_SHUTDOWN_TIMEOUT_MS ?? 10_000);
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), bound + 2000).unref();
          }),
      ),
    );
  };
  const run = (main, port, extra = {}) => {
    const child = spawn(process.execPath, ['-r', REGISTER, path.join(REPO_ROOT, 'apps', main)], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, DOTPHA_KAFKA_BROKERS: kafkaBrokers, DOTPHA_MONGO_URL: mongoUrl, PORT: String(port), HOST: '127.0.0.1', ...extra },
      stdio: ['ignore', output, output === 'ignore' ? 'pipe' : output],
    });
    // Quiet services still keep the end of their error output, to say why one died.
    child.stderrTail = '';
    child.stderr?.on('data', (chunk) => (child.stderrTail = (child.stderrTail + chunk.toString()).slice(-4000)));
    children.push(child);
    return child;
  };
  try {
    const urls = {};
    for (const [i, service] of SERVICES.entries()) {
      run(path.join(service, 'src', 'main.ts'), chosen[i]);
      urls[service] = `http://127.0.0.1:${chosen[i]}`;
    }
    // Three minutes: on a loaded machine (npm test runs suites side by side) five NestJS processes start slowly.
    await Promise.all(SERVICES.map((s, i) => waitForHttp(`${urls[s]}/api/docs`, { child: children[i], timeoutMs: 180_000, describe: () => children[i].stderrTail ?? '' })));
    log(`services up: ${SERVICES.map((s) => `${s} ${urls[s]}`).join(', ')}`);
    if (!gateway) return { urls, stop, children };
    // The console first (when its sources changed), then the gateway that serves it and reads the services' OpenAPI documents.
    // (In a child: the build sets NODE_ENV=production, which the processes started after it would inherit.)
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'apps', 'console', 'tools', 'build.mjs'), '--if-needed'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const child = run(path.join('platform', 'src', 'gateway.ts'), gatewayPort, { DOTPHA_GATEWAY_SERVICES: JSON.stringify(urls) });
    await waitForHttp(`${gatewayUrl}/health/live`, { child, timeoutMs: 60_000, describe: () => child.stderrTail ?? '' });
    log(`console and API at ${gatewayUrl}`);
    return { urls, gateway: gatewayUrl, stop, children };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const log = (m) => process.stderr.write(`[distributed] ${m}\n`);
  let servers;
  let kafkaBrokers = process.env.DOTPHA_KAFKA_BROKERS;
  let mongoUrl = process.env.DOTPHA_MONGO_URL;
  if (!kafkaBrokers || !mongoUrl) {
    servers = await startServers({ log });
    kafkaBrokers = servers.kafka.brokers;
    mongoUrl = servers.mongo.url;
    log(`Kafka: ${servers.kafka.kind} at ${kafkaBrokers}; MongoDB: ${servers.mongo.kind} at ${mongoUrl}`);
  }
  // DOTPHA_BASE_PORT=0 takes free ports (the end-to-end tests do).
  // One local issuer key for the five processes, so a token from any of them works on all.
  if (!process.env.DOTPHA_OIDC_ISSUER && !process.env.DOTPHA_LOCAL_ISSUER_KEY) {
    process.env.DOTPHA_LOCAL_ISSUER_KEY = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  }
  const base = Number(process.env.DOTPHA_BASE_PORT ?? 3001);
  const ports = base === 0 ? undefined : SERVICES.map((_, i) => base + i);
  // The end-to-end tests (DOTPHA_BASE_PORT=0) call the services directly: the gateway only with DOTPHA_GATEWAY=on there.
  const withGateway = process.env.DOTPHA_GATEWAY ? process.env.DOTPHA_GATEWAY === 'on' : base !== 0;
  const running = await startDistributed({ kafkaBrokers, mongoUrl, ports, gateway: withGateway, log, output: process.env.DOTPHA_SERVICE_OUTPUT ?? 'inherit' });
  if (withGateway) process.stdout.write(`DOTPHA_GATEWAY ${running.gateway}\n`);
  process.stdout.write(`DOTPHA_URLS ${JSON.stringify(running.urls)}\n`);
  const shutdown = async () => {
    await running.stop();
    await servers?.stop();
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, shutdown);
}
