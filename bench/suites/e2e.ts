/**
 * End to end (issue 5, item 4): in the distributed mode (five service processes over the real
 * Kafka broker and the MongoDB-compatible server), the time from the HTTP answer to a submission
 * in the proposals service until the approvals service's read model holds the review that
 * submission opened, at steady open-loop command rates.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import { Kafka, logLevel } from 'kafkajs';
import { LocalIssuer } from '@dotpha/service-runtime';
import { signTokenSync } from '@dotpha/testkit';
import type { BenchContext } from '../lib/context';
import { type Caller, type Item, PROPOSERS, percentile, proposalContent, startLoad } from '../lib/load';
import { type Outcome, errorText, failed, ok } from '../lib/stats';

export interface E2eStep {
  /** Nominal HTTP commands per second (half drafts, half submissions). */
  readonly rate: number;
  /** Latency from the submission's HTTP answer to the review in the approvals read model, ms; per window, median of the windows. */
  readonly p50: Outcome;
  readonly p95: Outcome;
  readonly p99: Outcome;
  /**
   * Where the time goes, p50 per window: from the answer to the `ReviewOpened` the approvals
   * service recorded (its `occurredAt`: proposals' relay, Kafka, the approvals reactor and its
   * append), and from there to the read model (approvals' relay, Kafka, the projection).
   */
  readonly toOpenedP50?: Outcome;
  readonly openedToReadModelP50?: Outcome;
  /** HTTP answer time of the submissions (issued → answered), p99 per window, ms. */
  readonly answerP99?: Outcome;
  /** Commands actually issued per second in each window. */
  readonly achievedRate?: Outcome;
  /** Submissions answered in the steady phase (the latency samples). */
  readonly submissions: number;
  /** Of those, not seen in the read model within the drain time (counted at the time waited). */
  readonly unseen: number;
  /** Commands of the steady phase answered with an error or not at all. */
  readonly failedCommands: number;
  /** Submissions that left late because their draft was not answered yet. */
  readonly lateSubmissions: number;
  /** Median time of one poll of the read model (its answer bounds each latency from above). */
  readonly pollMs?: number;
  /** p99 (median of the windows) under 500 ms, every submission seen, no failed command. */
  readonly under500: boolean;
  readonly note?: string;
}

export interface E2eResult {
  readonly mode: string;
  readonly warmupSeconds: number;
  readonly steadySeconds: number;
  readonly windows: number;
  readonly drainSeconds: number;
  readonly pollIntervalMs: number;
  readonly callers: number;
  readonly rates: number[];
  readonly budgetSeconds: number;
  readonly steps: E2eStep[];
  /** The highest rate of the ascending search whose p99 stayed under 500 ms (every lower step too). */
  readonly highestUnder500?: number;
  readonly search: string;
}

const REPO = path.resolve(__dirname, '..', '..');
const INSTANCE = (JSON.parse(fs.readFileSync(path.join(REPO, 'libs', 'org', 'data', 'sample-province.json'), 'utf8')) as { instance: { code: string } }).instance.code;
/** The rates whose figures issue 5 asks for: always measured when listed, whatever the search found. */
const REQUIRED = [50, 200];
/** A command of the load not answered within this counts as failed (the services are saturated). */
const REQUEST_TIMEOUT_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  urls: Record<string, string>;
  stop(): Promise<void>;
  children: { exitCode: number | null; stderrTail?: string; kill(signal: string): boolean }[];
}

export async function e2eSuite(ctx: BenchContext): Promise<E2eResult> {
  const p = ctx.params;
  const rates = [...new Set(p.e2eRates)].sort((a, b) => a - b);
  const base = {
    mode: `Five service processes (startDistributed of test/infra/distributed.mjs) on ${ctx.servers.kafkaKind} and ${ctx.servers.mongoKind}`,
    warmupSeconds: p.e2eWarmupS,
    steadySeconds: p.e2eSteadyS,
    windows: p.runs,
    drainSeconds: p.e2eDrainS,
    pollIntervalMs: p.e2ePollMs,
    callers: Math.min(p.e2eCallers, PROPOSERS.length),
    rates,
    budgetSeconds: p.e2eBudgetS,
  };
  const dist = (await import(pathToFileURL(path.join(REPO, 'test', 'infra', 'distributed.mjs')).href)) as {
    startDistributed(o: { kafkaBrokers: string; mongoUrl: string; env: Record<string, string>; log: (m: string) => void }): Promise<Running>;
  };
  const steps: E2eStep[] = [];
  const budgetEnd = Date.now() + p.e2eBudgetS * 1000;
  let searching = true;
  let highest: number | undefined;
  let search = '';
  for (const rate of rates) {
    const required = REQUIRED.includes(rate);
    if (!searching && !required) continue;
    if (Date.now() > budgetEnd && !required) {
      if (searching) search = `the search stopped at its time bound (BENCH_E2E_BUDGET_S = ${p.e2eBudgetS} s) before ${rate} commands/s`;
      searching = false;
      continue;
    }
    ctx.log(`e2e: ${rate} commands/s`);
    const step = await runStep(ctx, dist, rate, `bench${ctx.tag}r${rate}`);
    steps.push(step);
    ctx.log(`e2e: ${rate} commands/s: p50 ${show(step.p50)}, p95 ${show(step.p95)}, p99 ${show(step.p99)} ms; ${step.submissions} submissions, ${step.unseen} not seen, ${step.failedCommands} failed${step.note ? `; ${step.note}` : ''}`);
    if (searching) {
      if (step.under500) highest = rate;
      else {
        searching = false;
        search = `stepped ${steps.map((s) => s.rate).join(', ')} commands/s; ${rate} was the first whose p99 was not under 500 ms (or lost or failed commands)`;
      }
    }
  }
  if (!search) search = searching ? `every step up to ${rates.at(-1)} commands/s (the highest listed) stayed under 500 ms` : search;
  return { ...base, steps, highestUnder500: highest, search };
}

const show = (o: Outcome) => (o.ok ? o.figure.median.toFixed(0) : 'failed');

async function runStep(ctx: BenchContext, dist: { startDistributed: (o: any) => Promise<Running> }, rate: number, prefix: string): Promise<E2eStep> {
  const p = ctx.params;
  const fail = (reason: string): E2eStep => ({ rate, p50: failed(reason), p95: failed(reason), p99: failed(reason), submissions: 0, unseen: 0, failedCommands: 0, lateSubmissions: 0, under500: false, note: reason });
  const key = LocalIssuer.newPem();
  const issuer = LocalIssuer.fromPem(key);
  const env = {
    DOTPHA_LOCAL_ISSUER_KEY: key,
    DOTPHA_TOPIC_PREFIX: prefix,
    DOTPHA_DB_PREFIX: prefix,
    DOTPHA_POLICY: '{}',
    // The per-caller command limit (default 120 a minute) would refuse the load itself.
    DOTPHA_COMMANDS_PER_MINUTE: '1000000',
  };
  let running: Running | undefined;
  // Should the bench exit while a step runs, the services go with it.
  const killOnExit = () => running?.children.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
  process.once('exit', killOnExit);
  try {
    for (let attempt = 1; !running; attempt++) {
      try {
        running = await dist.startDistributed({ kafkaBrokers: ctx.servers.kafkaBrokers.join(','), mongoUrl: ctx.servers.mongoUrl, env, log: (m: string) => ctx.log(`e2e: ${m}`) });
      } catch (error) {
        if (attempt >= 2) return fail(`the distributed services did not start: ${errorText(error)}`);
        ctx.log(`e2e: the distributed services did not start (${errorText(error)}); retrying in 20 s`);
        await sleep(20_000);
      }
    }
    const reviews = ctx.client.db(`${prefix}_${INSTANCE}_approvals`).collection<{ _id: string; data?: { lastChangedAt?: string } }>('rm.reviews');
    const callers: Caller[] = PROPOSERS.slice(0, Math.min(p.e2eCallers, PROPOSERS.length)).map((userId) => ({ userId, token: signTokenSync(issuer, userId, 6 * 3600) }));

    // One pair first, awaited, so the consumer groups have joined before the clock starts; and a
    // check that the collection polled is the one the approvals API answers from.
    const primed = await prime(running, callers[0], reviews, p.stepTimeoutMs);
    if (primed) return fail(primed);

    const outstanding = new Map<string, Item>();
    /** Wall-clock time of each review's ReviewOpened, as the read model carries it. */
    const openedAt = new Map<Item, number>();
    const pollTimes: number[] = [];
    let stopPolling = false;
    const load = startLoad({
      baseUrl: running.urls.proposals,
      callers,
      rate,
      durationMs: (p.e2eWarmupS + p.e2eSteadyS) * 1000,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      tag: prefix,
      onSubmitted: (item) => outstanding.set(item.proposalId!, item),
    });
    const poller = (async () => {
      while (!stopPolling) {
        const started = performance.now();
        if (outstanding.size) {
          const ids = [...outstanding.keys()];
          try {
            const seen = await reviews.find({ _id: { $in: ids } }, { projection: { _id: 1, 'data.lastChangedAt': 1 } }).toArray();
            const at = performance.now();
            pollTimes.push(at - started);
            for (const { _id, data } of seen) {
              const item = outstanding.get(_id);
              if (item) {
                item.visibleAt = at;
                const opened = Date.parse(data?.lastChangedAt ?? '');
                if (Number.isFinite(opened)) openedAt.set(item, opened);
              }
              outstanding.delete(_id);
            }
          } catch (error) {
            ctx.log(`e2e: poll failed: ${errorText(error)}`);
          }
        }
        await sleep(Math.max(1, p.e2ePollMs - (performance.now() - started)));
      }
    })();
    await load.done;
    const drainEnd = performance.now() + p.e2eDrainS * 1000;
    while (outstanding.size && performance.now() < drainEnd) await sleep(50);
    stopPolling = true;
    await poller;
    const waitedUntil = performance.now();
    const dead = running.children.filter((c) => c.exitCode !== null);
    return summarize(rate, load.items, openedAt, load.start, p, waitedUntil, pollTimes, dead.length ? `${dead.length} service process(es) exited during the step: ${dead.map((c) => (c.stderrTail ?? '').trim().split('\n').slice(-2).join(' | ')).join('; ').slice(0, 300)}` : undefined);
  } catch (error) {
    return fail(errorText(error));
  } finally {
    process.removeListener('exit', killOnExit);
    await running?.stop().catch(() => undefined);
    await cleanup(ctx, prefix);
  }
}

/** Draft and submit one proposal and wait for its review; a reason when that does not work. */
async function prime(running: Running, caller: Caller, reviews: { findOne(f: object): Promise<unknown> }, timeoutMs: number): Promise<string | undefined> {
  const call = async (service: string, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${running.urls[service]}/api/v1${url}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'x-role': 'proposer' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
  const drafted = await call('proposals', 'POST', '/proposals', proposalContent('Đề xuất mồi'));
  if (drafted.status !== 201) return `the first draft was answered ${drafted.status}: ${JSON.stringify(drafted.json).slice(0, 200)}`;
  const id = drafted.json.proposalId as string;
  const submitted = await call('proposals', 'POST', `/proposals/${id}/submit`);
  if (submitted.status !== 200) return `the first submission was answered ${submitted.status}: ${JSON.stringify(submitted.json).slice(0, 200)}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await reviews.findOne({ _id: id }))) {
    if (Date.now() > deadline) return `the first submission's review did not reach the approvals read model within ${Math.round(timeoutMs / 1000)} s`;
    await sleep(100);
  }
  const viaApi = await call('approvals', 'GET', `/reviews/${id}`);
  if (viaApi.status !== 200) return `the approvals API did not show the review its read model holds (HTTP ${viaApi.status})`;
  return undefined;
}

function summarize(rate: number, items: Item[], openedAt: Map<Item, number>, start: number, p: BenchContext['params'], waitedUntil: number, pollTimes: number[], note?: string): E2eStep {
  const steadyStart = start + p.e2eWarmupS * 1000;
  const windowMs = (p.e2eSteadyS * 1000) / p.runs;
  const windowOf = (t: number | undefined) => (t === undefined || t < steadyStart ? -1 : Math.floor((t - steadyStart) / windowMs));
  const windows = Array.from({ length: p.runs }, () => ({ latencies: [] as number[], answers: [] as number[], toOpened: [] as number[], toModel: [] as number[], commands: 0 }));
  let submissions = 0;
  let unseen = 0;
  let failedCommands = 0;
  let late = 0;
  for (const item of items) {
    for (const t of [item.draftIssued, item.submitIssued]) {
      const w = windowOf(t);
      if (w >= 0 && w < p.runs) windows[w].commands++;
    }
    const w = windowOf(item.submitAt);
    if (w < 0 || w >= p.runs) continue;
    if (item.error) failedCommands++;
    if (item.late) late++;
    if (item.submitAnswered === undefined) continue;
    submissions++;
    if (item.visibleAt === undefined) unseen++;
    windows[w].latencies.push((item.visibleAt ?? waitedUntil) - item.submitAnswered);
    windows[w].answers.push(item.submitAnswered - item.submitIssued!);
    const opened = openedAt.get(item);
    if (opened !== undefined && item.visibleAt !== undefined) {
      const toOpened = opened - item.submitAnsweredWall!;
      windows[w].toOpened.push(toOpened);
      windows[w].toModel.push(item.visibleAt - item.submitAnswered - toOpened);
    }
  }
  const perWindow = (pick: (w: (typeof windows)[number]) => number, none = 'no answered submission'): Outcome => {
    const values = windows.map(pick).filter((v) => Number.isFinite(v));
    return values.length === windows.length ? ok(values) : failed(`${none} in ${windows.length - values.length} of ${windows.length} windows`);
  };
  const p50 = perWindow((w) => percentile(w.latencies, 0.5));
  const p95 = perWindow((w) => percentile(w.latencies, 0.95));
  const p99 = perWindow((w) => percentile(w.latencies, 0.99));
  const firstError = items.find((item) => item.error && windowOf(item.submitAt) >= 0)?.error;
  const notes = [
    ...(failedCommands ? [`${failedCommands} command(s) failed (an error status, or no answer within ${REQUEST_TIMEOUT_MS / 1000} s), e.g. ${firstError}`] : []),
    ...(unseen ? [`${unseen} submission(s) not in the read model ${p.e2eDrainS} s after the load ended: counted at the time waited, so the percentiles are lower bounds`] : []),
    ...(note ? [note] : []),
  ];
  return {
    rate,
    p50,
    p95,
    p99,
    toOpenedP50: perWindow((w) => percentile(w.toOpened, 0.5), 'no submission seen in the read model'),
    openedToReadModelP50: perWindow((w) => percentile(w.toModel, 0.5), 'no submission seen in the read model'),
    answerP99: perWindow((w) => percentile(w.answers, 0.99)),
    achievedRate: ok(windows.map((w) => w.commands / (windowMs / 1000))),
    submissions,
    unseen,
    failedCommands,
    lateSubmissions: late,
    pollMs: pollTimes.length ? percentile(pollTimes, 0.5) : undefined,
    under500: p99.ok && p99.figure.median < 500 && unseen === 0 && failedCommands === 0,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** Drops the step's databases, topics and consumer groups. */
async function cleanup(ctx: BenchContext, prefix: string): Promise<void> {
  try {
    const { databases } = await ctx.client.db('admin').admin().listDatabases({ nameOnly: true });
    for (const { name } of databases) if (name.startsWith(`${prefix}_`)) await ctx.client.db(name).dropDatabase();
  } catch (error) {
    ctx.log(`e2e: dropping the databases of ${prefix}: ${errorText(error)}`);
  }
  const admin = new Kafka({ brokers: ctx.servers.kafkaBrokers, clientId: `bench-cleanup-${crypto.randomUUID().slice(0, 8)}`, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${prefix}.`));
    if (groups.length) await admin.deleteGroups(groups);
  } catch (error) {
    ctx.log(`e2e: removing the topics of ${prefix}: ${errorText(error)}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
