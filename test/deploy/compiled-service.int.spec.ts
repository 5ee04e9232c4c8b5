/**
 * What the image runs (deploy/Dockerfile): the services compiled to JavaScript by deploy/build.mjs
 * and started with plain `node`, no transpiler loaded. The proposals service answers the chart's
 * probes (/health/live, /health/ready) and /metrics with every metric the Grafana dashboard
 * queries, and stops cleanly on SIGTERM; every other service's compiled module graph loads. The
 * console's gateway, compiled the same way (with the console beside it, as `--console` builds the
 * image), serves the console and forwards the API to the compiled service it is put in front of.
 */
import { type ChildProcess, execFile, spawn } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { freePorts, waitForHttp } from '../infra/local-http';

const ROOT = join(__dirname, '..', '..');
// Inside the repository, so that the compiled files find node_modules as the image's do.
const DIST = join(ROOT, 'tmp', 'deploy-dist');
const exec = promisify(execFile);

/** Starts a compiled entry of DIST with plain node (no transpiler), its output kept for the error that says why it stopped. */
function startCompiled(entry: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [join(DIST, entry)], { cwd: DIST, env: { PATH: process.env.PATH, HOST: '127.0.0.1', NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) yield* files(join(dir, entry.name));
    else yield join(dir, entry.name);
  }
}

/** The metric names the dashboard's queries use (a histogram's _bucket/_sum/_count is the histogram). */
function dashboardMetrics(): string[] {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy', 'helm', 'dotpha', 'dashboards', 'dotpha-overview.json'), 'utf8'));
  const exprs: string[] = dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr));
  const names = exprs.flatMap((e) => e.match(/\b(?:dotpha|http|process)_[a-z_]+\b/g) ?? []).map((m) => m.replace(/_(bucket|sum|count)$/, ''));
  return [...new Set(names)].sort();
}

describe('the services as the image runs them (compiled JavaScript)', () => {
  let child: ChildProcess | undefined;
  let dataDir: string;
  let base: string;

  beforeAll(async () => {
    const { stdout } = await exec(process.execPath, [join(ROOT, 'deploy', 'build.mjs'), DIST, '--console'], { cwd: ROOT });
    process.stderr.write(`[compiled-service] ${stdout}`);
    dataDir = mkdtempSync(join(tmpdir(), 'dotpha-compiled-'));
    const [port] = await freePorts(1);
    base = `http://127.0.0.1:${port}`;
    const service = startCompiled(join('apps', 'proposals', 'src', 'main.js'), { PORT: String(port), DOTPHA_DATA_DIR: dataDir });
    child = service.child;
    await waitForHttp(`${base}/health/live`, { child, timeoutMs: 90_000, intervalMs: 250, ready: (status) => status === 200, describe: service.output });
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('compiles every service and lib it imports, with no TypeScript or alias left to resolve at run time', () => {
    const compiled = [...files(DIST)];
    expect(compiled.filter((f) => f.endsWith('.ts'))).toEqual([]);
    for (const service of ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards']) expect(existsSync(join(DIST, 'apps', service, 'src', 'main.js'))).toBe(true);
    const unresolved = compiled.filter((f) => f.endsWith('.js') && /require\("@dotpha\/|swc-register|require\("tsx|ts-node/.test(readFileSync(f, 'utf8')));
    expect(unresolved).toEqual([]);
  });

  it('answers the chart\'s probes: live, and ready once its store, bus and consumers are', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    let ready: Response | undefined;
    for (let i = 0; i < 120; i++) {
      ready = await fetch(`${base}/health/ready`);
      if (ready.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(ready!.status).toBe(200);
    expect(await ready!.json()).toMatchObject({ status: 'ok' });
  });

  it('exports on /metrics every metric the Grafana dashboard queries', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const wanted = dashboardMetrics();
    expect(wanted.length).toBeGreaterThanOrEqual(12);
    expect(wanted.filter((name) => !exported.has(name))).toEqual([]);
  });

  it("serves the console through the compiled gateway in front of the compiled service, and forwards the service's API", async () => {
    const [port] = await freePorts(1);
    const url = `http://127.0.0.1:${port}`;
    const gateway = startCompiled(join('apps', 'platform', 'src', 'gateway.js'), {
      PORT: String(port), DOTPHA_CONSOLE_DIR: join(DIST, 'console'), DOTPHA_GATEWAY_SERVICES: JSON.stringify({ proposals: base }),
    });
    try {
      await waitForHttp(`${url}/health/live`, { child: gateway.child, timeoutMs: 60_000, ready: (status) => status === 200, describe: gateway.output });
      const index = await fetch(`${url}/`);
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toBe(readFileSync(join(DIST, 'console', 'index.html'), 'utf8'));
      // The console's own script, as index.html names it.
      const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)![1];
      expect((await fetch(`${url}${script}`)).headers.get('content-type')).toMatch(/javascript/);
      // A page of the console's own (no file of that name) is the console too.
      expect(await (await fetch(`${url}/proposals/new`)).text()).toBe(html);
      // The API goes to the service: its answer (401 without a token), not the gateway's 404.
      const proposals = await fetch(`${url}/api/v1/proposals`);
      expect([proposals.status, ((await proposals.json()) as { code?: string }).code]).toEqual([401, 'UNAUTHORIZED']);
      expect(await (await fetch(`${url}/api/v1/auth/config`)).json()).toEqual({ kind: 'local' });
    } finally {
      gateway.child.kill('SIGTERM');
    }
  }, 90_000);

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);

  it('loads the compiled approvals, monitoring, evaluation and rewards services\' modules with node alone', async () => {
    const services = ['approvals', 'monitoring', 'evaluation', 'rewards'];
    const modules = services.map((service) => join(DIST, 'apps', service, 'src', `${service}.module.js`));
    const script = `for (const file of ${JSON.stringify(modules)}) console.log(Object.keys(require(file)).join(','))`;
    const { stdout } = await exec(process.execPath, ['-e', script], { cwd: DIST });
    expect(stdout.trim().split('\n')).toEqual(['ApprovalsModule', 'MonitoringModule', 'EvaluationModule', 'RewardsModule']);
  }, 60_000);
});
