import type { Params } from './params';
import type { Machine } from './servers';
import { type Figure, type Outcome, fmtMs, fmtPct, fmtRate } from './stats';
import type { AppendResult } from '../suites/append';
import type { AggregateRow, HeadLookupRow } from '../suites/read';
import type { PublishResult } from '../suites/publish';
import type { RebuildResult } from '../suites/rebuild';
import type { FootprintResult } from '../suites/footprint';
import type { E2eResult } from '../suites/e2e';
import { type ListsResult, listsMarkdown } from '../suites/lists';
import { type ConsoleResult, consoleMarkdown } from '../suites/console';

export interface Results {
  readonly startedAt: string;
  readonly seconds: number;
  readonly commit: string;
  readonly machine: Machine;
  readonly loadAtEnd: number[];
  readonly servers: { kafka: string; mongo: string; origin: string };
  readonly params: Params;
  readonly peer: string;
  readonly append?: AppendResult;
  readonly aggregates?: { rows: AggregateRow[]; heads: HeadLookupRow[] };
  readonly publish?: PublishResult;
  readonly rebuild?: RebuildResult;
  readonly e2e?: E2eResult;
  readonly footprint?: FootprintResult;
  readonly lists?: ListsResult;
  readonly console?: ConsoleResult;
  readonly errors: string[];
}

export type Status = 'met' | 'not met' | 'not measured';

export interface TargetLine {
  readonly target: string;
  readonly figure: string;
  readonly status: Status;
}

const cell = (o: Outcome | undefined, fmt = fmtRate): string =>
  !o ? 'not run' : o.ok ? `${fmt(o.figure.median)} (${fmt(o.figure.min)}–${fmt(o.figure.max)})` : `failed: ${o.reason}`;
const median = (o: Outcome | undefined): number | undefined => (o?.ok ? o.figure.median : undefined);
const ratio = (a: Outcome | undefined, b: Outcome | undefined): string => {
  const x = median(a);
  const y = median(b);
  return x !== undefined && y !== undefined && y > 0 ? fmtPct(x / y) : '–';
};
const esc = (s: string) => s.replace(/\|/g, '\\|');

export function targets(r: Results): TargetLine[] {
  const lines: TargetLine[] = [];
  const rows = (r.append?.rows ?? []).filter((row) => row.streams === 8 || row.streams === 64);
  if (rows.length === 0) {
    lines.push({ target: 'Append ≥ 70% of raw insertOne at 8 and 64 streams', figure: 'not run', status: 'not measured' });
    lines.push({ target: 'Append ahead of the peer (emmett-mongodb) at 8 and 64 streams', figure: 'not run', status: 'not measured' });
  } else {
    const shares = rows.map((row) => ({ streams: row.streams, share: ratio(row.ours, row.raw), value: (median(row.ours) ?? NaN) / (median(row.raw) ?? NaN) }));
    lines.push({
      target: 'Append ≥ 70% of raw insertOne at 8 and 64 streams',
      figure: shares.map((s) => `${s.streams} streams: ${s.share}`).join('; '),
      status: shares.some((s) => Number.isNaN(s.value)) ? 'not measured' : shares.every((s) => s.value >= 0.7) ? 'met' : 'not met',
    });
    const vsPeer = rows.map((row) => ({ streams: row.streams, ours: median(row.ours), peer: median(row.peer) }));
    const peerMissing = vsPeer.some((v) => v.peer === undefined || v.ours === undefined);
    lines.push({
      target: 'Append ahead of the peer (emmett-mongodb) at 8 and 64 streams',
      figure: vsPeer.map((v) => `${v.streams} streams: ours ${v.ours === undefined ? '–' : fmtRate(v.ours)} vs peer ${v.peer === undefined ? '–' : fmtRate(v.peer)} events/s`).join('; '),
      status: peerMissing ? 'not measured' : vsPeer.every((v) => v.ours! > v.peer!) ? 'met' : 'not met',
    });
  }
  const pub = r.publish;
  const pubShare = pub && median(pub.relay) !== undefined && median(pub.raw) ? median(pub.relay)! / median(pub.raw)! : undefined;
  lines.push({
    target: 'Publish ≥ 80% of raw kafkajs',
    figure: pubShare === undefined ? 'not measured' : `${fmtRate(median(pub!.relay)!)} vs ${fmtRate(median(pub!.raw)!)} events/s = ${fmtPct(pubShare)}`,
    status: pubShare === undefined ? 'not measured' : pubShare >= 0.8 ? 'met' : 'not met',
  });
  lines.push(e2eTarget(r));
  const rb = median(r.rebuild?.serverModels);
  lines.push({
    target: 'Rebuild ≥ 50,000 events/s',
    figure: rb === undefined ? 'not measured' : `${fmtRate(rb)} events/s into read models on the server (${fmtRate(median(r.rebuild!.memoryModels) ?? NaN)} into memory), ${r.rebuild!.events.toLocaleString('en-US')} events${r.rebuild!.events === 1_000_000 ? '' : ', not the 1,000,000 the target names'}`,
    status: rb === undefined ? 'not measured' : r.rebuild!.events < 1_000_000 ? 'not measured' : rb >= 50_000 ? 'met' : 'not met',
  });
  return lines;
}

export function markdown(r: Results, notes: string[]): string {
  const m = r.machine;
  const p = r.params;
  const out: string[] = [];
  out.push('# Benchmark results (latest run)', '');
  out.push(`Written by \`npm run bench\` (bench/run.ts) on ${r.startedAt}, in ${Math.round(r.seconds)} s, at commit ${r.commit}. ` +
    `Each figure is the **median of ${p.runs} runs, with (min–max)** beside it (append, read and publish after a discarded warm-up run; each rebuild run replays the whole store and has none). See bench/README.md for what each figure means.`, '');
  out.push('| | |', '|---|---|');
  out.push(`| machine | ${m.cores} cores (${esc(m.cpu)}), ${m.memoryGiB} GiB memory, ${esc(m.os)}, Node ${m.node} |`);
  out.push(`| load average (1, 5, 15 min) | at start ${m.loadAtStart.join(', ')}; at end ${r.loadAtEnd.join(', ')} (other work on the machine shows here) |`);
  out.push(`| MongoDB server | ${esc(r.servers.mongo)} |`);
  out.push(`| Kafka | ${esc(r.servers.kafka)} |`);
  out.push(`| servers | ${esc(r.servers.origin)} |`);
  out.push(`| peer | ${esc(r.peer)} |`);
  out.push('');
  out.push('## Targets of issue 5', '', '| target | this run | status |', '|---|---|---|');
  for (const t of targets(r)) out.push(`| ${t.target} | ${esc(t.figure)} | **${t.status}** |`);
  out.push('');

  out.push('## 1. Append (events/s, 1 event per append)', '');
  if (r.append) {
    const a = r.append;
    out.push(`Each run writes ${a.eventsPerRun} events, spread evenly over the streams (one writer per stream), into empty collections of its own; ` +
      `a 1-event commit is ${a.commitBytes} bytes of BSON. Raw = \`insertOne\` of documents of that size with the driver, no read, no secondary index.`, '');
    out.push(`| streams | raw insertOne (limit) | MongoEventStore | % of raw | ${esc(a.peerLabel)} | % of raw | ours ÷ peer |`, '|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of a.rows) {
      const ourVsPeer = median(row.ours) !== undefined && median(row.peer) ? `${(median(row.ours)! / median(row.peer)!).toFixed(2)}×` : '–';
      out.push(`| ${row.streams} | ${cell(row.raw)} | ${cell(row.ours)} | ${ratio(row.ours, row.raw)} | ${esc(cell(row.peer))} | ${ratio(row.peer, row.raw)} | ${ourVsPeer} |`);
    }
    const longest = Math.ceil(a.eventsPerRun / Math.min(...a.rows.map((row) => row.streams)));
    out.push('', `The peer keeps a stream as one document and appends by reading the stream's position, then \`$push\`ing to the document's \`messages\` array: ` +
      `every append rewrites a document that grows with its stream (here up to ${longest.toLocaleString('en-US')} events, one stream), so its rate falls as streams get longer, ` +
      `and a stream ends at MongoDB's 16 MB document limit (about ${Math.floor((16 * 1024 * 1024) / a.commitBytes).toLocaleString('en-US')} events of this size). ` +
      'Ours writes one document per append, whatever the stream\'s length.');
  } else out.push('not run');
  out.push('');

  out.push('## 2. Read', '');
  if (r.aggregates) {
    out.push('Rebuilding one aggregate: `readStream` + a fold, the aggregate alone in its store, 1 event per commit.', '');
    out.push('| aggregate of | ms per rebuild | events/s |', '|---:|---:|---:|');
    for (const row of r.aggregates.rows) out.push(`| ${row.events.toLocaleString('en-US')} events | ${cell(row.ms, fmtMs)} | ${cell(row.eventsPerSecond)} |`);
    out.push('');
  }
  if (r.rebuild) {
    out.push(`\`readAll\` from a checkpoint: from global position ${Math.floor(r.rebuild.events / 2).toLocaleString('en-US')} to the end of a store of ` +
      `${r.rebuild.events.toLocaleString('en-US')} events (${r.rebuild.readAllEvents.toLocaleString('en-US')} events, pages of 1,000): **${cell(r.rebuild.readAll)} events/s**.`, '');
  }
  const heads = [...(r.aggregates?.heads ?? []), ...(r.rebuild ? [r.rebuild.head] : [])].sort((a, b) => a.commits - b.commits);
  if (heads.length) {
    out.push('The stream-head lookup an append needs when it does not remember the head (`streamVersion` of a stream that does not exist: a probe of `<stream>|1` by `_id`), against how many commits the collection holds:', '');
    out.push('| commits stored | ms per lookup |', '|---:|---:|');
    for (const h of heads) out.push(`| ${h.commits.toLocaleString('en-US')} | ${cell(h.ms, fmtMs)} |`);
    out.push('');
  }

  out.push('## 3. Publish (events/s to Kafka)', '');
  if (r.publish) {
    const pb = r.publish;
    out.push(`${pb.events.toLocaleString('en-US')} stored, sequenced, undispatched events (1 per commit) per run; the relay drains them in batches of ${pb.batch}; ` +
      `raw kafkajs sends the same messages (key, value, headers) with the bus's producer settings (idempotent, acks all) in batches of ${pb.batch}.`, '');
    out.push('| path | events/s | % of raw |', '|---|---:|---:|');
    out.push(`| raw kafkajs \`sendBatch\` (limit) | ${cell(pb.raw)} | 100% |`);
    out.push(`| \`OutboxRelay.drain()\` + KafkaEventBus | ${cell(pb.relay)} | ${ratio(pb.relay, pb.raw)} |`);
    out.push('');
    if (pb.startup) {
      out.push(`Before the clock, the relay's store made its first sequencing pass (what a relay does once when it takes the sequencer lease, then every 5 s: the query for commits other processes appended, here finding none): ${cell(pb.startup, (n) => n.toFixed(3))} s.`, '');
    }
    if (pb.breakdown && Object.keys(pb.breakdown).length) {
      out.push('Where a drain spends its time (seconds per drain):', '', '| step | seconds |', '|---|---:|');
      for (const [step, f] of Object.entries(pb.breakdown)) out.push(`| ${step} | ${fmtFigure(f, (n) => n.toFixed(3))} |`);
      out.push('');
    }
  } else out.push('not run', '');

  out.push('## 4. Rebuild (ProjectionRunner.rebuild, events/s)', '');
  if (r.rebuild) {
    const rb = r.rebuild;
    out.push(`**${rb.events.toLocaleString('en-US')} events** (BENCH_REBUILD_EVENTS${rb.events < 1_000_000 ? '; the issue asks for 1,000,000' : ''}), ${rb.streams.toLocaleString('en-US')} streams, 1 event per commit, stored as the sequencer writes a backlog (log chunks of 500 events); ` +
      'a projection with one document per stream: drop, then replay the global order from 0 in pages of 1,000, documents held in memory and written with `putMany` when 250,000 are held and at the end (the checkpoint follows each write).', '');
    out.push('| read models in | events/s |', '|---|---:|');
    out.push(`| MongoReadModelStore on the same server | ${cell(rb.serverModels)} |`);
    out.push(`| MemoryReadModelStore (the reading side alone) | ${cell(rb.memoryModels)} |`);
    if (Object.keys(rb.serverBreakdown).length) {
      out.push('', 'Where a rebuild into the server\'s read models spends its time (seconds per rebuild; `events.*` = the event store, `models.*` = the read-model store):', '', '| call | seconds |', '|---|---:|');
      for (const [step, f] of Object.entries(rb.serverBreakdown)) out.push(`| ${step} | ${fmtFigure(f, (n) => n.toFixed(2))} |`);
    }
  } else out.push('not run');
  out.push('');

  out.push('## 5. End to end (distributed mode)', '');
  if (r.e2e) out.push(...e2eSection(r.e2e));
  else out.push('not run', '');

  out.push('## 6. Footprint', '');
  if (r.footprint) {
    const f = r.footprint;
    out.push(`\`${f.command}\` (one process: embedded store, in-process bus, sample province), RSS once a second after it answered and settled 5 s:`, '');
    out.push('| state | RSS (MiB) |', '|---|---:|');
    out.push(`| at rest | ${cell(f.restRss, (n) => n.toFixed(1))} |`);
    const rate = f.load?.rate ?? p.footprintLoadRate ?? 100;
    out.push(`| under ${rate} commands/s | ${f.loadRss ? esc(cell(f.loadRss, (n) => n.toFixed(1))) : 'not measured'} |`);
    if (f.load) {
      const l = f.load;
      out.push('', `Under load: the same open-loop draft-and-submit pairs as the end-to-end figure (half \`POST /proposals\`, half \`POST /proposals/:id/submit\`), ${l.rate} commands/s over ${l.callers} proposers with tokens from its local issuer (\`POST /api/v1/auth/token\`), ` +
        `sampled after ${l.warmupSeconds} s of load; while sampling ${fmtRate(l.achievedRate)} commands/s were issued (${l.commands.toLocaleString('en-US')} commands, ${l.failedCommands} failed)` +
        (l.answerP50 !== undefined ? `, submissions answered in ${fmtMs(l.answerP50)} ms (p50) and ${fmtMs(l.answerP99!)} ms (p99).` : '.'));
    }
    if (f.services) {
      const s = f.services;
      out.push('', `Each service as the image runs it (compiled by \`deploy/build.mjs\`, plain \`node\`, production configuration on the bench's Kafka and MongoDB), RSS at rest once \`/health/ready\` answered and it settled 5 s. ` +
        `The Helm chart's memory request per service comes from this row (\`deploy/helm/dotpha/values.yaml\`: request ${s.chartRequest ?? '?'}, limit ${s.chartLimit ?? '?'}):`, '');
      out.push('| service | RSS at rest (MiB) |', '|---|---:|');
      for (const row of s.rows) out.push(`| ${row.service} | ${esc(cell(row.restRss, (n) => n.toFixed(1)))} |`);
    }
  } else out.push('not run');
  out.push('');
  out.push(...listsMarkdown(r.lists));
  out.push(...consoleMarkdown(r.console));

  const missing = [
    ...(r.e2e ? [] : ['End to end (issue item 4): not run in this run (BENCH_ONLY).']),
    ...(r.footprint?.loadRss ? [] : ['Footprint under load: not run in this run.']),
  ];
  if (missing.length) {
    out.push('## Not measured in this run', '');
    for (const m of missing) out.push(`- ${m}`);
    out.push('');
  }
  if (notes.length) {
    out.push('## Notes', '');
    for (const n of notes) out.push(`- ${n}`);
    out.push('');
  }
  if (r.errors.length) {
    out.push('## Errors', '');
    for (const e of r.errors) out.push(`- ${esc(e)}`);
    out.push('');
  }
  return out.join('\n');
}

const fmtFigure = (f: Figure, fmt: (n: number) => string) => `${fmt(f.median)} (${fmt(f.min)}–${fmt(f.max)})`;

function e2eTarget(r: Results): TargetLine {
  const target = 'End to end p99 < 250 ms at 50 commands/s';
  const step = r.e2e?.steps.find((s) => s.rate === 50);
  if (!step) return { target, figure: r.e2e ? 'the 50 commands/s step was not run' : 'not run', status: 'not measured' };
  if (!step.p99.ok) return { target, figure: `failed: ${step.p99.reason}`, status: 'not measured' };
  const bound = step.unseen ? ` (at least: ${step.unseen} submissions not seen within ${r.e2e!.drainSeconds} s)` : '';
  return {
    target,
    figure: `p99 ${fmtMs(step.p99.figure.median)} ms${bound}, median of ${step.p99.figure.runs.length} windows (${fmtMs(step.p99.figure.min)}–${fmtMs(step.p99.figure.max)}); submission → approvals read model`,
    status: step.p99.figure.median < 250 ? 'met' : 'not met',
  };
}

function e2eSection(e: E2eResult): string[] {
  const out: string[] = [];
  const windowS = e.steadySeconds / e.windows;
  const polls = e.steps.map((s) => s.pollMs).filter((m): m is number => m !== undefined);
  out.push(`${e.mode}. Each rate runs on freshly started services with databases and topics of their own (removed afterwards).`, '');
  out.push('- **Command measured**: `POST /api/v1/proposals/:id/submit` (proposals service) of a complete draft. Its effect crosses services: the approvals service reacts to `ProposalSubmitted` (through Kafka) by opening a review, ' +
    'whose `ReviewOpened` reaches its `reviews` read model (through Kafka again), the one `GET /api/v1/reviews` answers from.');
  out.push(`- **Latency**: from the moment the submission's HTTP answer arrived to the moment a poll of that read model returned the review. The poll is one query for every submission still outstanding (\`_id $in [...]\` on \`rm.reviews\` in the approvals service's database), ` +
    `repeated every ${e.pollIntervalMs} ms or as soon as the previous one answered when it takes longer${polls.length ? ` (median poll ${fmtMs(percentileOf(polls))} ms)` : ''}; a latency is therefore an upper bound by up to one poll. Before each step's load, one review was also read through \`GET /api/v1/reviews/:id\`, to check that the polled collection is the one the API serves.`);
  out.push(`- **Load**: open loop, on a fixed schedule whatever the answers: drafts (\`POST /api/v1/proposals\`) and submissions alternate, each at half the rate, a draft 1 s before its submission (a submission whose draft is still unanswered leaves when it is answered: "late" below). ` +
    `"Commands/s" counts both; the latency samples are the submissions. The commands are spread over ${e.callers} proposers of the sample province, tokens signed with the key the services are given (DOTPHA_LOCAL_ISSUER_KEY, as test/e2e/platform.ts does), and the per-caller limit is raised (DOTPHA_COMMANDS_PER_MINUTE=1000000).`);
  out.push(`- **Runs**: after one draft and submission awaited end to end, ${e.warmupSeconds} s of warm-up (discarded), then ${e.steadySeconds} s steady cut into ${e.windows} consecutive windows of ${fmtRate(windowS)} s (by the submission's scheduled time): ` +
    `each figure is the median of the ${e.windows} windows' percentiles, with (min–max); the runs are windows of one steady phase, not restarts. Submissions still not in the read model ${e.drainSeconds} s after the last command count at the time waited (then the percentiles are lower bounds).`, '');
  out.push('| commands/s | issued/s | p50 (ms) | p95 (ms) | p99 (ms) | submission answered, p99 (ms) | submissions | not seen | failed | late | p99 < 500 ms |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|');
  for (const s of e.steps) {
    out.push(`| ${s.rate} | ${cell(s.achievedRate)} | ${esc(cell(s.p50, fmtMs))} | ${esc(cell(s.p95, fmtMs))} | ${esc(cell(s.p99, fmtMs))} | ${cell(s.answerP99, fmtMs)} | ${s.submissions.toLocaleString('en-US')} | ${s.unseen} | ${s.failedCommands} | ${s.lateSubmissions} | ${s.under500 ? 'yes' : 'no'} |`);
  }
  out.push('');
  if (e.steps.some((s) => s.toOpenedP50 || s.openedToReadModelP50)) {
    out.push('Where the time goes (p50, ms; the first part compares the `occurredAt` the approvals service gave `ReviewOpened` with the bench\'s clock, same machine):', '');
    out.push('| commands/s | answer → `ReviewOpened` recorded (proposals relay, Kafka, approvals reactor and append) | → in the read model (approvals relay, Kafka, projection, poll) |', '|---:|---:|---:|');
    for (const s of e.steps) out.push(`| ${s.rate} | ${esc(cell(s.toOpenedP50, fmtMs))} | ${esc(cell(s.openedToReadModelP50, fmtMs))} |`);
    out.push('');
  }
  const lowest = e.rates[0];
  out.push(`**Highest steady rate with p99 < 500 ms: ${e.highestUnder500 !== undefined ? `${e.highestUnder500} commands/s` : `none of the rates stepped (the lowest is ${lowest} commands/s)`}.** ` +
    `Rates stepped up through ${e.rates.join(', ')} commands/s until one missed (p99 ≥ 500 ms, a submission not seen, or a failed command), within ${e.budgetSeconds} s (BENCH_E2E_BUDGET_S); the 50 and 200 commands/s steps run in any case. This run: ${e.search}.`, '');
  const notes = e.steps.filter((s) => s.note);
  if (notes.length) {
    for (const s of notes) out.push(`- ${s.rate} commands/s: ${esc(s.note!)}`);
    out.push('');
  }
  return out;
}

function percentileOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
