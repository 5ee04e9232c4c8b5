import { type Admin, type Consumer, type Producer, Kafka, Partitioners, logLevel } from 'kafkajs';
import {
  type Audience, type ContextOf, type EventBus, type RecordedEvent, type SubscribeOptions, type Subscription, encodeEvent, topicName,
} from '@dotpha/kernel';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly instance: string;
  readonly contextOf: ContextOf;
  readonly clientId?: string;
  readonly topicPrefix?: string;
  readonly partitions?: number;
  /** -1 takes the broker's default replication factor. */
  readonly replicationFactor?: number;
  readonly sessionTimeoutMs?: number;
  readonly retryDelayMs?: number;
  readonly onLog?: (message: string) => void;
}

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
  private readonly knownTopics = new Set<string>();
  private readonly consumers = new Set<Consumer>();

  constructor(private readonly options: KafkaBusOptions) {
    this.instance = options.instance;
    this.kafka = new Kafka({
      clientId: options.clientId ?? `dotpha-${options.instance}`,
      brokers: [...options.brokers],
      logLevel: logLevel.ERROR,
      logCreator: () => ({ level, log }) => {
        if (level <= logLevel.ERROR) options.onLog?.(`${log.message}`);
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
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((event) => ({
          key: event.streamId,
          value: encodeEvent(event),
          headers: { type: event.type, eventId: event.eventId, version: String(event.version) },
        })),
      })),
    });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const topics = (options.instances ?? [this.instance]).flatMap((i) => options.contexts.map((c) => this.topic(i, c, options.audience)));
    await this.ensureTopics(topics);
    const consumer = this.kafka.consumer({
      groupId: `${this.options.topicPrefix ?? 'dotpha'}.${options.group}`,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      allowAutoTopicCreation: false,
    });
    this.consumers.add(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const maxAttempts = options.onPoison ? (options.maxAttempts ?? 5) : Infinity;
    let closed = false;
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitions ?? 3,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const event = decode(message.value);
        if (event) {
          for (let attempt = 1; ; attempt++) {
            try {
              await options.handle(event);
              break;
            } catch (error) {
              // Leaving without a commit: the next member of the group gets the event again.
              if (closed) throw error;
              if (attempt >= maxAttempts) {
                await options.onPoison!(event, error);
                break;
              }
              await new Promise((resolve) => setTimeout(resolve, Math.min(attempt, 10) * (this.options.retryDelayMs ?? 50)));
              await heartbeat();
            }
          }
        } else {
          this.options.onLog?.(`skipped an undecodable message at ${topic}/${partition}@${message.offset}`);
        }
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
    return {
      close: async () => {
        closed = true;
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect();
    await this.admin?.disconnect();
    this.producer = undefined;
    this.admin = undefined;
  }

  private topic(instance: string, context: string, audience?: Audience): string {
    return topicName(instance, context, this.options.topicPrefix, audience);
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
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    try {
      await this.admin.createTopics({
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
