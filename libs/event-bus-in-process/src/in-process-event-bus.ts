import {
  type Audience, type ConsumerState, type ContextOf, type EventBus, type RecordedEvent, type SubscribeOptions, type Subscription, outagePause, topicName,
} from '@dotpha/kernel';

interface Group {
  readonly offsets: Map<string, number>;
  active: boolean;
}

/** The logs and group offsets; bus clients of several instances in one process may share one. */
export class InProcessBroker {
  readonly topics = new Map<string, RecordedEvent[]>();
  readonly groups = new Map<string, Group>();
  readonly wakers = new Set<() => void>();
}

export interface InProcessBusOptions {
  readonly instance: string;
  readonly contextOf: ContextOf;
  readonly broker?: InProcessBroker;
  readonly retryDelayMs?: number;
  /** First wait before a crashed consumer goes on; doubles up to 30 s while it keeps crashing (default 100 ms). */
  readonly restartDelayMs?: number;
}

/**
 * The bus of the one-process mode, with the same semantics as the Kafka adapter: a log per
 * topic, an offset per group and topic that moves only after the handler resolved, redelivery
 * on failure. One member per group (a process is one member).
 */
export class InProcessEventBus implements EventBus {
  readonly instance: string;
  private readonly topics: Map<string, RecordedEvent[]>;
  private readonly groups: Map<string, Group>;
  private readonly wakers: Set<() => void>;
  private readonly own = new Set<Subscription>();

  constructor(private readonly options: InProcessBusOptions) {
    this.instance = options.instance;
    ({ topics: this.topics, groups: this.groups, wakers: this.wakers } = options.broker ?? new InProcessBroker());
  }

  async publish(events: readonly RecordedEvent[], audience: Audience = 'internal'): Promise<void> {
    for (const event of events) {
      const topic = topicName(event.instance, this.options.contextOf(event), undefined, audience);
      const log = this.topics.get(topic) ?? [];
      log.push(structuredClone(event));
      this.topics.set(topic, log);
    }
    this.wakers.forEach((wake) => wake());
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const group = this.groups.get(options.group) ?? { offsets: new Map<string, number>(), active: false };
    if (group.active) throw new Error(`group '${options.group}' already has a member in this process`);
    group.active = true;
    this.groups.set(options.group, group);
    const topics = (options.instances ?? [this.instance]).flatMap((i) => options.contexts.map((c) => topicName(i, c, undefined, options.audience)));
    let wake: () => void = () => undefined;
    const waker = () => wake();
    this.wakers.add(waker);

    const next = (): [string, RecordedEvent] | undefined => {
      for (const topic of topics) {
        const event = this.topics.get(topic)?.[group.offsets.get(topic) ?? 0];
        if (event) return [topic, event];
      }
      return undefined;
    };
    let state: ConsumerState = 'running';
    let restarts = 0;
    let lastError: string | null = null;
    let lastMessageAt: string | null = null;
    const loop = (async () => {
      let attempts = 0;
      let outages = 0;
      let crashesInARow = 0;
      while (group.active) {
        const found = next();
        if (!found) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        const [topic, event] = found;
        try {
          try {
            await options.handle(structuredClone(event));
          } catch (error) {
            // The store away for a moment never counts towards parking: the event waits for it.
            const transient = options.isTransient?.(error) ?? false;
            if (!transient) attempts++;
            if (transient || !options.onPoison || attempts < (options.maxAttempts ?? Infinity)) {
              const step = this.options.retryDelayMs ?? 20;
              await new Promise((resolve) => setTimeout(resolve, transient ? outagePause(step, ++outages) : step));
              continue;
            }
            await options.onPoison(event, error);
          }
        } catch (error) {
          // Parking failed: the consumer cannot go on past this event. It crashes and restarts by
          // itself after a backoff, from the event it did not move past (as the Kafka bus does).
          state = 'crashed';
          lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          await new Promise((resolve) => setTimeout(resolve, Math.min((this.options.restartDelayMs ?? 100) * 2 ** crashesInARow++, 30_000)));
          if (!group.active) break;
          restarts++;
          attempts = 0;
          state = 'running';
          continue;
        }
        attempts = 0;
        outages = 0;
        crashesInARow = 0;
        lastMessageAt = new Date().toISOString();
        group.offsets.set(topic, (group.offsets.get(topic) ?? 0) + 1);
      }
    })();

    const subscription: Subscription = {
      close: async () => {
        this.own.delete(subscription);
        group.active = false;
        this.wakers.delete(waker);
        wake();
        await loop;
        state = 'stopped';
      },
      status: async () => ({
        group: options.group,
        state,
        restarts,
        lastError,
        // Events of its topics the group has not moved past yet (the one in hand included).
        lag: topics.reduce((sum, topic) => sum + Math.max(0, (this.topics.get(topic)?.length ?? 0) - (group.offsets.get(topic) ?? 0)), 0),
        lastMessageAt,
      }),
    };
    this.own.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.own].map((s) => s.close()));
  }
}
