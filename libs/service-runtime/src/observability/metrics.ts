import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type ConsumerStatus, DomainError, type EventStore, type RecordedEvent, WrongExpectedVersion } from '@dotpha/kernel';
import { isStoreUnavailable } from '../store-unavailable';

/** What the metrics read of the services a process hosts (its hub's kernels) at each scrape. */
export interface ObservedServices {
  readonly kernels: readonly {
    readonly spec: { readonly name: string };
    readonly store: Pick<EventStore, 'undispatched' | 'countUndispatched'>;
    consumers(): Promise<readonly ConsumerStatus[]>;
    deadLetters(): Promise<readonly { readonly group: string; readonly letters: readonly unknown[] }[]>;
  }[];
}

/** What a command came to, for `dotpha_commands_total{outcome}`. */
export type CommandOutcome = 'accepted' | 'refused' | 'conflict' | 'unavailable' | 'failed';

/** The outcome of a command that threw. */
export function commandOutcomeOf(error: unknown): CommandOutcome {
  if (error instanceof WrongExpectedVersion || (error instanceof DomainError && ['WRONG_EXPECTED_VERSION', 'PRECONDITION_FAILED'].includes(error.code))) return 'conflict';
  if (error instanceof DomainError) return 'refused';
  return isStoreUnavailable(error) ? 'unavailable' : 'failed';
}

/** What a service kernel reports as it works (the hub's metrics; nothing when alone). */
export interface KernelObserver {
  command(service: string, outcome: CommandOutcome): void;
  append(service: string, seconds: number): void;
  consumed(service: string, group: string, event: RecordedEvent, at: Date): void;
  verified(service: string, ok: boolean, at: Date): void;
}

export const NO_OBSERVER: KernelObserver = { command: () => undefined, append: () => undefined, consumed: () => undefined, verified: () => undefined };

/**
 * The Prometheus metrics of one service process (GET /metrics), one registry per app. HTTP and
 * commands are counted as they happen; the outbox, consumers and dead letters are read from the
 * hosted services at each scrape. Names: /work notes and README "Metrics".
 */
export class RuntimeMetrics implements KernelObserver {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly commands: Counter<'service' | 'outcome'>;
  private readonly appendDuration: Histogram<'service'>;
  private readonly consumedEvents: Counter<'service' | 'group'>;
  private readonly projectionLag: Gauge<'service' | 'group'>;
  private readonly verifyOk: Gauge<'service'>;
  private readonly verifyAt: Gauge<'service'>;

  constructor(private readonly hub: ObservedServices, options: { readonly instance: string; readonly service: string; readonly processMetrics?: boolean }) {
    const registers = [this.registry];
    // Every sample says its province and service; a hosted service's own metrics name it themselves
    // (the one-process mode's 'platform' hosts five).
    this.registry.setDefaultLabels({ instance_code: options.instance, service: options.service });
    // Node's own (event loop, heap, GC, CPU): once per process, by the process's entry point.
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    this.httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route template and status', labelNames: ['method', 'route', 'status'], registers });
    this.httpDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request', labelNames: ['method', 'route', 'status'], buckets: seconds, registers });
    this.commands = new Counter({ name: 'dotpha_commands_total', help: 'Commands run, by outcome (accepted, refused by a rule, conflict, store unavailable, failed)', labelNames: ['service', 'outcome'], registers });
    this.appendDuration = new Histogram({ name: 'dotpha_event_append_duration_seconds', help: 'Time of one append to the event store', labelNames: ['service'], buckets: seconds, registers });
    this.consumedEvents = new Counter({ name: 'dotpha_consumer_events_total', help: 'Events handled by a consumer group of this process', labelNames: ['service', 'group'], registers });
    this.projectionLag = new Gauge({ name: 'dotpha_projection_lag_seconds', help: 'From the recording of the last event a consumer group handled to its handling', labelNames: ['service', 'group'], registers });
    this.verifyOk = new Gauge({ name: 'dotpha_audit_verify_ok', help: 'The last verification of the whole store: 1 no finding, 0 findings', labelNames: ['service'], registers });
    this.verifyAt = new Gauge({ name: 'dotpha_audit_verify_timestamp_seconds', help: 'When the store was last verified (Unix time)', labelNames: ['service'], registers });
    const kernels = () => this.hub.kernels;
    // Metrics are collected side by side: those of one source share one read of it per scrape.
    // The outbox counted by the store (no event read), and its oldest event read only when there is one.
    const outboxes = onePerScrape(() => Promise.all(kernels().map(async (kernel) => ({ service: kernel.spec.name, ...(await outboxOf(kernel.store).catch(() => ({}))) }))));
    const consumers = onePerScrape(() => Promise.all(kernels().map(async (kernel) => ({ service: kernel.spec.name, statuses: await kernel.consumers().catch(() => []) }))));
    new Gauge({
      name: 'dotpha_outbox_depth', help: 'Appends (of one or more events each) stored and not yet published to the bus', labelNames: ['service'], registers,
      async collect() {
        for (const { service, depth } of await outboxes()) if (depth !== undefined) this.set({ service }, depth);
      },
    });
    new Gauge({
      name: 'dotpha_outbox_oldest_age_seconds', help: 'Age of the oldest event stored and not yet published (0 when none)', labelNames: ['service'], registers,
      async collect() {
        for (const { service, depth, oldest } of await outboxes()) if (depth !== undefined) this.set({ service }, oldest ? Math.max(0, (Date.now() - Date.parse(oldest.recordedAt)) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'dotpha_consumer_up', help: 'A consumer group of this process: 1 running, 0 starting, rebalancing, crashed or stopped', labelNames: ['service', 'group'], registers,
      async collect() {
        this.reset();
        for (const { service, statuses } of await consumers()) for (const s of statuses) this.set({ service, group: s.group }, s.state === 'running' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'dotpha_consumer_lag', help: 'Messages published and not yet handled and committed by the consumer group', labelNames: ['service', 'group'], registers,
      async collect() {
        this.reset();
        for (const { service, statuses } of await consumers()) for (const s of statuses) if (s.lag !== null) this.set({ service, group: s.group }, s.lag);
      },
    });
    new Gauge({
      name: 'dotpha_dead_letters', help: 'Events parked by a consumer (group, projection or reactor) for an operator to re-drive', labelNames: ['service', 'group'], registers,
      async collect() {
        this.reset();
        await Promise.all(kernels().map(async (kernel) => {
          for (const { group, letters } of await kernel.deadLetters().catch(() => [])) this.set({ service: kernel.spec.name, group }, letters.length);
        }));
      },
    });
  }

  /** Counts and times every request by its route template (`/api/v1/proposals/:id`), never by its path. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const end = this.httpDuration.startTimer();
    response.once('finish', () => {
      const labels = { method: request.method, route: routeOf(request), status: String(response.statusCode) };
      end(labels);
      this.httpRequests.inc(labels);
    });
    next();
  };

  command(service: string, outcome: CommandOutcome): void {
    this.commands.inc({ service, outcome });
  }

  append(service: string, seconds: number): void {
    this.appendDuration.observe({ service }, seconds);
  }

  consumed(service: string, group: string, event: RecordedEvent, at: Date): void {
    this.consumedEvents.inc({ service, group });
    const recorded = Date.parse(event.recordedAt);
    if (Number.isFinite(recorded)) this.projectionLag.set({ service, group }, Math.max(0, (at.getTime() - recorded) / 1000));
  }

  verified(service: string, ok: boolean, at: Date): void {
    this.verifyOk.set({ service }, ok ? 1 : 0);
    this.verifyAt.set({ service }, at.getTime() / 1000);
  }
}

/** The outbox's depth as the store counts it, and its oldest event when it has one (one event read). */
async function outboxOf(store: Pick<EventStore, 'undispatched' | 'countUndispatched'>): Promise<{ depth: number; oldest?: RecordedEvent }> {
  const depth = await store.countUndispatched();
  return depth ? { depth, oldest: (await store.undispatched(1))[0] } : { depth };
}

/** One read shared by the metrics collected in the same scrape (reads within 500 ms of each other). */
function onePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > 500) last = { at: Date.now(), value: read() };
    return last.value;
  };
}

/** The route template express matched, under its mount path; what matched none is one label. */
export function routeOf(request: Request): string {
  const route = (request as Request & { route?: { path?: unknown } }).route?.path;
  return typeof route === 'string' ? `${request.baseUrl ?? ''}${route}` : 'unmatched';
}
