import { type ChildProcess, spawn } from 'child_process';
import { closeSync, openSync, readFileSync } from 'fs';
import { join } from 'path';
import { randomUUID } from 'crypto';
import { createInterface } from 'readline';
import { createServer } from 'net';
import { LocalIssuer, newAuditKeyPem } from '@dotpha/service-runtime';
import { everyPage, signTokenSync } from '@dotpha/testkit';
import { proposalContent } from '../e2e/fixtures';

/**
 * The fault lab (issue 16): its own Kafka broker and FerretDB (servers-control.mjs, a child process
 * that owns them), the five services as processes the way test/infra/distributed.mjs starts them,
 * each restartable on its port, and a bounded load of proposal submissions over HTTP.
 */

export const REPO_ROOT = join(__dirname, '..', '..');
const REGISTER = join(REPO_ROOT, 'tools', 'swc-register.js');
export const SERVICES = ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type ServerName = 'kafka' | 'mongo';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `promise` settles within `ms`; its timer never outlives the answer (no open handle left behind). */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
export const say = (line: string) => process.stdout.write(`[faults] ${line}\n`);

/** Every process this module started, killed when the test process ends however it ends. */
const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started) {
    try {
      if (child.pid) process.kill(child.pid, 'SIGCONT');
      child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
});

interface ServerInfo {
  readonly kind: string;
  readonly logFile: string;
}

/** The suite's own broker and database, driven through servers-control.mjs. */
export class FaultServers {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Record<string, unknown>) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly dir: string,
    readonly kafka: ServerInfo & { readonly brokers: string },
    readonly mongo: ServerInfo & { readonly url: string },
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let reply: Record<string, unknown>;
      try {
        reply = JSON.parse(line);
      } catch {
        return;
      }
      const resolve = this.waiting.get(reply.id as number);
      this.waiting.delete(reply.id as number);
      resolve?.(reply);
    });
  }

  static async start(): Promise<FaultServers> {
    const child = spawn(process.execPath, [join(__dirname, 'servers-control.mjs')], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    started.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    const ready = await new Promise<Record<string, any>>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const onLine = (line: string) => {
        if (!line.includes('"event"')) return;
        lines.off('line', onLine);
        lines.close();
        resolve(JSON.parse(line));
      };
      lines.on('line', onLine);
      child.once('exit', (code) => reject(new Error(`the fault servers exited (${code}):\n${stderr}`)));
    });
    if (ready.event !== 'ready') throw new Error(`the fault servers did not start: ${ready.error}\n${stderr}`);
    return new FaultServers(child, ready.dir, ready.kafka, ready.mongo);
  }

  private request(op: Record<string, unknown>, timeoutMs = 180_000): Promise<Record<string, any>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fault servers: no answer to ${JSON.stringify(op)} in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.ok) resolve(reply);
        else reject(new Error(`fault servers: ${JSON.stringify(op)} failed: ${reply.error}`));
      });
      this.child.stdin!.write(`${JSON.stringify({ id, ...op })}\n`);
    });
  }

  /** Sends a signal to the broker or the database; SIGKILL and SIGTERM resolve once it has exited. */
  async signal(server: ServerName, signal: NodeJS.Signals): Promise<number> {
    return (await this.request({ op: 'signal', server, signal })).at;
  }

  /** Starts a killed server again on its data and address; resolves when it serves. */
  async start(server: ServerName): Promise<{ spawnedAt: number; readyAt: number }> {
    const { spawnedAt, readyAt } = await this.request({ op: 'start', server });
    return { spawnedAt, readyAt };
  }

  /** The servers' process also kills this one when the suite is gone. */
  adopt(pid: number): Promise<unknown> {
    return this.request({ op: 'adopt', pid });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.request({ op: 'stop' }, 60_000).catch(() => this.child.kill('SIGKILL'));
    await within(exited, 60_000);
    started.delete(this.child);
  }
}

/** One service process (or one replica of it) on a fixed port, restartable with the same environment. */
export class ServiceProcess {
  child: ChildProcess | undefined;
  /** How many times it was started. */
  starts = 0;

  constructor(
    readonly name: ServiceName,
    readonly replica: number,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
    private readonly adopt: (pid: number) => Promise<unknown>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get label(): string {
    return this.replica === 1 ? this.name : `${this.name}#${this.replica}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the process; returns the moment it was spawned (it answers HTTP later). */
  async start(): Promise<number> {
    if (this.running) throw new Error(`${this.label} is already running`);
    const fd = openSync(this.logFile, 'a');
    const at = Date.now();
    const child = spawn(process.execPath, ['-r', REGISTER, join(REPO_ROOT, 'apps', this.name, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: { ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    started.add(child);
    child.once('exit', () => started.delete(child));
    this.child = child;
    this.starts++;
    if (child.pid) await this.adopt(child.pid);
    return at;
  }

  /** Sends a signal; SIGKILL and SIGTERM resolve once the process has exited. */
  async signal(signal: NodeJS.Signals): Promise<number> {
    const child = this.child;
    if (!child?.pid || !this.running) throw new Error(`${this.label} is not running`);
    const at = Date.now();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') {
      if (!(await within(exited, 30_000))) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    return at;
  }

  /** Resolves once it answers HTTP (any status), or fails when it exits or the time is up. */
  async answering(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.label} exited (code ${this.child?.exitCode}, signal ${this.child?.signalCode}); end of ${this.logFile}:\n${this.tail()}`);
      try {
        await fetch(`${this.url}/api/docs`, { signal: AbortSignal.timeout(2000) });
        return Date.now();
      } catch {
        await sleep(200);
      }
    }
    throw new Error(`${this.label} did not answer within ${timeoutMs} ms; end of ${this.logFile}:\n${this.tail()}`);
  }

  tail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    try {
      if (this.child?.pid) process.kill(this.child.pid, 'SIGCONT');
    } catch {
      /* gone */
    }
    await this.signal('SIGTERM');
  }
}

/** The five services over the lab's servers; one local issuer key and one audit key shared by all. */
export class Cluster {
  readonly prefix = `f${randomUUID().slice(0, 8)}`;
  readonly issuer: LocalIssuer;
  readonly processes: ServiceProcess[] = [];
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly servers: FaultServers) {
    const key = LocalIssuer.newPem();
    this.issuer = LocalIssuer.fromPem(key);
    // Nothing of the shared test servers' environment reaches the services.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DOTPHA_')));
    this.env = {
      ...inherited,
      DOTPHA_KAFKA_BROKERS: servers.kafka.brokers,
      DOTPHA_MONGO_URL: servers.mongo.url,
      DOTPHA_TOPIC_PREFIX: this.prefix,
      DOTPHA_DB_PREFIX: this.prefix,
      DOTPHA_LOCAL_ISSUER_KEY: key,
      DOTPHA_AUDIT_KEY: newAuditKeyPem(),
      DOTPHA_COMMANDS_PER_MINUTE: '100000',
      DOTPHA_READS_PER_MINUTE: '100000',
      DOTPHA_AUDIT_PER_MINUTE: '100000',
    };
  }

  /** The first replica of each service, or the given one. */
  service(name: ServiceName, replica = 1): ServiceProcess {
    const found = this.processes.find((p) => p.name === name && p.replica === replica);
    if (!found) throw new Error(`no ${name} replica ${replica}`);
    return found;
  }

  /** A service replica that is running (requests go there). */
  url(name: ServiceName): string {
    const running = this.processes.filter((p) => p.name === name && p.running);
    return (running[0] ?? this.service(name)).url;
  }

  async add(name: ServiceName, replica: number): Promise<ServiceProcess> {
    const port = await freePort();
    const process_ = new ServiceProcess(name, replica, port, this.env, join(this.servers.dir, `${name}-${replica}.log`), (pid) => this.servers.adopt(pid));
    this.processes.push(process_);
    await process_.start();
    return process_;
  }

  async startAll(timeoutMs: number): Promise<void> {
    for (const name of SERVICES) await this.add(name, 1);
    await Promise.all(this.processes.map((p) => p.answering(timeoutMs)));
  }

  /** SIGKILLs and starts again every service process (and waits until each answers). */
  async restartAll(timeoutMs: number): Promise<void> {
    const live = this.processes.filter((p) => p.replica === 1 || p.running);
    for (const p of live) {
      if (p.running) await p.signal('SIGKILL');
    }
    for (const p of live) await p.start();
    await Promise.all(live.map((p) => p.answering(timeoutMs)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop().catch(() => undefined)));
  }
}

export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly error?: string;
  /** A list's next page (`X-Next-Cursor`), absent on its last page. */
  readonly nextCursor?: string;
}

/** One HTTP call as a user of the sample province; status 0 when no answer came (refused, reset, timed out). */
export async function call(
  cluster: Cluster,
  service: ServiceName,
  method: string,
  path: string,
  userId: string,
  options: { role?: string; body?: unknown; timeoutMs?: number; /** one replica's address instead of the first running one */ url?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { authorization: `Bearer ${token(cluster, userId)}`, 'content-type': 'application/json' };
  if (options.role) headers['x-role'] = options.role;
  try {
    const response = await fetch(`${options.url ?? cluster.url(service)}/api/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: response.status, body, nextCursor: response.headers.get('x-next-cursor') ?? undefined };
  } catch (error) {
    return { status: 0, body: undefined, error: (error as Error).name === 'TimeoutError' ? 'timeout' : String((error as Error).cause ?? (error as Error).message) };
  }
}

/** Every page of a list (the server pages them, issue 14): the pages' items together, or the first failed answer. */
export async function callAll(cluster: Cluster, service: ServiceName, path: string, userId: string, options: { role?: string; timeoutMs?: number } = {}): Promise<Reply> {
  const pages = await everyPage(async (cursor): Promise<Reply & { headers: Record<string, string> }> => {
    const reply = await call(cluster, service, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, userId, options);
    // A failed page names no next one, so the walk ends at it.
    const headers: Record<string, string> = reply.nextCursor ? { 'x-next-cursor': reply.nextCursor } : {};
    return { ...reply, headers };
  });
  const failed = pages.find((page) => page.status !== 200 || !Array.isArray(page.body));
  return failed ?? { status: 200, body: pages.flatMap((page) => page.body as unknown[]) };
}

const tokens = new Map<string, { token: string; until: number }>();
function token(cluster: Cluster, userId: string): string {
  const key = `${cluster.prefix}:${userId}`;
  const cached = tokens.get(key);
  if (cached && cached.until > Date.now()) return cached.token;
  const minted = signTokenSync(cluster.issuer, userId, 3600);
  tokens.set(key, { token: minted, until: Date.now() + 3_000_000 });
  return minted;
}

/** A cadre of Phòng Văn hóa - Xã hội of Xã An Bình, whose collective is its head alone: each submission opens one review. */
export const PROPOSER = 'u-ab-vhxh-cong-chuc';
export const HEAD = 'u-ab-vhxh-truong-phong';


/** One attempt to draft and submit a proposal; times in ms since the epoch. */
export interface Submission {
  readonly scenario: string;
  readonly n: number;
  readonly startedAt: number;
  proposalId?: string;
  createStatus?: number;
  submitSentAt?: number;
  submitStatus?: number;
  submitAckAt?: number;
  error?: string;
}

/**
 * A bounded load: `perSecond` submissions a second (draft, then submit), at most `maxInFlight` at
 * a time (a tick is skipped, and counted, while that many wait: a hanging service is not flooded).
 */
export class Load {
  readonly submissions: Submission[] = [];
  skipped = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly cluster: Cluster,
    readonly scenario: string,
    private readonly perSecond = 3,
    private readonly maxInFlight = 8,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), Math.round(1000 / this.perSecond));
  }

  async stop(graceMs = 30_000): Promise<void> {
    clearInterval(this.timer);
    await within(Promise.all(this.inFlight), graceMs);
  }

  private tick(): void {
    if (this.inFlight.size >= this.maxInFlight) {
      this.skipped++;
      return;
    }
    const s: Submission = { scenario: this.scenario, n: this.submissions.length + 1, startedAt: Date.now() };
    this.submissions.push(s);
    const run = this.submit(s).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async submit(s: Submission): Promise<void> {
    const created = await call(this.cluster, 'proposals', 'POST', '/proposals', PROPOSER, {
      body: proposalContent(`Đề xuất ${this.scenario} ${s.n}`),
    });
    s.createStatus = created.status;
    if (created.status !== 201) {
      s.error = `draft: ${created.status} ${created.error ?? JSON.stringify(created.body)?.slice(0, 200)}`;
      return;
    }
    s.proposalId = created.body.proposalId;
    s.submitSentAt = Date.now();
    const submitted = await call(this.cluster, 'proposals', 'POST', `/proposals/${s.proposalId}/submit`, PROPOSER);
    s.submitStatus = submitted.status;
    if (submitted.status === 200) s.submitAckAt = Date.now();
    else s.error = `submit: ${submitted.status} ${submitted.error ?? JSON.stringify(submitted.body)?.slice(0, 200)}`;
  }
}
