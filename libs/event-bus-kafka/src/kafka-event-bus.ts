import { type Admin, type Consumer, type ConsumerCrashEvent, type EachBatchPayload, type Producer, type SASLOptions, Kafka, Partitioners, logLevel } from 'kafkajs';
import { type Context, type Span, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import {
  type Audience, type ConsumerState, type ConsumerStatus, type ContextOf, type EventBus, type RecordedEvent, type SubscribeOptions, type Subscription,
  encodeEvent, outagePause, topicName,
} from '@dotpha/kernel';

/**
 * How the bus logs in to a secured cluster (issue 15): SASL (SCRAM, or PLAIN over TLS) and TLS,
 * e.g. the instance's own user whose ACLs allow only its topics and consumer groups.
 */
export interface KafkaSecurity {
  readonly sasl?: { readonly mechanism: KafkaSaslMechanism; readonly username: string; readonly password: string };
  /** true: TLS with the system's CAs; `{ ca }`: TLS trusting these PEM certificates. */
  readonly ssl?: boolean | { readonly ca: string };
}

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly security?: KafkaSecurity;
  readonly instance: string;
  readonly contextOf: ContextOf;
  readonly clientId?: string;
  readonly topicPrefix?: string;
  readonly partitions?: number;
  /** -1 takes the broker's default replication factor. */
  readonly replicationFactor?: number;
  /** How long the group waits for a silent member before giving its partitions to others (default 6 s). */
  readonly sessionTimeoutMs?: number;
  /** How often a member says it is alive, also while a handler runs (default 1.5 s; at most a third of the session). */
  readonly heartbeatIntervalMs?: number;
  readonly retryDelayMs?: number;
  /** First wait before a crashed consumer is recreated; doubles up to 5 s while it keeps crashing (default 500 ms). */
  readonly restartDelayMs?: number;
  /** The lag in a status is asked of the broker at most this often (default 3 s). */
  readonly lagRefreshMs?: number;
  /**
   * The trace an event was appended in (OpenTelemetry): its publish span is a child of it and the
   * message carries the publish span in a W3C `traceparent` header, which the consumer continues.
   */
  readonly traceContextOf?: (event: RecordedEvent) => Context | undefined;
  /** Where the bus's lines go; kafkajs's own come with its fields (`kafka`: namespace, broker, groupId, error…). */
  readonly onLog?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Group membership settings. A member that stops without leaving (SIGKILL, a crashed host) keeps
 * its partitions until the broker has not heard from it for the session timeout, so a restarted
 * service waits for what is left of it (the 30 s default stalled restarts 25-30 s). 6 s is the
 * broker's minimum (group.min.session.timeout.ms, 6 s by default): with a service's start of a few
 * seconds, a restart consumes again within 10 s. Heartbeats every 1.5 s leave four chances before a
 * member is dropped; kafkajs heartbeats only between messages, so the bus also heartbeats on a
 * timer while a handler runs: a handler slower than the session does not get its member dropped
 * (nestjs/nest#9949). A graceful close leaves the group at once, after at most one fetch wait
 * (1 s instead of kafkajs's 5 s).
 */
const DEFAULT_SESSION_TIMEOUT_MS = 6_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_500;
/**
 * A consumer that keeps crashing (the broker away) is recreated after 0.5, 1, 2, 4, then every 5 s:
 * at most 5 s lost once the broker is back (a 30 s cap cost up to 30 s after a broker restart).
 */
const MAX_RESTART_DELAY_MS = 5_000;
/**
 * kafkajs's own retries of a request (connect, fetch, send): 250 ms doubling up to 3 s, ten times
 * (about 20 s) before it gives up and the consumer above is recreated; its defaults (up to 30 s
 * between tries) left a client idle for most of that after a broker came back.
 */
const CLIENT_RETRY = { initialRetryTime: 250, maxRetryTime: 3_000, retries: 10 };

/**
 * kafkajs behind the bus port, so another client can replace it without touching services.
 * Topic per context and instance, key = streamId (one stream, one partition, in order),
 * acks from all in-sync replicas with an idempotent producer, offsets committed only after the
 * handler resolved.
 */
export class KafkaEventBus implements EventBus {
  readonly instance: string;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  private connectingAdmin: Promise<Admin> | undefined;
  private readonly knownTopics = new Set<string>();
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly options: KafkaBusOptions) {
    this.instance = options.instance;
    this.kafka = new Kafka({
      clientId: options.clientId ?? `dotpha-${options.instance}`,
      brokers: [...options.brokers],
      sasl: options.security?.sasl && ({ ...options.security.sasl } as SASLOptions),
      ssl: typeof options.security?.ssl === 'object' ? { ca: [options.security.ssl.ca] } : options.security?.ssl,
      retry: CLIENT_RETRY,
      logLevel: logLevel.ERROR,
      // kafkajs's own fields (broker, clientId, groupId, error, retryCount…) go along as fields.
      logCreator: () => ({ namespace, level, log }) => {
        if (level > logLevel.ERROR) return;
        const { message, timestamp: _timestamp, logger: _logger, ...fields } = log as { message: string; timestamp?: unknown; logger?: unknown };
        options.onLog?.(`${message}`, { level: 'error', kafka: { namespace, ...fields } });
      },
    });
  }

  async publish(events: readonly RecordedEvent[], audience: Audience = 'internal'): Promise<void> {
    if (events.length === 0) return;
    const byTopic = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const topic = this.topic(event.instance, this.options.contextOf(event), audience);
      const list = byTopic.get(topic);
      if (list) list.push(event);
      else byTopic.set(topic, [event]);
    }
    await this.ensureTopics([...byTopic.keys()]);
    const producer = await this.connectedProducer();
    const spans: Span[] = [];
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((event) => ({
            key: event.streamId,
            value: encodeEvent(event),
            headers: { type: event.type, eventId: event.eventId, version: String(event.version), ...this.traceHeaders(event, topic, spans) },
          })),
        })),
      });
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  /** A PRODUCER span under the trace the event was appended in, as the message's `traceparent`. */
  private traceHeaders(event: RecordedEvent, topic: string, spans: Span[]): Record<string, string> {
    const parent = this.options.traceContextOf?.(event);
    if (!parent) return {};
    const span = trace.getTracer('dotpha').startSpan(`publish ${topic}`, {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.message.id': event.eventId },
    }, parent);
    spans.push(span);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), headers);
    return headers;
  }

  /** Resolves once the consumer joined its group the first time; from then on it keeps itself running until closed. */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const topics = (options.instances ?? [this.instance]).flatMap((i) => options.contexts.map((c) => this.topic(i, c, options.audience)));
    await this.ensureTopics(topics);
    const consumer = new SupervisedConsumer(this.kafka, `${this.options.topicPrefix ?? 'dotpha'}.${options.group}`, topics, options, this.options, () => this.connectedAdmin());
    await consumer.start();
    const subscription: Subscription = {
      close: async () => {
        this.subscriptions.delete(subscription);
        await consumer.close();
      },
      status: () => consumer.status(),
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Resolves when the cluster answers a metadata request (the readiness probe's "bus connected"). */
  async ping(): Promise<void> {
    await (await this.connectedAdmin()).describeCluster();
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.producer?.disconnect();
    await this.admin?.disconnect();
    this.producer = undefined;
    this.admin = undefined;
    this.connectingAdmin = undefined;
  }

  private topic(instance: string, context: string, audience?: Audience): string {
    return topicName(instance, context, this.options.topicPrefix, audience);
  }

  private async connectedAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    this.connectingAdmin ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
      } catch (error) {
        this.connectingAdmin = undefined;
        throw error;
      }
      this.admin = admin;
      return admin;
    })();
    return this.connectingAdmin;
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (missing.length === 0) return;
    const admin = await this.connectedAdmin();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.partitions ?? 3,
          replicationFactor: this.options.replicationFactor ?? -1,
        })),
      });
    } catch (error) {
      // Another client (a sibling service starting at the same moment) created it first.
      if (!alreadyExists(error)) throw error;
    }
    await this.waitForLeaders(missing);
    missing.forEach((t) => this.knownTopics.add(t));
  }

  /**
   * A topic another client just created may not have partition leaders yet; consuming or
   * producing before they are elected fails with UNKNOWN_TOPIC_OR_PARTITION.
   */
  private async waitForLeaders(topics: readonly string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: metadata } = await this.admin!.fetchTopicMetadata({ topics: [...topics] });
        if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no partition leaders after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

type Settings = Pick<KafkaBusOptions, 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'retryDelayMs' | 'restartDelayMs' | 'lagRefreshMs' | 'partitions' | 'onLog'>;

/**
 * One subscription's kafkajs consumer, kept alive: a consumer that kafkajs gives up on (it emits
 * CRASH and disconnects; a non-retriable error such as "the coordinator is not aware of this
 * member" after the process was frozen past its session) is recreated with backoff and resumes
 * from the group's committed offsets. Coming back by itself rather than exiting the process:
 * the HTTP side of the service is healthy, an orchestrator may not be there (the one-process and
 * bare-metal deployments), and a restart loop of the whole process would cost more than
 * re-joining one group. Offsets are committed one message at a time, after its handler resolved,
 * and fetching restarts from the last resolved offset, so nothing uncommitted is skipped; what
 * was handled and not committed is redelivered (handlers are idempotent).
 */
class SupervisedConsumer {
  private consumer: Consumer | undefined;
  private closed = false;
  private state: ConsumerState = 'starting';
  private restarts = 0;
  private crashesInARow = 0;
  private lastError: string | null = null;
  private lastMessageAt: string | null = null;
  private restartTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private lag: { value: number | null; at: number; pending?: Promise<number | null> } = { value: null, at: 0 };
  private readonly sessionMs: number;
  private readonly heartbeatMs: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly options: SubscribeOptions,
    private readonly settings: Settings,
    private readonly admin: () => Promise<Admin>,
  ) {
    this.sessionMs = settings.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    this.heartbeatMs = Math.min(settings.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS, Math.floor(this.sessionMs / 3));
  }

  /** The first start: errors go to the caller (the service does not start on a bus it cannot reach). */
  async start(): Promise<void> {
    await this.run();
  }

  async status(): Promise<ConsumerStatus> {
    return {
      group: this.options.group,
      state: this.state,
      restarts: this.restarts,
      lastError: this.lastError,
      lag: await this.currentLag(),
      lastMessageAt: this.lastMessageAt,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    await this.restarting?.catch(() => undefined);
    // disconnect() stops the runner and sends LeaveGroup: the partitions move to another member now.
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.state = 'stopped';
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: this.sessionMs,
      heartbeatInterval: this.heartbeatMs,
      // A fetch waits at most this long for new messages; close() waits for the fetch in flight.
      maxWaitTimeInMs: 1_000,
      allowAutoTopicCreation: false,
      // Every crash comes to onCrash below, restarted there with one backoff policy.
      retry: { restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    this.state = 'starting';
    const mine = <T>(listener: (event: T) => void) => (event: T) => {
      if (this.consumer === consumer && !this.closed) listener(event);
    };
    consumer.on(consumer.events.GROUP_JOIN, mine(() => {
      this.state = 'running';
      this.crashesInARow = 0;
    }));
    consumer.on(consumer.events.REBALANCING, mine(() => void (this.state = 'rebalancing')));
    consumer.on(consumer.events.CRASH, mine((event: ConsumerCrashEvent) => this.onCrash(consumer, event.payload.error)));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.settings.partitions ?? 3,
        eachBatch: (payload) => this.eachBatch(consumer, payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private onCrash(consumer: Consumer, error: Error): void {
    // kafkajs has disconnected this consumer already.
    this.state = 'crashed';
    this.lastError = errorText(error);
    this.settings.onLog?.(`consumer ${this.options.group} crashed: ${this.lastError}; restarting`);
    this.scheduleRestart(consumer);
  }

  private scheduleRestart(dead: Consumer): void {
    if (this.closed) return;
    const delay = Math.min((this.settings.restartDelayMs ?? 500) * 2 ** this.crashesInARow, MAX_RESTART_DELAY_MS);
    this.crashesInARow++;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (this.closed) return;
      this.restarts++;
      this.restarting = (async () => {
        await dead.disconnect().catch(() => undefined);
        if (this.closed) return;
        try {
          await this.run();
        } catch (error) {
          if (this.closed) return;
          this.state = 'crashed';
          this.lastError = errorText(error);
          this.settings.onLog?.(`consumer ${this.options.group} could not restart: ${this.lastError}`);
          this.scheduleRestart(this.consumer ?? dead);
        }
      })();
    }, delay);
  }

  private async eachBatch(consumer: Consumer, { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    // Set when a heartbeat learns that the group moved on (rebalance, or this member was dropped):
    // this member stops the batch and rejoins; what it did not commit goes to the partition's next owner.
    let groupMoved: Error | undefined;
    const beat = () =>
      heartbeat().catch((error: Error) => {
        if (isGroupChange(error)) groupMoved ??= rootCause(error);
        else this.settings.onLog?.(`heartbeat of ${this.options.group}: ${errorText(error)}`);
      });
    for (const message of batch.messages) {
      if (groupMoved || this.closed || !isRunning() || isStale()) break;
      const event = decode(message.value);
      if (event) {
        // kafkajs sends a heartbeat only once the interval has passed since the last: ticking at
        // half of it keeps the gap under one interval and a half.
        const beating = setInterval(beat, this.heartbeatMs / 2);
        try {
          await consumed(message.headers, topic, this.options.group, event, () => this.deliver(event, beat));
        } finally {
          clearInterval(beating);
        }
        this.lastMessageAt = new Date().toISOString();
      } else {
        this.settings.onLog?.(`skipped an undecodable message at ${topic}/${partition}@${message.offset}`);
      }
      try {
        // Straight to the group coordinator: kafkajs's consumer.commitOffsets() silently commits
        // nothing once a disconnect began, so the event handled while a graceful stop waited for
        // it went again to the next member (the stop under load found it handled twice).
        await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: (BigInt(message.offset) + 1n).toString() }] }] });
      } catch (error) {
        this.lastError = errorText(error);
        // The group moved on while the message was handled (a rebalance, or this member's session
        // expired while its process was frozen): the commit is refused and the message goes again
        // to whoever owns the partition now. Rethrowing the protocol error itself makes kafkajs
        // rejoin (and refetch from the committed offsets) instead of crashing.
        if (isGroupChange(error)) {
          this.state = 'rebalancing';
          throw rootCause(error);
        }
        throw error;
      }
      resolveOffset(message.offset);
      await beat();
    }
    if (groupMoved) {
      this.state = 'rebalancing';
      throw groupMoved;
    }
  }

  private async deliver(event: RecordedEvent, beat: () => Promise<void>): Promise<void> {
    const maxAttempts = this.options.onPoison ? (this.options.maxAttempts ?? 5) : Infinity;
    let failures = 0;
    let outages = 0;
    for (;;) {
      try {
        await this.options.handle(event);
        return;
      } catch (error) {
        // Leaving without a commit: the next member of the group gets the event again.
        if (this.closed) throw error;
        // The store away for a moment is not the event's fault: wait for it (up to 5 s between
        // tries, heartbeating meanwhile) rather than park an effect an operator must re-drive.
        const transient = this.options.isTransient?.(error) ?? false;
        if (transient) outages++;
        else failures++;
        if (!transient && failures >= maxAttempts) {
          await this.options.onPoison!(event, error);
          return;
        }
        if (transient) this.lastError = errorText(error);
        const step = this.settings.retryDelayMs ?? 50;
        const pause = transient ? outagePause(step, outages) : Math.min(failures, 10) * step;
        for (let waited = 0; waited < pause && !this.closed; waited += this.heartbeatMs / 2) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(this.heartbeatMs / 2, pause - waited)));
          await beat();
        }
      }
    }
  }

  /** Messages behind the high watermarks, summed over the subscription's partitions; cached for lagRefreshMs. */
  private async currentLag(): Promise<number | null> {
    if (this.closed) return this.lag.value;
    if (Date.now() - this.lag.at < (this.settings.lagRefreshMs ?? 3_000)) return this.lag.value;
    this.lag.pending ??= (async () => {
      try {
        const admin = await this.admin();
        const [committed, ends] = await Promise.all([
          admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] }),
          Promise.all(this.topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const)),
        ]);
        const position = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}/${p.partition}`, Number(p.offset)] as const)));
        let lag = 0;
        for (const [topic, partitions] of ends) {
          for (const p of partitions) {
            const at = position.get(`${topic}/${p.partition}`) ?? -1;
            lag += Math.max(0, Number(p.high) - (at >= 0 ? at : Number(p.low)));
          }
        }
        return lag;
      } catch (error) {
        this.settings.onLog?.(`lag of ${this.options.group}: ${errorText(error)}`);
        return null;
      }
    })().then((value) => {
      this.lag = { value, at: Date.now() };
      return value;
    });
    return this.lag.pending;
  }
}

/**
 * Handles one message in a CONSUMER span that continues the trace of its `traceparent` header
 * (the publishing service's), so what the handler appends and publishes stays in that trace.
 */
function consumed(headers: Record<string, unknown> | undefined, topic: string, group: string, event: RecordedEvent, handle: () => Promise<void>): Promise<void> {
  const carrier: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== null) carrier[name] = first.toString();
  }
  const parent = carrier.traceparent ? propagation.extract(ROOT_CONTEXT, carrier) : context.active();
  return trace.getTracer('dotpha').startActiveSpan(`process ${topic}`, {
    kind: SpanKind.CONSUMER,
    attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.consumer.group.name': group, 'messaging.message.id': event.eventId },
  }, parent, async (span) => {
    try {
      await handle();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Errors that mean this member no longer owns its partitions as it thought: rejoin, do not crash. */
function isGroupChange(error: unknown): boolean {
  const type = (rootCause(error) as { type?: string }).type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'ILLEGAL_GENERATION' || type === 'UNKNOWN_MEMBER_ID' || type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'NOT_COORDINATOR';
}

/** kafkajs wraps a protocol error (KafkaJSNonRetriableError, retries exceeded) with the original as its cause. */
function rootCause(error: unknown): Error {
  let e = error as Error & { cause?: unknown };
  while (e && e.cause instanceof Error) e = e.cause as Error & { cause?: unknown };
  return e;
}

function errorText(error: unknown): string {
  const e = error as Error | undefined;
  return e ? `${e.name}: ${e.message}` : String(error);
}

function alreadyExists(error: unknown): boolean {
  const nested = (error as { errors?: unknown[] }).errors;
  const all = Array.isArray(nested) && nested.length ? nested : [error];
  return all.every((e) => (e as { type?: string }).type === 'TOPIC_ALREADY_EXISTS');
}

function decode(value: Buffer | null): RecordedEvent | undefined {
  try {
    const event = value ? JSON.parse(value.toString('utf8')) : undefined;
    return event && typeof event.eventId === 'string' && typeof event.streamId === 'string' ? event : undefined;
  } catch {
    return undefined;
  }
}
