/**
 * What the image runs (deploy/Dockerfile): the services compiled to JavaScript by deploy/build.mjs
 * and started with plain `node`, no transpiler loaded. The proposals service answers the chart's
 * probes (/health/live, /health/ready) and /metrics with every metric the Grafana dashboard
 * queries, and stops cleanly on SIGTERM; every other service's compiled module graph loads.
 */
import { type ChildProcess, execFile, spawn } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';

const ROOT = join(__dirname, '..', '..');
// Inside the repository, so that the compiled files find node_modules as the image's do.
const DIST = join(ROOT, 'tmp', 'deploy-dist');
const exec = promisify(execFile);

const freePort = () => new Promise<number>((resolve, reject) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  }).on('error', reject);
});

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
  let output = '';
  let dataDir: string;
  let base: string;

  beforeAll(async () => {
    const { stdout } = await exec(process.execPath, [join(ROOT, 'deploy', 'build.mjs'), DIST], { cwd: ROOT });
    process.stderr.write(`[compiled-service] ${stdout}`);
    dataDir = mkdtempSync(join(tmpdir(), 'dotpha-compiled-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [join(DIST, 'apps', 'proposals', 'src', 'main.js')], {
      cwd: DIST,
      env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), DOTPHA_DATA_DIR: dataDir, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the compiled service exited (${child.exitCode}):\n${output}`);
      const live = await fetch(`${base}/health/live`).then((r) => r.status, () => 0);
      if (live === 200) break;
      if (Date.now() > deadline) throw new Error(`no /health/live within 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
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
