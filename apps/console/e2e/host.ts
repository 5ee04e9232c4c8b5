import { type ChildProcess, execFileSync, spawn } from 'child_process';
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
    env: { ...process.env, ...more, PORT: String(port), HOST: '127.0.0.1', DOTPHA_DATA_DIR: dataDir, NODE_ENV: 'development' },
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
      if (child.exitCode === null) {
        const ended = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([ended, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
