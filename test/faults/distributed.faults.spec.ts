import { Cluster, FaultServers, Load, type ServiceProcess, type Submission, call, say, sleep } from './lab';
import {
  type Recovery, type Round, type StoreSnapshot, acknowledgedProblems, effectProblems, readModelProblems, readStore, readTopics, recovery, rounds, settled, topicProblems,
} from './checks';

/**
 * Faults in the distributed mode (issue 16), on a Kafka 4.0 broker and a FerretDB of the suite's
 * own (test/infra/servers.mjs, restartable on their data) and the five services as processes:
 * the broker killed and restarted, a service killed and restarted, a service frozen past its
 * consumer session timeout, the database killed and restarted, one of two replicas killed. Each
 * scenario runs a bounded load of submissions (each opens exactly one review) through the fault,
 * then asserts against the store, the topics read back from offset 0 and the read models: 0 lost,
 * 0 doubled, every stream in order, every submission's review opened once and recorded once on
 * its proposal; and the recovery time, from the fault's end to the first review of a submission
 * made after it: under 10 s after a service restart, under 30 s after a broker restart.
 */

const RATE = 1; // submissions a second (2 cores shared by a broker, a database and five services; each opens a review and updates 3 read models)
const PRE_MS = 6_000; // steady load before the fault
const POST_MS = 15_000; // load after the fault's end
const SETTLE_MS = 45_000; // after the load, for every review to open
const READ_MODEL_MS = 60_000; // after that, for the read models' consumers to catch up
const SESSION_TIMEOUT_MS = 6_000; // the services' consumer session timeout (KafkaEventBus's default)
const SERVICE_TARGET_MS = 10_000;
const BROKER_TARGET_MS = 30_000;
const ADMIN = 'u-vp-quan-tri';
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'never');

interface Snapshot {
  readonly proposals: StoreSnapshot;
  readonly approvals: StoreSnapshot;
  readonly rounds: Map<string, Round>;
  readonly problems: string[];
  readonly settled: boolean;
}

interface Outcome {
  readonly problems: string[];
  readonly recovery: Recovery;
  readonly note: string;
}

describe('Faults in the distributed mode (issue 16): 0 lost, 0 doubled, in order, recovered in time', () => {
  let servers: FaultServers;
  let cluster: Cluster;
  /** False when a scenario left submissions without their review: the next one restarts the services first. */
  let healthy = true;
  const submissions: Submission[] = [];
  const results: string[] = [];

  beforeAll(async () => {
    const t0 = Date.now();
    servers = await FaultServers.start();
    say(`servers of the fault suite (its own, not the shared test servers): Kafka ${servers.kafka.kind} at ${servers.kafka.brokers}; MongoDB ${servers.mongo.kind} at ${servers.mongo.url}; logs in ${servers.dir}`);
    cluster = new Cluster(servers);
    await cluster.startAll(240_000);
    say(`services up in ${seconds(Date.now() - t0)} (prefix ${cluster.prefix}): ${cluster.processes.map((p) => `${p.label} ${p.url}`).join(', ')}`);
  }, 420_000);

  afterAll(async () => {
    for (const line of results) say(line);
    if (servers) say(`servers used: Kafka ${servers.kafka.kind} at ${servers.kafka.brokers}; MongoDB ${servers.mongo.kind} at ${servers.mongo.url}`);
    await cluster?.stop();
    await servers?.stop();
  }, 180_000);

  const database = (service: string) => `${cluster.prefix}_tm_${service}`;

  async function snapshot(): Promise<Snapshot> {
    const [proposals, approvals] = await Promise.all([
      readStore(servers.mongo.url, database('proposals'), 'proposals'),
      readStore(servers.mongo.url, database('approvals'), 'approvals'),
    ]);
    const found = rounds(proposals, approvals);
    return { proposals, approvals, rounds: found.rounds, problems: found.problems, settled: settled(found.rounds) };
  }

  async function waitSettled(ms: number): Promise<Snapshot> {
    const deadline = Date.now() + ms;
    for (;;) {
      const snap = await snapshot().catch(() => undefined);
      if (snap && (snap.settled || Date.now() > deadline)) return snap;
      if (!snap && Date.now() > deadline) return snapshot();
      await sleep(3000);
    }
  }

  /** What the operators' status says of the two services the load goes through (when something is wrong). */
  async function operatorsStatus(): Promise<string> {
    const lines: string[] = [];
    for (const service of ['proposals', 'approvals'] as const) {
      const reply = await call(cluster, service, 'GET', '/admin/status', ADMIN, { role: 'admin', timeoutMs: 10_000 });
      lines.push(`${service} /admin/status ${reply.status}: ${JSON.stringify(reply.body ?? reply.error).slice(0, 1500)}`);
    }
    return lines.join('\n');
  }

  /** Each consumer group of the two services, as their operators' status gives it: `group state lag`. */
  async function consumerStates(): Promise<{ group: string; state: string; lag: number | null }[]> {
    const states: { group: string; state: string; lag: number | null }[] = [];
    for (const service of ['proposals', 'approvals'] as const) {
      const reply = await call(cluster, service, 'GET', '/admin/status', ADMIN, { role: 'admin', timeoutMs: 10_000 });
      const kernels = Array.isArray(reply.body) ? (reply.body as { consumers?: { group: string; state: string; lag: number | null }[] }[]) : [];
      if (reply.status !== 200) states.push({ group: `${service} (status ${reply.status} ${reply.error ?? ''})`, state: 'unknown', lag: null });
      for (const k of kernels) states.push(...(k.consumers ?? []));
    }
    return states;
  }

  /** Dead letters the two services hold, per group (`group: count`). */
  async function deadLetters(): Promise<string[]> {
    const found: string[] = [];
    for (const service of ['proposals', 'approvals'] as const) {
      const reply = await call(cluster, service, 'GET', '/admin/status', ADMIN, { role: 'admin', timeoutMs: 10_000 });
      const kernels = Array.isArray(reply.body) ? (reply.body as { deadLetters?: { group: string; count: number }[] }[]) : [];
      for (const k of kernels) for (const d of k.deadLetters ?? []) if (d.count > 0) found.push(`${d.group}: ${d.count}`);
      if (kernels.some((k) => (k.deadLetters ?? []).some((d) => d.count > 0))) {
        // What was parked and why, as the operators' list gives it.
        const letters = await call(cluster, service, 'GET', '/admin/dead-letters', ADMIN, { role: 'admin', timeoutMs: 10_000 });
        found.push(`${service} dead letters: ${JSON.stringify(letters.body ?? letters.error).slice(0, 1500)}`);
      }
    }
    return found;
  }

  /** Waits until every consumer group of the two services runs with lag 0; returns those that did not. */
  async function consumersCaughtUp(ms: number): Promise<string[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const states = await consumerStates();
      const behind = states.filter((c) => c.state !== 'running' || c.lag !== 0).map((c) => `${c.group} ${c.state} lag ${c.lag}`);
      if (behind.length === 0 || Date.now() > deadline) return behind;
      await sleep(2000);
    }
  }

  async function scenario(name: string, fault: () => Promise<{ faultEnd: number; note: string }>): Promise<Outcome> {
    if (!healthy) {
      say(`${name}: the previous scenario left submissions without their review; restarting every service first`);
      await cluster.restartAll(240_000);
      healthy = (await waitSettled(SETTLE_MS * 2)).settled;
      say(`${name}: after the restart the pipeline is ${healthy ? 'caught up' : 'STILL STUCK'}`);
    }
    const load = new Load(cluster, name, RATE);
    load.start();
    let faultEnd = Infinity;
    let note = '';
    try {
      await sleep(PRE_MS);
      ({ faultEnd, note } = await fault());
      await sleep(Math.max(0, faultEnd + POST_MS - Date.now()));
    } finally {
      await load.stop();
      submissions.push(...load.submissions);
    }
    const snap = await waitSettled(SETTLE_MS);
    healthy = snap.settled;
    const problems = [
      ...snap.proposals.problems,
      ...snap.approvals.problems,
      ...snap.problems,
      ...effectProblems(snap.rounds),
      ...acknowledgedProblems(submissions, snap.rounds),
    ];
    // Read models follow the store through their own consumers: judged once those have caught up
    // (the operators' status says each group's lag), so a slow projection is told apart from a lost update.
    const behind = await consumersCaughtUp(READ_MODEL_MS);
    // A parked event is an effect that will not happen without an operator: counted as a problem.
    problems.push(...(await deadLetters()).map((d) => `dead letters: ${d} (a submission's effect parked, not applied)`));
    if (behind.length) problems.push(`read models still behind ${seconds(READ_MODEL_MS)} after the load (lagging, judged anyway): ${behind.join('; ')}`);
    let readModels: string[] = [];
    const deadline = Date.now() + 10_000;
    do {
      readModels = await readModelProblems(cluster, snap.rounds);
      if (readModels.length) await sleep(1000);
    } while (readModels.length && Date.now() < deadline);
    problems.push(...readModels);
    const records = await readTopics(servers.kafka.brokers, [`${cluster.prefix}.tm.proposals`, `${cluster.prefix}.tm.approvals`]);
    const onProposals = topicProblems(`${cluster.prefix}.tm.proposals`, records, snap.proposals, (s) => s.startsWith('proposal-'));
    const onApprovals = topicProblems(`${cluster.prefix}.tm.approvals`, records, snap.approvals, (s) => s.startsWith('review-'));
    problems.push(...onProposals.problems, ...onApprovals.problems);

    const rec = recovery(load.submissions, snap.rounds, faultEnd);
    const accepted = load.submissions.filter((s) => s.submitStatus === 200).length;
    const took = load.submissions.filter((s) => s.submitAckAt).map((s) => s.submitAckAt! - s.startedAt).sort((a, b) => a - b);
    const refused = load.submissions.filter((s) => s.error).map((s) => s.error!.replace(/ .*/s, (m) => m.slice(0, 60)));
    const line =
      `${name}: ${note}; load ${load.submissions.length} submissions (${accepted} acknowledged, ${refused.length} failed${refused.length ? ` e.g. ${refused[0]}` : ''}, ${load.skipped} ticks skipped at 8 in flight; draft+submit median ${seconds(took[Math.floor(took.length / 2)] ?? NaN)}, max ${seconds(took.at(-1) ?? NaN)}); ` +
      `store ${snap.rounds.size} rounds in all, ${snap.settled ? 'every review opened' : 'NOT SETTLED'}; ` +
      `topics ${onProposals.delivered + onApprovals.delivered} events (${onProposals.redelivered + onApprovals.redelivered} redelivered); ` +
      `${problems.length} problems; recovery ${seconds(rec.recoveryMs)} (${rec.after} submissions after the fault), worst latency after ${seconds(rec.worstLatencyAfterMs)}, backlog cleared ${seconds(rec.backlogClearedMs)} after the fault's end`;
    say(line);
    results.push(line);
    for (const p of problems.slice(0, 15)) say(`  ${name}: ${p}`);
    if (problems.length) say(`  ${name}: ${await operatorsStatus()}`);
    return { problems, recovery: rec, note };
  }

  const none = (problems: string[]) => ({ count: problems.length, first: problems.slice(0, 10) });
  const approvals = (): ServiceProcess => cluster.service('approvals');

  /** The service answers HTTP again (measured in the background from its restart). */
  function httpBack(service: ServiceProcess, from: number): Promise<string> {
    return service.answering(120_000).then(
      (at) => `HTTP back ${seconds(at - from)} after the restart`,
      (e) => `HTTP not back: ${(e as Error).message.split('\n')[0]}`,
    );
  }

  it('the broker killed (SIGKILL) 10 s and restarted on its data: nothing lost or doubled, consuming again under 30 s', async () => {
    const outcome = await scenario('broker killed', async () => {
      const killedAt = await servers.signal('kafka', 'SIGKILL');
      await sleep(10_000);
      const { spawnedAt, readyAt } = await servers.start('kafka');
      return { faultEnd: spawnedAt, note: `broker down ${seconds(spawnedAt - killedAt)}, serving ${seconds(readyAt - spawnedAt)} after its restart` };
    });
    expect(none(outcome.problems)).toEqual(none([]));
    expect(outcome.recovery.recoveryMs).toBeLessThan(BROKER_TARGET_MS);
  }, 420_000);

  it('the approvals service killed (SIGKILL) and restarted: nothing lost or doubled, consuming again under 10 s', async () => {
    let http: Promise<string> = Promise.resolve('');
    const outcome = await scenario('approvals killed', async () => {
      await approvals().signal('SIGKILL');
      await sleep(2_000);
      const at = await approvals().start();
      http = httpBack(approvals(), at);
      return { faultEnd: at, note: 'approvals SIGKILLed, restarted 2 s later' };
    });
    say(`approvals killed: ${await http}`);
    expect(none(outcome.problems)).toEqual(none([]));
    expect(outcome.recovery.recoveryMs).toBeLessThan(SERVICE_TARGET_MS);
  }, 420_000);

  it('the approvals service frozen (SIGSTOP) past its consumer session timeout, then resumed: it consumes again under 10 s', async () => {
    const freezeMs = Math.max(2 * SESSION_TIMEOUT_MS, SESSION_TIMEOUT_MS + 10_000);
    const outcome = await scenario('approvals frozen', async () => {
      await approvals().signal('SIGSTOP');
      await sleep(freezeMs);
      const at = await approvals().signal('SIGCONT');
      return { faultEnd: at, note: `approvals frozen ${seconds(freezeMs)} (session timeout ${seconds(SESSION_TIMEOUT_MS)})` };
    });
    expect(none(outcome.problems)).toEqual(none([]));
    expect(outcome.recovery.recoveryMs).toBeLessThan(SERVICE_TARGET_MS);
  }, 420_000);

  it('the database killed (SIGKILL) 10 s and restarted on its data: nothing lost or doubled, consuming again under 30 s', async () => {
    const outcome = await scenario('database killed', async () => {
      const killedAt = await servers.signal('mongo', 'SIGKILL');
      await sleep(10_000);
      const { spawnedAt, readyAt } = await servers.start('mongo');
      return { faultEnd: spawnedAt, note: `FerretDB down ${seconds(spawnedAt - killedAt)}, serving ${seconds(readyAt - spawnedAt)} after its restart` };
    });
    expect(none(outcome.problems)).toEqual(none([]));
    expect(outcome.recovery.recoveryMs).toBeLessThan(BROKER_TARGET_MS);
  }, 420_000);

  it('two replicas of the approvals service, one killed (SIGKILL) under load: the other takes over, nothing lost or doubled', async () => {
    const second = await cluster.add('approvals', 2);
    await second.answering(240_000);
    // HTTP answers before the groups join: wait until the new replica's consumers run (the group rebalanced).
    const joinedBy = Date.now() + 60_000;
    for (;;) {
      const reply = await call(cluster, 'approvals', 'GET', '/admin/status', ADMIN, { role: 'admin', timeoutMs: 10_000, url: second.url });
      const consumers = Array.isArray(reply.body) ? reply.body.flatMap((k: { consumers?: { state: string }[] }) => k.consumers ?? []) : [];
      if ((consumers.length > 0 && consumers.every((c: { state: string }) => c.state === 'running')) || Date.now() > joinedBy) break;
      await sleep(1000);
    }
    await sleep(3000);
    const outcome = await scenario('one of two approvals replicas killed', async () => {
      const at = await approvals().signal('SIGKILL');
      return { faultEnd: at, note: `approvals replica 1 of 2 SIGKILLed (replica 2 on ${second.url} stays)` };
    });
    expect(none(outcome.problems)).toEqual(none([]));
    expect(outcome.recovery.recoveryMs).toBeLessThan(SERVICE_TARGET_MS);
    // The survivor can only know its partner died when the partner's session expires.
    expect(outcome.recovery.worstLatencyAfterMs).toBeLessThan(SESSION_TIMEOUT_MS + 15_000);
  }, 420_000);
});
