// Issue 16, findings 3, 4 and 5: a service process's start, stop and database outage, measured
// against real servers (Apache Kafka and FerretDB of the test run; test (c) also starts its own
// FerretDB to kill and restart). Each test spawns `apps/proposals/src/main.ts` as
// test/infra/distributed.mjs does, and prints what it measured.
import { type ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import http from 'http';
import { type AddressInfo, createServer } from 'net';
import { homedir, tmpdir } from 'os';
import { join } from 'path';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { serviceEventDefinitions } from '@dotpha/contracts';
import { MongoEventStore } from '@dotpha/event-store-mongodb';
import { EventRegistry, type RecordedEvent } from '@dotpha/kernel';
import { LocalIssuer } from '@dotpha/service-runtime';
import { testServers } from '@dotpha/testkit';
import { proposalContent } from '../e2e/fixtures';

const ROOT = join(__dirname, '..', '..');
const REGISTER = join(ROOT, 'tools', 'swc-register.js');
const MAIN = join(ROOT, 'apps', 'proposals', 'src', 'main.ts');
const FERRETDB = join(process.env.DOTPHA_CACHE_DIR ?? join(homedir(), '.cache', 'dotpha'), 'bin', 'ferretdb');
const INSTANCE = 'tm'; // the sample province's code
const USER = 'u-ccvc-chuyen-vien';
const SHUTDOWN_BOUND_MS = 10_000;

const proposal = (title: string) => JSON.stringify(proposalContent(title));

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number }

/** One HTTP request; rejects on a connection error or after `timeoutMs`. */
function request(url: string, options: { method?: string; body?: string; token?: string; agent?: http.Agent; timeoutMs?: number } = {}): Promise<Answer> {
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: options.method ?? 'GET',
      agent: options.agent ?? false,
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: Date.now() - began }));
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Service {
  readonly child: ChildProcess;
  readonly url: string;
  readonly started: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stderr: string;
}

describe(`A service process's start, stop and database outage (issue 16; ${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, () => {
  const servers = testServers();
  const key = LocalIssuer.newPem();
  const issuer = LocalIssuer.fromPem(key);
  const running: Service[] = [];
  let token: string;

  beforeAll(async () => {
    token = await issuer.token(USER);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map(async (s) => {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      await s.exited;
    }));
  });

  function startService(env: Record<string, string>): Service {
    const port = env.PORT;
    const child = spawn(process.execPath, ['-r', REGISTER, MAIN], {
      cwd: ROOT,
      env: { ...process.env, DOTPHA_KAFKA_BROKERS: servers.kafkaBrokers.join(','), DOTPHA_MONGO_URL: servers.mongoUrl, DOTPHA_LOCAL_ISSUER_KEY: key, HOST: '127.0.0.1', DOTPHA_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_BOUND_MS), ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const service: Service = {
      child, url: `http://127.0.0.1:${port}`, started: Date.now(), stderr: '',
      exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() }))),
    };
    child.stderr!.on('data', (chunk: Buffer) => (service.stderr = (service.stderr + chunk.toString()).slice(-8000)));
    running.push(service);
    return service;
  }

  /** Milliseconds from the spawn to the first HTTP answer. */
  async function firstAnswer(service: Service, timeoutMs = 90_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (service.child.exitCode !== null) throw new Error(`the service exited with ${service.child.exitCode}: ${service.stderr}`);
      try {
        await request(`${service.url}/api/v1/audit/keys`, { timeoutMs: 2000 });
        return Date.now() - service.started;
      } catch {
        if (Date.now() > deadline) throw new Error(`no HTTP answer within ${timeoutMs} ms: ${service.stderr}`);
        await sleep(50);
      }
    }
  }

  /** Every proposal stream of a store, with the titles its drafting events carry. */
  async function storedProposals(mongoUrl: string, dbName: string): Promise<Map<string, string[]>> {
    const connection = await mongoose.createConnection(mongoUrl, { serverSelectionTimeoutMS: 5000 }).asPromise();
    try {
      const store = await MongoEventStore.create({ db: connection.getClient().db(dbName), instance: INSTANCE, registry: new EventRegistry(serviceEventDefinitions('proposals')) });
      const titles = new Map<string, string[]>();
      for (const head of await store.streamHeads()) {
        if (!head.streamId.startsWith('proposal-')) continue;
        const events: readonly RecordedEvent[] = await store.readStream(head.streamId);
        titles.set(head.streamId, events.filter((e) => e.type === 'ProposalDrafted').map((e) => (e.data as { title: string }).title));
      }
      return titles;
    } finally {
      await connection.close();
    }
  }

  it('answers HTTP before its consumer group joined: restarted right after a SIGKILL, it does not wait out the dead member\'s session', async () => {
    const prefix = `lf${randomUUID().slice(0, 8)}`;
    const env = { DOTPHA_DB_PREFIX: prefix, DOTPHA_TOPIC_PREFIX: prefix };
    const kafka = new Kafka({ brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const groups = [`${prefix}.${INSTANCE}.proposals.projections`, `${prefix}.${INSTANCE}.proposals.reactors`];
      /** The members of both groups once both are stable, else null. */
      const stableMembers = async (): Promise<string[] | null> => {
        const described = (await admin.describeGroups(groups)).groups;
        return described.every((g) => g.state === 'Stable' && g.members.length > 0) ? described.flatMap((g) => g.members.map((m) => m.memberId)) : null;
      };
      const waitForJoin = async (service: Service, without: readonly string[]): Promise<{ at: number; members: string[] }> => {
        for (const deadline = Date.now() + 90_000; ; await sleep(200)) {
          const members = await stableMembers();
          if (members && members.every((m) => !without.includes(m))) return { at: Date.now() - service.started, members };
          if (Date.now() > deadline) throw new Error(`no stable ${groups.join(', ')} without the dead members: ${service.stderr}`);
        }
      };
      const first = startService({ ...env, PORT: String(await freePort()) });
      const firstHttp = await firstAnswer(first);
      const firstJoin = await waitForJoin(first, []);

      first.child.kill('SIGKILL');
      await first.exited;
      // An unclean stop of a member with a 30 s session (the bus's default before issue 16; its own
      // is shorter now): the dead member stays in both groups until its session expires, and a new
      // member's join waits for that. A process of the test joins both groups and is SIGKILLed.
      const dead = spawn(process.execPath, ['-e', `
        const { Kafka, logLevel } = require('kafkajs');
        const kafka = new Kafka({ brokers: ${JSON.stringify(servers.kafkaBrokers)}, logLevel: logLevel.NOTHING });
        let joined = 0;
        for (const groupId of ${JSON.stringify(groups)}) {
          const consumer = kafka.consumer({ groupId, sessionTimeout: 30000, heartbeatInterval: 3000 });
          consumer.on(consumer.events.GROUP_JOIN, () => { if (++joined === ${groups.length}) console.log('joined'); });
          consumer.connect().then(() => consumer.subscribe({ topics: [${JSON.stringify(`${prefix}.${INSTANCE}.proposals`)}] })).then(() => consumer.run({ eachMessage: async () => new Promise(() => {}) }));
        }`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        dead.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('joined') && resolve());
        dead.once('exit', (code) => reject(new Error(`the stand-in member exited with ${code}`)));
      });
      const deadMembers = (await admin.describeGroups(groups)).groups.flatMap((g) => g.members.map((m) => m.memberId));
      dead.removeAllListeners('exit');
      dead.kill('SIGKILL');
      await new Promise((resolve) => (dead.exitCode !== null || dead.signalCode !== null ? resolve(null) : dead.once('exit', resolve)));
      const second = startService({ ...env, PORT: String(await freePort()) });
      // Watched from the spawn on, side by side with the first HTTP answer.
      const joining = waitForJoin(second, [...firstJoin.members, ...deadMembers]);
      joining.catch(() => undefined);
      const secondHttp = await firstAnswer(second);
      const created = await request(`${second.url}/api/v1/proposals`, { method: 'POST', token, body: proposal(`restart ${prefix}`) });
      const createdAt = Date.now() - second.started;
      const secondJoin = await joining;
      process.stdout.write(
        `[lifecycle-faults] restart after SIGKILL (a dead member with a 30 s session in its groups): first start HTTP ${firstHttp} ms, groups joined ${firstJoin.at} ms; ` +
          `restarted HTTP ${secondHttp} ms, a command accepted at ${createdAt} ms, groups joined (consuming) at ${secondJoin.at} ms\n`,
      );
      expect(created.status).toBe(201);
      // Before: HTTP listened only after the join, i.e. after the dead member's session (~30 s after the kill).
      // Now HTTP answers (and takes commands) while the group still waits for the dead member.
      expect(secondHttp).toBeLessThan(secondJoin.at - 5000);
      expect(createdAt).toBeLessThan(secondJoin.at);
    } finally {
      await admin.disconnect();
    }
  }, 240_000);

  it('stops within its bound on SIGTERM while clients send requests back to back on kept-alive connections; what the store accepted is there once', async () => {
    const prefix = `lf${randomUUID().slice(0, 8)}`;
    const service = startService({ DOTPHA_DB_PREFIX: prefix, DOTPHA_TOPIC_PREFIX: prefix, PORT: String(await freePort()) });
    await firstAnswer(service);
    interface Sent { title: string; sentAt: number; doneAt: number; status?: number; retryAfter?: string; connection?: string; proposalId?: string; error?: string }
    const sent: Sent[] = [];
    let stop = false;
    const client = async (k: number) => {
      // One kept-alive connection per client, requests back to back.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; !stop; i++) {
        const item: Sent = { title: `${prefix} c${k} #${i}`, sentAt: Date.now(), doneAt: 0 };
        sent.push(item);
        try {
          const answer = await request(`${service.url}/api/v1/proposals`, { method: 'POST', token, body: proposal(item.title), agent, timeoutMs: 30_000 });
          Object.assign(item, { status: answer.status, retryAfter: answer.headers['retry-after'], connection: answer.headers.connection });
          if (answer.status === 201) item.proposalId = (JSON.parse(answer.body) as { proposalId: string }).proposalId;
        } catch (error) {
          item.error = (error as Error).message;
          await sleep(20); // refused: the listener is closed; try again (a client would go to another replica)
        }
        item.doneAt = Date.now();
      }
      agent.destroy();
    };
    const clients = [client(1), client(2), client(3)];
    await sleep(2000);
    const signalled = Date.now();
    service.child.kill('SIGTERM');
    const exit = await Promise.race([service.exited, sleep(25_000).then(() => null)]);
    await sleep(500);
    stop = true;
    await Promise.all(clients);
    if (!exit) service.child.kill('SIGKILL');
    const exitedAfter = exit ? exit.at - signalled : Infinity;
    const before = sent.filter((s) => s.doneAt < signalled);
    const after = sent.filter((s) => s.doneAt >= signalled);
    const accepted = sent.filter((s) => s.status === 201);
    const lastAccepted = Math.max(...accepted.map((s) => s.doneAt)) - signalled;
    const refused = after.filter((s) => s.status === 503);
    const connectionErrors = after.filter((s) => s.error);
    process.stdout.write(
      `[lifecycle-faults] SIGTERM under keep-alive load: exited after ${exitedAfter} ms with ${exit?.code ?? 'none'} (bound ${SHUTDOWN_BOUND_MS} ms); ` +
        `${before.length} answered before the signal, after it ${after.filter((s) => s.status === 201).length} accepted (last ${lastAccepted} ms after the signal), ` +
        `${refused.length} refused 503, ${connectionErrors.length} connection errors (${[...new Set(connectionErrors.map((s) => s.error))].slice(0, 3).join('; ')})\n`,
    );
    expect(exit).not.toBeNull();
    expect(exit!.code).toBe(0);
    expect(exitedAfter).toBeLessThan(SHUTDOWN_BOUND_MS + 2000);
    expect(before.length).toBeGreaterThan(0);
    // Nothing is answered once the stop began except the requests in flight, refusals, and nothing but 201/503 at all.
    expect(lastAccepted).toBeLessThan(SHUTDOWN_BOUND_MS);
    expect(sent.filter((s) => s.status !== undefined && s.status !== 201 && s.status !== 503)).toEqual([]);
    for (const s of refused) expect(s).toMatchObject({ retryAfter: expect.any(String), connection: 'close' });

    // The store, read back: every accepted proposal once, no refused one, nothing doubled.
    const stored = await storedProposals(servers.mongoUrl, `${prefix}_${INSTANCE}_proposals`);
    for (const s of accepted) expect(stored.get(`proposal-${s.proposalId}`)).toEqual([s.title]);
    const titles = [...stored.values()].flat();
    expect(new Set(titles).size).toBe(titles.length);
    const refusedTitles = new Set(sent.filter((s) => s.status === 503).map((s) => s.title));
    expect(titles.filter((t) => refusedTitles.has(t))).toEqual([]);
    // A stored title not answered 201 can only be one whose answer the client never got.
    const unanswered = new Set(sent.filter((s) => s.error).map((s) => s.title));
    const acceptedTitles = new Set(accepted.map((s) => s.title));
    expect(titles.filter((t) => !acceptedTitles.has(t) && !unanswered.has(t))).toEqual([]);
  }, 120_000);

  const withFerret = existsSync(FERRETDB) ? it : it.skip;
  if (!existsSync(FERRETDB)) process.stdout.write(`[lifecycle-faults] SKIPPED the database outage test: no FerretDB binary at ${FERRETDB}\n`);

  withFerret('answers 503 STORE_UNAVAILABLE with Retry-After within seconds while its database is down, writes nothing, and recovers by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dotpha-outage-'));
    const port = await freePort();
    const mongoUrl = `mongodb://127.0.0.1:${port}/`;
    let ferret: ChildProcess | undefined;
    const startFerret = async () => {
      const child = spawn(FERRETDB, ['--handler=sqlite', `--sqlite-url=file:${dir}/data/`, `--listen-addr=127.0.0.1:${port}`, '--debug-addr=-', '--telemetry=disable', `--state-dir=${dir}/state`, '--log-level=error'], { stdio: 'ignore' });
      ferret = child;
      for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
        const connection = mongoose.createConnection(mongoUrl, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
        try {
          await connection.asPromise();
          await connection.db!.admin().ping();
          return;
        } catch (error) {
          if (Date.now() > deadline || child.exitCode !== null) throw error;
        } finally {
          await connection.close(true).catch(() => undefined);
        }
      }
    };
    const killFerret = async () => {
      const child = ferret!;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    };
    mkdirSync(join(dir, 'data'), { recursive: true });
    mkdirSync(join(dir, 'state'), { recursive: true });
    const prefix = `lf${randomUUID().slice(0, 8)}`;
    try {
      await startFerret();
      const service = startService({ DOTPHA_MONGO_URL: mongoUrl, DOTPHA_DB_PREFIX: prefix, DOTPHA_TOPIC_PREFIX: prefix, PORT: String(await freePort()) });
      await firstAnswer(service);
      const before = await request(`${service.url}/api/v1/proposals`, { method: 'POST', token, body: proposal(`${prefix} before`) });
      expect(before.status).toBe(201);
      const { proposalId } = JSON.parse(before.body) as { proposalId: string };

      await killFerret();
      const killedAt = Date.now();
      // One after another, then several at once: commands and reads.
      const outage: { what: string; answer?: Answer; error?: string }[] = [];
      const attempt = async (what: string, run: () => Promise<Answer>) => {
        try {
          outage.push({ what, answer: await run() });
        } catch (error) {
          outage.push({ what, error: (error as Error).message });
        }
      };
      const command = (n: number) => () => request(`${service.url}/api/v1/proposals`, { method: 'POST', token, body: proposal(`${prefix} outage ${n}`), timeoutMs: 35_000 });
      const read = () => request(`${service.url}/api/v1/proposals/${proposalId}`, { token, timeoutMs: 35_000 });
      const list = () => request(`${service.url}/api/v1/proposals`, { token, timeoutMs: 35_000 });
      await attempt('command', command(1));
      await attempt('read', read);
      await attempt('list', list);
      await Promise.all([attempt('command', command(2)), attempt('command', command(3)), attempt('read', read), attempt('list', list)]);
      await attempt('command', command(4));
      process.stdout.write(
        `[lifecycle-faults] database down: ${outage.map((o) => `${o.what} ${o.answer ? `${o.answer.status} in ${o.answer.ms} ms` : o.error}`).join(', ')}\n`,
      );
      for (const o of outage) {
        expect(o).toMatchObject({ answer: { status: 503, headers: { 'retry-after': expect.any(String) } } });
        expect(JSON.parse(o.answer!.body)).toMatchObject({ code: 'STORE_UNAVAILABLE' });
        expect(o.answer!.ms).toBeLessThan(5000);
      }

      await startFerret();
      const restartedAt = Date.now();
      let recovered: Answer | undefined;
      for (const deadline = Date.now() + 60_000; Date.now() < deadline && recovered?.status !== 201; await sleep(250)) {
        recovered = await request(`${service.url}/api/v1/proposals`, { method: 'POST', token, body: proposal(`${prefix} after`), timeoutMs: 10_000 }).catch(() => undefined);
        if (recovered && recovered.status !== 201 && recovered.status !== 503) throw new Error(`unexpected answer while recovering: ${recovered.status} ${recovered.body}`);
      }
      const recoveredAfter = Date.now() - restartedAt;
      const reread = await request(`${service.url}/api/v1/proposals/${proposalId}`, { token });
      process.stdout.write(`[lifecycle-faults] database back: commands accepted again ${recoveredAfter} ms after it restarted (down ${restartedAt - killedAt} ms)\n`);
      expect(recovered?.status).toBe(201);
      expect(reread.status).toBe(200);
      expect(recoveredAfter).toBeLessThan(30_000);

      // Nothing of the refused commands was written; what was accepted is there once.
      const stored = [...(await storedProposals(mongoUrl, `${prefix}_${INSTANCE}_proposals`)).values()].flat().sort();
      expect(stored).toEqual([`${prefix} after`, `${prefix} before`]);
    } finally {
      await Promise.all(running.splice(0).map(async (s) => {
        if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
        await s.exited;
      }));
      if (ferret) await killFerret();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

