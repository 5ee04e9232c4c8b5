import { type ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { type Outcome, errorText, failed, ok } from '../lib/stats';

export interface FootprintResult {
  readonly command: string;
  /** RSS in MiB of the one-process mode at rest, sampled once a second after it answered. */
  readonly restRss: Outcome;
  readonly startSeconds?: number;
}

const REPO = path.resolve(__dirname, '..', '..');
const COMMAND = ['-r', './tools/swc-register.js', 'apps/platform/src/main.ts'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the one-process mode (embedded store, in-process bus, sample province) as `npm start`
 * does, waits until its HTTP docs answer, lets it settle, then samples its resident set size.
 */
export async function footprintSuite(samples: number, log: (m: string) => void): Promise<FootprintResult> {
  const command = `node ${COMMAND.join(' ')}`;
  if (!fs.existsSync(path.join(REPO, 'apps', 'platform', 'src', 'main.ts'))) {
    return { command, restRss: failed('pending: apps/platform/src/main.ts does not exist yet') };
  }
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dotpha-bench-platform-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DOTPHA_DATA_DIR: dataDir };
  // The one-process mode: no server addresses.
  for (const key of ['DOTPHA_MONGO_URL', 'DOTPHA_KAFKA_BROKERS']) delete env[key];
  const logFile = path.join(dataDir, 'platform.log');
  const out = fs.openSync(logFile, 'a');
  const started = Date.now();
  const child = spawn(process.execPath, COMMAND, { cwd: REPO, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited early (code ${code}, signal ${signal})`));
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (exited) throw new Error(`${exited}; log: ${tail(logFile)}`);
      if (Date.now() > deadline) throw new Error(`did not answer on /api/docs within 120 s; log: ${tail(logFile)}`);
      const status = await fetch(`http://127.0.0.1:${port}/api/docs`).then((r) => r.status, () => 0);
      if (status === 200) break;
      await sleep(250);
    }
    const startSeconds = (Date.now() - started) / 1000;
    log(`footprint: the one-process mode answered after ${startSeconds.toFixed(1)} s; settling`);
    await sleep(5000);
    const rss: number[] = [];
    for (let i = 0; i < samples; i++) {
      rss.push(residentMiB(child.pid!));
      await sleep(1000);
    }
    return { command, restRss: ok(rss), startSeconds };
  } catch (error) {
    return { command, restRss: failed(`pending: the one-process mode did not run here (${errorText(error)})`) };
  } finally {
    await stop(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function residentMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error('no VmRSS in /proc');
  return kb / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ').slice(0, 300);
  } catch {
    return '(none)';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
