/** Every size the bench uses, each overridable from the environment (see bench/README.md). */
function int(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number >= ${min}, not '${raw}'`);
  return value;
}

function list(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw.split(',').map((part) => {
    const value = Number(part.trim());
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a comma-separated list of whole numbers, not '${raw}'`);
    return value;
  });
}

export interface Params {
  /** Measured runs per figure (a warm-up run before them is discarded). */
  readonly runs: number;
  readonly appendStreams: number[];
  /** Events written per run and implementation, spread evenly over the streams. */
  readonly appendEvents: number;
  readonly aggregateSizes: number[];
  /** Events in the store that readAll and the rebuild read. */
  readonly rebuildEvents: number;
  /** Events per stream in that store (one event per commit, as 1-event appends write them). */
  readonly rebuildStreamLength: number;
  readonly publishEvents: number;
  readonly relayBatch: number;
  /** Payload text length of every event, in characters. */
  readonly payloadChars: number;
  /** Longest wait for one server call chain before the figure is reported as failed. */
  readonly stepTimeoutMs: number;
  readonly footprintSamples: number;
  /** Commands per second of the load the footprint is also sampled under, and its samples (one a second). */
  readonly footprintLoadRate: number;
  readonly footprintLoadSamples: number;
  /** End to end: the rates stepped through (commands/s, ascending), and the phases of each step. */
  readonly e2eRates: number[];
  readonly e2eWarmupS: number;
  readonly e2eSteadyS: number;
  /** Longest wait, after the last command of a step, for submissions still missing from the read model. */
  readonly e2eDrainS: number;
  /** Time bound of the search for the highest rate (the 50 and 200 commands/s steps run regardless). */
  readonly e2eBudgetS: number;
  readonly e2ePollMs: number;
  /** Distinct proposers the commands are spread over. */
  readonly e2eCallers: number;
  /** Lists: proposals in the read model, documents per page, timed requests per kind of request. */
  readonly listProposals: number;
  readonly listPageSize: number;
  readonly listRequests: number;
}

export function readParams(): Params {
  return {
    runs: int('BENCH_RUNS', 5, 1),
    appendStreams: list('BENCH_APPEND_STREAMS', [1, 8, 64]),
    appendEvents: int('BENCH_APPEND_EVENTS', 256),
    aggregateSizes: list('BENCH_AGGREGATE_SIZES', [10, 100, 1000]),
    rebuildEvents: int('BENCH_REBUILD_EVENTS', 1_000_000),
    rebuildStreamLength: int('BENCH_REBUILD_STREAM_LENGTH', 10),
    publishEvents: int('BENCH_PUBLISH_EVENTS', 10_000),
    relayBatch: int('BENCH_RELAY_BATCH', 500),
    payloadChars: int('BENCH_PAYLOAD_CHARS', 300),
    stepTimeoutMs: int('BENCH_STEP_TIMEOUT_S', 120) * 1000,
    footprintSamples: int('BENCH_FOOTPRINT_SAMPLES', 5),
    footprintLoadRate: int('BENCH_FOOTPRINT_LOAD_RATE', 100),
    footprintLoadSamples: int('BENCH_FOOTPRINT_LOAD_SAMPLES', 20),
    e2eRates: list('BENCH_E2E_RATES', [5, 10, 25, 50, 100, 150, 200, 300, 400]),
    e2eWarmupS: int('BENCH_E2E_WARMUP_S', 5),
    e2eSteadyS: int('BENCH_E2E_STEADY_S', 20),
    e2eDrainS: int('BENCH_E2E_DRAIN_S', 60),
    e2eBudgetS: int('BENCH_E2E_BUDGET_S', 600),
    e2ePollMs: int('BENCH_E2E_POLL_MS', 15),
    e2eCallers: int('BENCH_E2E_CALLERS', 8),
    listProposals: int('BENCH_LIST_PROPOSALS', 100_000),
    listPageSize: int('BENCH_LIST_PAGE', 20),
    listRequests: int('BENCH_LIST_REQUESTS', 20),
  };
}
