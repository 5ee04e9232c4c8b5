import type { RecordedEvent } from '@dotpha/kernel';
import type { TokenVerifier } from './auth';
import type { ServiceKernel } from './service-kernel';

/**
 * The services a process hosts (five in the one-process mode, one when distributed). Started
 * once the HTTP app is initialised: in-memory read models are rebuilt from every service's
 * store first, then consumption from the bus begins.
 */
export class ServiceHub {
  readonly kernels: ServiceKernel[] = [];
  private started = false;

  /** One verifier per process: the issuer's keys are fetched and cached once. */
  constructor(readonly tokens: TokenVerifier) {}

  add(kernel: ServiceKernel): void {
    this.kernels.push(kernel);
  }

  kernel(name: string): ServiceKernel {
    const kernel = this.kernels.find((k) => k.spec.name === name);
    if (!kernel) throw new Error(`no service '${name}' in this process`);
    return kernel;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const inMemory = this.kernels.filter((k) => k.config.storage.kind === 'embedded');
    if (inMemory.length) {
      const stored = (await Promise.all(this.kernels.map((k) => readEverything(k)))).flat();
      stored.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.streamPosition - b.streamPosition));
      for (const kernel of inMemory) await kernel.replay(stored);
    }
    for (const kernel of this.kernels) await kernel.subscribe();
  }

  async close(): Promise<void> {
    await Promise.all(this.kernels.splice(0).map((k) => k.close()));
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
