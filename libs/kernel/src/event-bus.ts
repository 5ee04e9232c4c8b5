import type { RecordedEvent } from './envelope';

export interface Subscription {
  /** Stops consuming and leaves the group at once (a planned restart waits for nothing). */
  close(): Promise<void>;
  /** Where this consumer is: for operators (the admin status) and tests. */
  status(): Promise<ConsumerStatus>;
}

/**
 * `starting` until it first joins its group; `running` while it consumes; `rebalancing` while its
 * group moves partitions between members; `crashed` between a failure it could not go on from and
 * its restart (it restarts by itself, with backoff, from the last committed position); `stopped`
 * once closed.
 */
export type ConsumerState = 'starting' | 'running' | 'rebalancing' | 'crashed' | 'stopped';

export interface ConsumerStatus {
  /** The consumer group, as subscribed (SubscribeOptions.group). */
  readonly group: string;
  readonly state: ConsumerState;
  /** How many times it crashed and was restarted since it subscribed. */
  readonly restarts: number;
  /** The last error that crashed it or failed a commit, or null. */
  readonly lastError: string | null;
  /** Events published and not yet handled and committed by the group, over all its partitions; null when unknown. */
  readonly lag: number | null;
  /** When it last handled an event (ISO 8601), or null. */
  readonly lastMessageAt: string | null;
}

export interface SubscribeOptions {
  /** Consumer group: each group sees every event once-or-more; members share the partitions. */
  readonly group: string;
  /** Bounded contexts whose topics to read (see topicName). */
  readonly contexts: readonly string[];
  /** Instances to read; defaults to the bus's own instance. */
  readonly instances?: readonly string[];
  /** Which topics: the instance's own (default), or the public ones other agencies read. */
  readonly audience?: Audience;
  /** Resolves once handled; the position is committed only then. A throw means redelivery. */
  handle(event: RecordedEvent): Promise<void>;
  /**
   * After `maxAttempts` failed deliveries of one event, it is handed here and the subscription
   * moves past it (park it, count it). Without it, a failing event is retried until it passes.
   */
  readonly onPoison?: (event: RecordedEvent, error: unknown) => Promise<void>;
  readonly maxAttempts?: number;
  /**
   * Failures that say the infrastructure is away for a moment (the store unreachable), not that
   * the event cannot be handled: such an event is retried with a growing pause (at most a few
   * seconds) for as long as it takes, never counted towards `maxAttempts` nor parked.
   */
  readonly isTransient?: (error: unknown) => boolean;
}

/** The pause before the `outages`-th new try of an event that failed as transient: doubling from `step`, at most 5 s. */
export function outagePause(step: number, outages: number): number {
  return Math.min(step * 2 ** Math.min(outages, 10), 5_000);
}

/**
 * The event bus port: at-least-once delivery, order kept per stream (key = streamId).
 * Every adapter passes the same contract suite (@dotpha/testkit).
 */
export interface EventBus {
  readonly instance: string;
  /** `public` goes to the topics read outside the instance: give it public views only. */
  publish(events: readonly RecordedEvent[], audience?: Audience): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}

/** Maps a published event to its bounded context (from the registry). */
export type ContextOf = (event: RecordedEvent) => string;

/** Who a topic is for: services of the instance, or other agencies and central analytics. */
export type Audience = 'internal' | 'public';

/** One topic per bounded context and instance: `dotpha.<instance>.<context>`, public ones `dotpha.<instance>.public.<context>`. */
export function topicName(instance: string, context: string, prefix = 'dotpha', audience: Audience = 'internal'): string {
  return audience === 'public' ? `${prefix}.${instance}.public.${context}` : `${prefix}.${instance}.${context}`;
}
