// Issue 17: health, metrics, JSON logs and traces of service processes in the distributed mode
// (each service its own process on the test run's Kafka and FerretDB, as test/infra/distributed.mjs
// starts them), and the graceful stop under load checked on the store, the topic and the group.
import { type ChildProcess, spawn } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import { createInterface } from 'readline';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { serviceEventDefinitions } from '@dotpha/contracts';
import { MongoEventStore } from '@dotpha/event-store-mongodb';
import { EventRegistry, type RecordedEvent } from '@dotpha/kernel';
import { testServers } from '@dotpha/testkit';
import { LocalIssuer } from '../auth';
import { SAMPLE_ORG_FILE } from '../config';

const ROOT = join(__dirname, '..', '..', '..', '..');
const REGISTER = join(ROOT, 'tools', 'swc-register.js');
const INSTANCE = 'tm';
const PROPOSER = 'u-ccvc-chuyen-vien';
const ADMIN = 'u-vp-quan-tri';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

function request(url: string, options: { method?: string; body?: unknown; token?: string; headers?: Record<string, string>; agent?: http.Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: options.method ?? 'GET',
      agent: options.agent ?? false,
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}


async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** One service process with every line it wrote (stdout and stderr). */
class ServiceProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; at: number }>;
  readonly child: ChildProcess;

  /** Listening on a port of the system's choice (PORT=0), which its start line names. */
  constructor(readonly name: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['-r', REGISTER, join(ROOT, 'apps', name, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) createInterface({ input: stream }).on('line', (line) => this.lines.push(line));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve({ code, at: Date.now() })));
  }

  get url(): string {
    const port = this.lines.map((line) => /on http:\/\/127\.0\.0\.1:(\d+)\/api\/v1/.exec(line)?.[1]).find(Boolean);
    if (!port) throw new Error(`${this.name} is not listening yet`);
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<{ code: number | null; at: number }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The samples of a metric in /metrics whose labels include `labels`. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number[]> {
    const text = (await request(`${this.url}/metrics`)).body;
    return parseMetrics(text).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);
  }
}

function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
    const [, name, , labelText, value] = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)/.exec(line)!;
    const labels = Object.fromEntries([...(labelText ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    return { name, labels, value: Number(value) };
  });
}

interface ReceivedSpan { service: string; traceId: string; spanId: string; parentSpanId: string; name: string; kind: number }

/** An OTLP/HTTP (JSON) trace receiver: what the services export lands in `spans`. */
async function otlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const hex = (id: string | undefined) => (!id ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex'));
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        for (const resource of JSON.parse(body).resourceSpans ?? []) {
          const service = resource.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue ?? '';
          for (const scope of resource.scopeSpans ?? []) {
            for (const s of scope.spans ?? []) spans.push({ service, traceId: hex(s.traceId), spanId: hex(s.spanId), parentSpanId: hex(s.parentSpanId), name: s.name, kind: s.kind });
          }
        }
      } catch {
        /* not JSON: not ours */
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function proposalBody(title: string, secret: string) {
  return {
    title, field: 'administrative-reform', problemType: 'regulated-but-unsuitable', isScheme: false,
    report: {
      necessity: `Thủ tục kéo dài ${secret}.`, basis: 'Kết luận 14-KL/TW.', impactForecast: { positive: 'Nhanh hơn.', negative: 'Hậu kiểm.', expectedEffectiveness: 'Rút ngắn 50%.' },
      feasibility: 'Có hạ tầng.', currentSituation: 'Nhiều khâu.', content: 'Một cửa.',
      objectives: [{ description: 'Rút ngắn', targets: [{ indicator: 'Số ngày', target: '10', unit: 'ngày' }] }],
      implementationPlan: { milestones: [{ name: 'Ban hành', dueDate: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10) }], roadmap: 'Thí điểm.' },
      resources: { people: '2' }, organization: 'Đơn vị.', recommendations: 'Cho thí điểm.',
    },
    attachments: [], scopeUnitIds: [],
  };
}

describe(`Health, metrics, logs and traces of service processes (issue 17; ${process.env.DOTPHA_KAFKA_KIND}; ${process.env.DOTPHA_MONGO_KIND})`, () => {
  const servers = testServers();
  const key = LocalIssuer.newPem();
  const issuer = LocalIssuer.fromPem(key);
  const running: ServiceProcess[] = [];
  const envFor = (prefix: string, extra: Record<string, string> = {}) => ({
    DOTPHA_KAFKA_BROKERS: servers.kafkaBrokers.join(','), DOTPHA_MONGO_URL: servers.mongoUrl, DOTPHA_LOCAL_ISSUER_KEY: key, DOTPHA_ORG_FILE: SAMPLE_ORG_FILE,
    DOTPHA_DB_PREFIX: prefix, DOTPHA_TOPIC_PREFIX: prefix, DOTPHA_SHUTDOWN_TIMEOUT_MS: '10000', ...extra,
  });
  const start = async (name: string, env: Record<string, string>) => {
    const service = new ServiceProcess(name, env);
    running.push(service);
    await eventually(`${name} listening`, async () => {
      if (service.child.exitCode !== null) throw new Error(`${name} exited: ${service.lines.slice(-5).join('\n')}`);
      return service.url;
    }, 90_000);
    return service;
  };
  const ready = (service: ServiceProcess) =>
    eventually(`${service.name} ready`, async () => {
      if (service.child.exitCode !== null) throw new Error(`${service.name} exited: ${service.lines.slice(-5).join('\n')}`);
      const answer = await request(`${service.url}/health/ready`);
      return answer.status === 200 && (JSON.parse(answer.body) as Record<string, any>);
    }, 90_000);

  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  it('one trace from the HTTP command through the append, the relay and Kafka to the next service\'s command; probes, metrics and JSON logs with no restricted value in any line', async () => {
    const prefix = `ob${randomUUID().slice(0, 8)}`;
    const receiver = await otlpReceiver();
    try {
      const env = envFor(prefix, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100', DOTPHA_LOG_LEVEL: 'debug' });
      const proposals = await start('proposals', env);
      const approvals = await start('approvals', env);
      // Live as soon as HTTP answers; ready once the store, the bus and the consumer groups are.
      await eventually('proposals live', async () => (await request(`${proposals.url}/health/live`)).status === 200, 90_000);
      const readiness = await ready(proposals);
      await ready(approvals);
      expect(readiness.details).toMatchObject({ process: { status: 'up' }, 'proposals-store': { status: 'up' }, 'proposals-bus': { status: 'up' }, 'proposals-consumers': { status: 'up' } });

      // Restricted values (the report and a withdrawal's reason are restricted fields) planted in commands, a refused one too.
      const secrets = [`PLANTED-${randomBytes(6).toString('hex')}`, `PLANTED-${randomBytes(6).toString('hex')}`, `PLANTED-${randomBytes(6).toString('hex')}`];
      const proposer = await issuer.token(PROPOSER);
      const api = `${proposals.url}/api/v1`;
      const created = await request(`${api}/proposals`, { method: 'POST', token: proposer, body: proposalBody(`obs ${prefix}`, secrets[0]) });
      expect(created.status).toBe(201);
      const { proposalId } = JSON.parse(created.body) as { proposalId: string };
      expect((await request(`${api}/proposals`, { method: 'POST', token: proposer, body: { ...proposalBody(`obs ${prefix}`, secrets[2]), title: 7 } })).status).toBe(400);
      // The submission carries the caller's trace (W3C traceparent) and correlation id.
      const traceId = randomBytes(16).toString('hex');
      const correlationId = `corr-${prefix}`;
      const submitted = await request(`${api}/proposals/${proposalId}/submit`, { method: 'POST', token: proposer, headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-correlation-id': correlationId } });
      expect(submitted.status).toBe(200);
      expect(submitted.headers['x-correlation-id']).toBe(correlationId);

      // The approvals service opens the review (its own command) in the same trace.
      const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
      const expected = [
        'proposals: POST /api/v1/proposals/:id/submit', 'proposals: append proposal', `proposals: publish ${prefix}.${INSTANCE}.proposals`,
        `approvals: process ${prefix}.${INSTANCE}.proposals`, 'approvals: append review',
      ];
      const names = () => inTrace().map((s) => `${s.service}: ${s.name}`);
      // One tree: every span but the caller's hangs under another span of the trace (spans arrive in batches: wait for them).
      const roots = () => {
        const ids = new Set(inTrace().map((s) => s.spanId));
        return inTrace().filter((s) => !ids.has(s.parentSpanId)).map((s) => s.name);
      };
      await eventually('the spans of both services in the submission\'s trace', async () => expected.every((n) => names().includes(n)) && roots().length === 1);
      expect(names()).toEqual(expect.arrayContaining(expected));
      expect(roots()).toEqual(['POST /api/v1/proposals/:id/submit']);
      process.stdout.write(`[observability] one trace over two services: ${names().join(', ')}\n`);

      const withdrawn = await request(`${api}/proposals/${proposalId}/withdraw`, { method: 'POST', token: proposer, body: { reason: `Rút ${secrets[1]}` } });
      expect(withdrawn.status).toBe(200);
      expect((await request(`${api}/proposals/${proposalId}/withdraw`, { method: 'POST', token: proposer, body: { reason: `Rút ${secrets[1]}` } })).status).toBe(409);
      const admin = await issuer.token(ADMIN, { role: 'admin' });
      expect((await request(`${api}/audit/verify`, { method: 'POST', token: admin, headers: { 'x-role': 'admin' } })).status).toBe(200);

      // Metrics, as Prometheus scrapes them.
      const p = (name: string, labels: Record<string, string> = {}) => proposals.metric(name, { instance_code: INSTANCE, ...labels });
      expect(await p('http_requests_total', { service: 'proposals', method: 'POST', route: '/api/v1/proposals/:id/submit', status: '200' })).toEqual([1]);
      expect(await p('http_requests_total', { method: 'POST', route: '/api/v1/proposals', status: '400' })).toEqual([1]);
      expect(await p('http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/proposals', status: '201' })).toEqual([1]);
      // Draft, submit, withdraw, and the proposals service's own reaction to the review opened.
      expect((await p('dotpha_commands_total', { service: 'proposals', outcome: 'accepted' }))[0]).toBeGreaterThanOrEqual(3);
      // The second withdrawal (and possibly a reaction to the review closed on a withdrawn proposal).
      expect((await p('dotpha_commands_total', { service: 'proposals', outcome: 'refused' }))[0]).toBeGreaterThanOrEqual(1);
      expect((await p('dotpha_event_append_duration_seconds_count', { service: 'proposals' }))[0]).toBeGreaterThanOrEqual(3);
      await eventually('the outbox empty', async () => (await p('dotpha_outbox_depth', { service: 'proposals' }))[0] === 0);
      expect(await p('dotpha_outbox_oldest_age_seconds', { service: 'proposals' })).toEqual([0]);
      expect(await p('dotpha_consumer_up', { service: 'proposals', group: `${INSTANCE}.proposals.projections` })).toEqual([1]);
      await eventually('the projections caught up', async () => (await p('dotpha_consumer_lag', { service: 'proposals', group: `${INSTANCE}.proposals.projections` }))[0] === 0);
      expect((await p('dotpha_consumer_events_total', { service: 'proposals', group: `${INSTANCE}.proposals.projections` }))[0]).toBeGreaterThanOrEqual(3);
      expect((await p('dotpha_projection_lag_seconds', { service: 'proposals', group: `${INSTANCE}.proposals.projections` }))[0]).toBeGreaterThanOrEqual(0);
      expect(await p('dotpha_audit_verify_ok', { service: 'proposals' })).toEqual([1]);
      expect((await p('process_cpu_user_seconds_total', { service: 'proposals' })).length).toBe(1);
      await eventually('approvals handled the submission and the withdrawal', async () =>
        ((await approvals.metric('dotpha_consumer_events_total', { service: 'approvals', group: `${INSTANCE}.approvals.reactors` }))[0] ?? 0) >= 2);
      expect((await approvals.metric('dotpha_commands_total', { service: 'approvals', outcome: 'accepted' }))[0]).toBeGreaterThanOrEqual(1);

      // A stop: not ready any more, then gone.
      const exits = await Promise.all([proposals.stop(), approvals.stop()]);
      expect(exits.map((e) => e.code)).toEqual([0, 0]);

      // Every line each process wrote is one JSON object with time, level, service, instance.
      const lines = [...proposals.lines, ...approvals.lines];
      const parsed = lines.map((line) => {
        try {
          return JSON.parse(line) as Record<string, any>;
        } catch {
          throw new Error(`a log line that is not JSON: ${line}`);
        }
      });
      for (const entry of parsed) expect(entry).toMatchObject({ time: expect.any(String), level: expect.any(String), service: expect.stringMatching(/^(proposals|approvals)$/), instance: INSTANCE });
      // The submission's lines carry its correlation and trace ids, in both services; the reaction's its consumer group.
      expect(parsed.filter((e) => e.service === 'proposals' && e.correlationId === correlationId && e.traceId === traceId).length).toBeGreaterThan(0);
      // The request's correlation id went into the events (their metadata), so the reaction's lines carry it too.
      expect(parsed.filter((e) => e.service === 'approvals' && e.correlationId === correlationId && e.traceId === traceId && e.group === `${INSTANCE}.approvals.reactors`).length).toBeGreaterThan(0);
      // No restricted value in any line.
      for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
      process.stdout.write(`[observability] ${lines.length} log lines of two services, all JSON, none with a planted restricted value\n`);
    } finally {
      await receiver.close();
    }
  }, 240_000);

  it('a broker away for 20 s: live, not ready (the bus and the consumers named), and a few warning lines, not one per retry', async () => {
    // A port nothing listens on: the broker is away from the start.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadBroker = `127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const prefix = `ob${randomUUID().slice(0, 8)}`;
    const service = await start('proposals', { ...envFor(prefix), DOTPHA_KAFKA_BROKERS: deadBroker });
    const began = Date.now();
    await sleep(20_000);
    expect((await request(`${service.url}/health/live`)).status).toBe(200);
    const readiness = await request(`${service.url}/health/ready`);
    expect(readiness.status).toBe(503);
    const details = (JSON.parse(readiness.body) as { details: Record<string, { status: string }> }).details;
    expect(details).toMatchObject({ 'proposals-store': { status: 'up' }, 'proposals-bus': { status: 'down' }, 'proposals-consumers': { status: 'down' } });
    const parsed = service.lines.map((line) => JSON.parse(line) as Record<string, any>);
    const outage = parsed.filter((e) => /Connection error|ECONNREFUSED/.test(JSON.stringify(e)));
    const left = outage.reduce((sum, e) => sum + (Number(e.repeated) || 0), 0);
    process.stdout.write(`[observability] broker away ${Math.round((Date.now() - began) / 1000)} s: ${outage.length} connection lines written, ${left} more counted in them; ${parsed.length} lines in all\n`);
    expect(outage.length).toBeGreaterThan(0);
    expect(outage.length).toBeLessThanOrEqual(12);
    expect(outage.every((e) => e.level === 'error' || e.level === 'warn')).toBe(true);
    expect((await service.stop()).code).toBe(0);
  }, 120_000);

  it('SIGTERM under load loses and doubles nothing: the store has each accepted proposal once, the topic each event once, the group committed exactly what it handled', async () => {
    const prefix = `ob${randomUUID().slice(0, 8)}`;
    const service = await start('proposals', envFor(prefix));
    await ready(service);
    const token = await issuer.token(PROPOSER);
    interface Sent { title: string; status?: number; proposalId?: string; error?: string; doneAt: number }
    const sent: Sent[] = [];
    let stop = false;
    const client = async (k: number) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; !stop; i++) {
        const item: Sent = { title: `${prefix} c${k} #${i}`, doneAt: 0 };
        sent.push(item);
        try {
          const answer = await request(`${service.url}/api/v1/proposals`, { method: 'POST', token, body: proposalBody(item.title, 'x'), agent });
          item.status = answer.status;
          if (answer.status === 201) item.proposalId = (JSON.parse(answer.body) as { proposalId: string }).proposalId;
        } catch (error) {
          item.error = (error as Error).message;
          await sleep(20);
        }
        item.doneAt = Date.now();
      }
      agent.destroy();
    };
    const clients = [1, 2, 3].map(client);
    await sleep(2500);
    const signalled = Date.now();
    const exit = await service.stop();
    stop = true;
    await Promise.all(clients);
    expect(exit.code).toBe(0);
    const accepted = sent.filter((s) => s.status === 201);
    expect(accepted.length).toBeGreaterThan(0);
    expect(sent.filter((s) => s.status !== undefined && s.status !== 201 && s.status !== 503)).toEqual([]);

    // The store: every accepted proposal once, nothing doubled, nothing left in the outbox (the relay drained).
    const connection = await mongoose.createConnection(servers.mongoUrl, { serverSelectionTimeoutMS: 5000 }).asPromise();
    let stored: RecordedEvent[];
    try {
      const store = await MongoEventStore.create({ db: connection.getClient().db(`${prefix}_${INSTANCE}_proposals`), instance: INSTANCE, registry: new EventRegistry(serviceEventDefinitions('proposals')) });
      expect(await store.undispatched(10)).toEqual([]);
      stored = [...(await store.readAll(0, 100_000)).events];
    } finally {
      await connection.close();
    }
    const drafted = stored.filter((e) => e.type === 'ProposalDrafted');
    const titles = drafted.map((e) => (e.data as { title: string }).title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const s of accepted) expect(titles).toContain(s.title);

    // The topic: each stored event exactly once (published before the exit, never twice).
    const topic = `${prefix}.${INSTANCE}.proposals`;
    const kafka = new Kafka({ brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const total = ends.reduce((sum, p) => sum + Number(p.high), 0);
      const consumer = kafka.consumer({ groupId: `${prefix}-reader` });
      const seen: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push((JSON.parse(message.value!.toString()) as RecordedEvent).eventId) });
      await eventually('the whole topic read', async () => seen.length >= total, 60_000);
      await consumer.disconnect();
      expect(seen.length).toBe(total);
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(new Set(stored.map((e) => e.eventId)));

      // The group: what it committed is exactly what the process said it handled before it left.
      const group = `${prefix}.${INSTANCE}.proposals.projections`;
      const committed = (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
      const said = service.lines.map((l) => JSON.parse(l) as Record<string, any>).find((e) => e.group === `${INSTANCE}.proposals.projections` && typeof e.handled === 'number');
      expect(said).toBeDefined();
      expect(committed).toBe(said!.handled);
      process.stdout.write(
        `[observability] SIGTERM under load: exited ${exit.at - signalled} ms after the signal; ${accepted.length} accepted, ${sent.filter((s) => s.status === 503).length} refused 503; ` +
          `${stored.length} events stored, ${total} on the topic (each once), outbox empty; the projections group handled ${said!.handled} and committed ${committed} (${total - committed} left for the next member)\n`,
      );
    } finally {
      await admin.disconnect();
    }
  }, 240_000);
});
