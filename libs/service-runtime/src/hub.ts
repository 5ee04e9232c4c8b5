import type { RecordedEvent } from '@dotpha/kernel';
import type { TokenVerifier } from './auth';
import { type KernelObserver, NO_OBSERVER } from './observability/metrics';
import type { ServiceKernel } from './service-kernel';

/** Where a service's consumption stands (issue 16): joining its consumer groups, consuming, or retrying a failed start. */
export interface ConsumptionState {
  readonly service: string;
  readonly state: 'starting' | 'consuming' | 'retrying' | 'stopped';
  readonly attempts: number;
  readonly lastError?: string;
  readonly since: string;
}

export interface HubStartOptions {
  /**
   * Start consuming in the background and return once the read models the process keeps in
   * memory are rebuilt, so the HTTP listener opens before the consumer groups have joined (a
   * join waits out a dead member's session, 30 s). A failed start is retried with backoff and
   * logged, never thrown. Default false: return once every consumer joined (tests).
   */
  readonly background?: boolean;
  /** First delay between attempts, doubled up to `maxRetryDelayMs`; default 500 ms. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  readonly log?: (message: string) => void;
}

/**
 * The services a process hosts (five in the one-process mode, one when distributed). Started
 * once the HTTP app is initialised: in-memory read models are rebuilt from every service's
 * store first, then consumption from the bus begins.
 */
export class ServiceHub {
  readonly kernels: ServiceKernel[] = [];
  private started = false;
  private stopping = false;
  private readonly states = new Map<string, ConsumptionState>();
  private readonly wakeRetries = new Set<() => void>();
  private readonly closing = new Map<ServiceKernel, Promise<void>>();
  private readonly closed = new Set<string>();
  /** Resolves when every service's consumption started (or the hub stopped); set by start(). */
  consuming: Promise<void> = Promise.resolve();

  /** Where the hosted kernels report what they do (the process's metrics). */
  observer: KernelObserver = NO_OBSERVER;

  /** One verifier per process: the issuer's keys are fetched and cached once. */
  constructor(readonly tokens: TokenVerifier) {}

  add(kernel: ServiceKernel): void {
    this.kernels.push(kernel);
    kernel.observer = this.observer;
    // Closed once, whoever asks first (the graceful shutdown, then Nest's shutdown hook, or a test).
    const close = kernel.close.bind(kernel);
    kernel.close = () => {
      let closing = this.closing.get(kernel);
      if (!closing) {
        closing = close().finally(() => this.closed.add(kernel.spec.name));
        this.closing.set(kernel, closing);
      }
      return closing;
    };
  }

  kernel(name: string): ServiceKernel {
    const kernel = this.kernels.find((k) => k.spec.name === name);
    if (!kernel) throw new Error(`no service '${name}' in this process`);
    return kernel;
  }

  async start(options: HubStartOptions = {}): Promise<void> {
    if (this.started) return;
    this.started = true;
    const inMemory = this.kernels.filter((k) => k.config.storage.kind === 'embedded');
    if (inMemory.length) {
      const stored = (await Promise.all(this.kernels.map((k) => readEverything(k)))).flat();
      stored.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.streamPosition - b.streamPosition));
      for (const kernel of inMemory) await kernel.replay(stored);
    }
    if (!options.background) {
      for (const kernel of this.kernels) {
        this.setState(kernel, 'starting', 1);
        await kernel.subscribe();
        this.setState(kernel, 'consuming', 1);
      }
      return;
    }
    this.consuming = Promise.all(this.kernels.map((kernel) => this.subscribeUntilStarted(kernel, options))).then(() => undefined);
  }

  /** Each hosted service's consumption, for operators (GET /admin/status may show it). */
  consumption(): ConsumptionState[] {
    return this.kernels.map((k) => this.states.get(k.spec.name) ?? { service: k.spec.name, state: 'starting', attempts: 0, since: new Date().toISOString() });
  }

  /** Services whose close has not finished (what a bounded shutdown names when it gives up). */
  stillOpen(): string[] {
    return [...this.closing.keys()].map((k) => k.spec.name).filter((name) => !this.closed.has(name));
  }

  async close(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakeRetries) wake();
    const kernels = this.kernels.splice(0);
    await Promise.all(kernels.map((k) => k.close()));
    for (const kernel of kernels) this.setState(kernel, 'stopped', this.states.get(kernel.spec.name)?.attempts ?? 0);
  }

  private async subscribeUntilStarted(kernel: ServiceKernel, options: HubStartOptions): Promise<void> {
    const log = options.log ?? (() => undefined);
    let delay = options.retryDelayMs ?? 500;
    for (let attempt = 1; !this.stopping; attempt++) {
      this.setState(kernel, attempt === 1 ? 'starting' : 'retrying', attempt, this.states.get(kernel.spec.name)?.lastError);
      const began = Date.now();
      try {
        await kernel.subscribe();
        if (this.stopping) return;
        this.setState(kernel, 'consuming', attempt);
        if (attempt > 1 || Date.now() - began > 5000) log(`[${kernel.spec.name}] consuming (attempt ${attempt}, joined in ${Date.now() - began} ms)`);
        return;
      } catch (error) {
        if (this.stopping) return;
        const message = (error as Error)?.message ?? String(error);
        this.setState(kernel, 'retrying', attempt, message);
        log(`[${kernel.spec.name}] could not start consuming (attempt ${attempt}): ${message}; retrying in ${delay} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, delay);
          function done(): void {
            clearTimeout(timer);
            wakes.delete(done);
            resolve();
          }
          const wakes = this.wakeRetries;
          wakes.add(done);
        });
        delay = Math.min(delay * 2, options.maxRetryDelayMs ?? 30_000);
      }
    }
  }

  private setState(kernel: ServiceKernel, state: ConsumptionState['state'], attempts: number, lastError?: string): void {
    this.states.set(kernel.spec.name, { service: kernel.spec.name, state, attempts, ...(lastError ? { lastError } : {}), since: new Date().toISOString() });
  }
}

async function readEverything(kernel: ServiceKernel): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let checkpoint = 0; ; ) {
    const page = await kernel.store.readAll(checkpoint, 5000);
    if (page.events.length === 0) return events;
    events.push(...page.events);
    checkpoint = page.checkpoint;
  }
}
