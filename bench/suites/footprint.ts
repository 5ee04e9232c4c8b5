import { type ChildProcess, execFileSync, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import { type Caller, PROPOSERS, percentile, startLoad } from '../lib/load';
import type { Params } from '../lib/params';
import { type Outcome, errorText, failed, ok } from '../lib/stats';
import { freePorts, waitForHttp } from '../../test/infra/local-http';

export interface FootprintResult {
  readonly command: string;
  /** RSS in MiB of the one-process mode at rest, sampled once a second after it answered. */
  readonly restRss: Outcome;
  /** RSS in MiB under a steady open-loop command load, sampled once a second after a warm-up. */
  readonly loadRss?: Outcome;
  readonly load?: LoadFacts;
  readonly startSeconds?: number;
  /** Each service as the image runs it (deploy/build.mjs, plain node) on the bench's Kafka and MongoDB: the chart's requests. */
  readonly services?: ServiceFootprint;
}

export interface ServiceFootprint {
  /** RSS in MiB at rest, sampled once a second after /health/ready answered 200 and 5 s of settling. */
  readonly rows: readonly { readonly service: string; readonly restRss: Outcome }[];
  /** What deploy/helm/dotpha/values.yaml requests and limits for each service's memory. */
  readonly chartRequest?: string;
  readonly chartLimit?: string;
}

export const SERVICES = ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards'] as const;

export interface LoadFacts {
  /** Nominal HTTP commands per second (half drafts, half submissions). */
  readonly rate: number;
  readonly warmupSeconds: number;
  /** Commands issued while the RSS was sampled, per second. */
  readonly achievedRate: number;
  readonly commands: number;
  readonly failedCommands: number;
  /** HTTP answer time of the submissions while sampling, ms. */
  readonly answerP50?: number;
  readonly answerP99?: number;
  readonly callers: number;
}

const LOAD_WARMUP_S = 5;

const REPO = path.resolve(__dirname, '..', '..');
const COMMAND = ['-r', './tools/swc-register.js', 'apps/platform/src/main.ts'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the one-process mode (embedded store, in-process bus, sample province) as `npm start`
 * does, waits until its HTTP docs answer, lets it settle, then samples its resident set size.
 */
export async function footprintSuite(params: Params, servers: { mongoUrl: string; kafkaBrokers: readonly string[] }, log: (m: string) => void): Promise<FootprintResult> {
  const host = await oneProcessFootprint(params, log);
  let services: ServiceFootprint;
  try {
    services = await compiledServicesFootprint(params, servers, log);
  } catch (error) {
    services = { rows: SERVICES.map((service) => ({ service, restRss: failed(`not built: ${errorText(error)}`) })) };
  }
  return { ...host, services };
}

async function oneProcessFootprint(params: Params, log: (m: string) => void): Promise<FootprintResult> {
  const samples = params.footprintSamples;
  const command = `node ${COMMAND.join(' ')}`;
  if (!fs.existsSync(path.join(REPO, 'apps', 'platform', 'src', 'main.ts'))) {
    return { command, restRss: failed('pending: apps/platform/src/main.ts does not exist yet') };
  }
  const [port] = await freePorts(1);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dotpha-bench-platform-'));
  // The per-caller command limit (default 120 a minute) would refuse the load itself.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DOTPHA_DATA_DIR: dataDir, DOTPHA_COMMANDS_PER_MINUTE: '1000000' };
  // The one-process mode: no server addresses.
  for (const key of ['DOTPHA_MONGO_URL', 'DOTPHA_KAFKA_BROKERS']) delete env[key];
  const logFile = path.join(dataDir, 'platform.log');
  const out = fs.openSync(logFile, 'a');
  const started = Date.now();
  const child = spawn(process.execPath, COMMAND, { cwd: REPO, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/docs`, answered200(child, logFile));
    const startSeconds = (Date.now() - started) / 1000;
    log(`footprint: the one-process mode answered after ${startSeconds.toFixed(1)} s; settling`);
    const restRss = ok(await restingMiB(child.pid!, samples));
    let loaded: Pick<FootprintResult, 'loadRss' | 'load'>;
    try {
      loaded = await underLoad(`http://127.0.0.1:${port}`, child, params, log);
    } catch (error) {
      loaded = { loadRss: failed(`the load did not run: ${errorText(error)}`) };
    }
    return { command, restRss, ...loaded, startSeconds };
  } catch (error) {
    return { command, restRss: failed(`pending: the one-process mode did not run here (${errorText(error)})`) };
  } finally {
    await stop(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The same open-loop draft-and-submit pairs as the end-to-end figure, at `footprintLoadRate`
 * commands/s against the one-process mode, with tokens from its local issuer (`POST /auth/token`);
 * RSS once a second after a warm-up.
 */
async function underLoad(base: string, child: ChildProcess, params: Params, log: (m: string) => void): Promise<Pick<FootprintResult, 'loadRss' | 'load'>> {
  const callers: Caller[] = [];
  for (const userId of PROPOSERS.slice(0, Math.min(params.e2eCallers, PROPOSERS.length))) {
    const response = await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
    const body = (await response.json()) as { access_token?: string };
    if (!response.ok || !body.access_token) throw new Error(`POST /auth/token for ${userId} answered ${response.status}`);
    callers.push({ userId, token: body.access_token });
  }
  const rate = params.footprintLoadRate;
  const samples = params.footprintLoadSamples;
  log(`footprint: ${rate} commands/s for ${LOAD_WARMUP_S} s, then ${samples} RSS samples`);
  const load = startLoad({ baseUrl: base, callers, rate, durationMs: (LOAD_WARMUP_S + samples + 1) * 1000, requestTimeoutMs: params.stepTimeoutMs, tag: 'footprint' });
  const sampleStart = load.start + LOAD_WARMUP_S * 1000;
  await sleep(Math.max(0, sampleStart - performance.now()));
  const rss: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (child.exitCode !== null) throw new Error('the one-process mode exited under the load');
    rss.push(residentMiB(child.pid!));
    await sleep(1000);
  }
  const sampleEnd = performance.now();
  await load.done;
  const inside = (t: number | undefined) => t !== undefined && t >= sampleStart && t < sampleEnd;
  const commands = load.items.reduce((n, item) => n + (inside(item.draftIssued) ? 1 : 0) + (inside(item.submitIssued) ? 1 : 0), 0);
  const answers = load.items.filter((item) => inside(item.submitIssued) && item.submitAnswered !== undefined).map((item) => item.submitAnswered! - item.submitIssued!);
  const failures = load.items.filter((item) => item.error && inside(item.draftIssued ?? item.submitAt)).length;
  const facts: LoadFacts = {
    rate,
    warmupSeconds: LOAD_WARMUP_S,
    achievedRate: commands / ((sampleEnd - sampleStart) / 1000),
    commands,
    failedCommands: failures,
    ...(answers.length ? { answerP50: percentile(answers, 0.5), answerP99: percentile(answers, 0.99) } : {}),
    callers: callers.length,
  };
  if (load.failures().length) log(`footprint: ${load.failures().length} commands failed under load, e.g. ${load.failures()[0]}`);
  return { loadRss: ok(rss), load: facts };
}

/**
 * The footprint the Helm chart's memory requests come from: deploy/build.mjs compiles the services
 * as the image does, and each one runs alone with plain node against the bench's Kafka and MongoDB
 * (its own database prefix and topic prefix), sampled at rest once it is ready.
 */
async function compiledServicesFootprint(params: Params, servers: { mongoUrl: string; kafkaBrokers: readonly string[] }, log: (m: string) => void): Promise<ServiceFootprint> {
  const dist = path.join(REPO, 'tmp', 'bench-deploy-dist');
  log('footprint: compiling the services as the image does (deploy/build.mjs)');
  execFileSync(process.execPath, [path.join(REPO, 'deploy', 'build.mjs'), dist], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const tag = Date.now().toString(36);
  const rows: { service: string; restRss: Outcome }[] = [];
  for (const service of SERVICES) {
    const [port] = await freePorts(1);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `dotpha-bench-${service}-`));
    const logFile = path.join(dataDir, 'service.log');
    const out = fs.openSync(logFile, 'a');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH, NODE_OPTIONS: '', HOST: '127.0.0.1', PORT: String(port), DOTPHA_DATA_DIR: dataDir,
      DOTPHA_MONGO_URL: servers.mongoUrl, DOTPHA_KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      DOTPHA_DB_PREFIX: `bench_fp_${tag}_`, DOTPHA_TOPIC_PREFIX: `benchfp${tag}`,
    };
    const child = spawn(process.execPath, [path.join(dist, 'apps', service, 'src', 'main.js')], { cwd: dist, env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, answered200(child, logFile));
      const rss = await restingMiB(child.pid!, params.footprintSamples);
      rows.push({ service, restRss: ok(rss) });
      log(`footprint: ${service} (compiled) at rest ${Math.max(...rss).toFixed(1)} MiB`);
    } catch (error) {
      rows.push({ service, restRss: failed(errorText(error)) });
    } finally {
      await stop(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const values = fs.readFileSync(path.join(REPO, 'deploy', 'helm', 'dotpha', 'values.yaml'), 'utf8');
  const resources = /resources:\s*\n\s*requests: \{[^}]*memory: (\S+) \}\s*\n\s*limits: \{ memory: (\S+) \}/.exec(values);
  return { rows, chartRequest: resources?.[1], chartLimit: resources?.[2] };
}

/** How the bench waits for a process it started: a 200 within 120 s, the end of its log in the error. */
const answered200 = (child: ChildProcess, logFile: string) => ({ child, timeoutMs: 120_000, intervalMs: 250, ready: (status: number) => status === 200, describe: () => `log: ${tail(logFile)}` });

/** A process's resident memory at rest: after 5 s of settling, `samples` readings a second apart. */
async function restingMiB(pid: number, samples: number): Promise<number[]> {
  await sleep(5000);
  const rss: number[] = [];
  for (let i = 0; i < samples; i++) {
    rss.push(residentMiB(pid));
    await sleep(1000);
  }
  return rss;
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
