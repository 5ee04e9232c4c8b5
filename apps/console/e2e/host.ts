import { type ChildProcess, execFileSync, spawn } from 'child_process';
import { generateKeyPairSync, randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

export const REPO = join(__dirname, '..', '..', '..');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });

/** SIGTERM, then SIGKILL if the process has not ended within `ms`. */
async function stopChild(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null) return;
  const ended = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([ended, new Promise((r) => setTimeout(r, ms).unref())]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export interface Host {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Builds the console if its sources changed, then runs `npm start`'s host on a free port and its own data directory;
 * `env` gives more of its environment once its URL is known (an OpenID Connect provider redirecting to it).
 */
export async function startHost(log: (m: string) => void, env: (url: string) => Promise<NodeJS.ProcessEnv> = async () => ({})): Promise<Host> {
  execFileSync(process.execPath, [join(REPO, 'apps/console/tools/build.mjs'), '--if-needed'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const more = await env(url);
  const dataDir = mkdtempSync(join(tmpdir(), 'dotpha-console-'));
  const child: ChildProcess = spawn(process.execPath, ['-r', './tools/swc-register.js', 'apps/platform/src/main.ts'], {
    cwd: REPO,
    // The one-process mode as `npm start` runs it (the embedded store, the in-process bus), whatever servers npm test names.
    env: { ...process.env, DOTPHA_MONGO_URL: '', DOTPHA_KAFKA_BROKERS: '', ...more, PORT: String(port), HOST: '127.0.0.1', DOTPHA_DATA_DIR: dataDir, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the host ended with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/v1/auth/config`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the host did not answer within 90 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  log(`console test: host at ${url}`);
  return {
    url,
    async stop() {
      await stopChild(child, 10_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The distributed mode (`npm run start:distributed`): the five services as processes on the test
 * Kafka and MongoDB (DOTPHA_KAFKA_BROKERS, DOTPHA_MONGO_URL, set by `npm test`), each on its own
 * topics and databases for this run, and the console's gateway in front of them.
 */
export async function startDistributedHost(log: (m: string) => void): Promise<Host> {
  const { DOTPHA_KAFKA_BROKERS: brokers, DOTPHA_MONGO_URL: mongo } = process.env;
  if (!brokers || !mongo) throw new Error('the distributed console test needs DOTPHA_KAFKA_BROKERS and DOTPHA_MONGO_URL (npm test sets them; or source the env of test/infra/up.mjs)');
  const run = `con${randomUUID().slice(0, 8)}`;
  const child: ChildProcess = spawn(process.execPath, [join(REPO, 'test/infra/distributed.mjs')], {
    cwd: REPO,
    env: {
      ...process.env, DOTPHA_BASE_PORT: '0', DOTPHA_GATEWAY: 'on', DOTPHA_SERVICE_OUTPUT: 'ignore', DOTPHA_TOPIC_PREFIX: run, DOTPHA_DB_PREFIX: run,
      DOTPHA_LOCAL_ISSUER_KEY: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /DOTPHA_GATEWAY (\S+)/.exec(output);
      if (line) resolve(line[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
    child.on('exit', (code) => reject(new Error(`the distributed mode ended with ${code}:\n${output}`)));
  });
  log(`console test: gateway of the distributed mode at ${url}`);
  return {
    url,
    stop: () => stopChild(child, 20_000),
  };
}
