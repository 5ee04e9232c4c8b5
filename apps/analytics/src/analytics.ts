import { type INestApplication, type INestMicroservice, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type KafkaOptions, Transport } from '@nestjs/microservices';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { mongo } from 'mongoose';
import { type AnalyticsConfig, publicTopicPattern } from './config';
import { AnalyticsReadModels } from './ingest/read-models';
import { PublicEventsModule } from './ingest/public-events.consumer';
import { FiguresService } from './figures/figures.service';
import { NationalController, NationalParts } from './figures/national.controller';

/** Partitions whose messages the consumer hands over at the same time (kafkajs' partitionsConsumedConcurrently). */
const PARTITIONS_AT_ONCE = 64;
/** What one fetch brings of one partition (kafkajs' maxBytesPerPartition): a few hundred public events (below a record batch of the broker's, kafkajs hands over one partition at a time). */
const FETCH_BYTES_PER_PARTITION = 256 * 1024;

export interface Analytics {
  readonly app: INestApplication;
  readonly models: AnalyticsReadModels;
  readonly figures: FiguresService;
  /** The topics read now. */
  topics(): readonly string[];
  replay(from: 'earliest' | Date): Promise<{ topics: number }>;
  /** Messages on the topics read that the consumer group has not committed yet. */
  lag(): Promise<number>;
  close(): Promise<void>;
}

export function kafkaClientConfig(config: Pick<AnalyticsConfig, 'brokers' | 'sasl' | 'ssl'>, clientId: string): KafkaConfig {
  return { clientId, brokers: [...config.brokers], ...(config.sasl ? { sasl: config.sasl as KafkaConfig['sasl'] } : {}), ...(config.ssl ? { ssl: true } : {}) };
}

@Module({})
class AnalyticsHttpModule {
  static register(parts: NationalParts): DynamicModule {
    return { module: AnalyticsHttpModule, controllers: [NationalController], providers: [{ provide: NationalParts, useValue: parts }] };
  }
}

/**
 * The central analytics service: an HTTP app for the figures and the export, and beside it a
 * NestJS Kafka microservice reading the public topics (remade when the pattern finds a new
 * instance's topics, or for a replay).
 */
export async function startAnalytics(config: AnalyticsConfig): Promise<Analytics> {
  const log = config.log ?? ((message: string) => process.stdout.write(`[analytics] ${message}\n`));
  const client = await mongo.MongoClient.connect(config.mongoUrl);
  const models = new AnalyticsReadModels(client.db(config.database), { holidays: config.holidays, timeZone: config.timeZone });
  await models.ensureIndexes();
  const figures = new FiguresService(models, config.quota);
  const kafka = new Kafka({ ...kafkaClientConfig(config, 'dotpha-analytics-admin'), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const pattern = publicTopicPattern(config);

  let consumer: INestMicroservice | undefined;
  let topics: string[] = [];
  let busy: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = busy.then(work, work);
    busy = next.catch(() => undefined);
    return next;
  };

  // The listed instances' public topics, or every instance's: those that exist (a reader may not create topics);
  // more are looked for every discoverEveryMs (a new instance, or a context that published for the first time).
  const findTopics = async () => (await admin.listTopics()).filter((t) => pattern.test(t)).sort();

  const startConsumer = async () => {
    if (topics.length === 0) return;
    const options: KafkaOptions = {
      transport: Transport.KAFKA,
      options: {
        client: { ...kafkaClientConfig(config, 'dotpha-analytics'), logLevel: logLevel.WARN },
        // A replay or a newly found instance restarts the consumer (it leaves the group as it stops). A batch on a slow
        // server may hold each of its partitions' heartbeats for seconds: the session allows 30.
        consumer: {
          groupId: config.groupId, allowAutoTopicCreation: false, sessionTimeout: 30_000, heartbeatInterval: 3_000, rebalanceTimeout: 30_000,
          // A partition's messages are handed over one by one, each after the last one's batch: small fetches per
          // partition keep every partition busy until the fetch is done (no long tail of one partition alone).
          maxBytesPerPartition: FETCH_BYTES_PER_PARTITION,
        },
        subscribe: { fromBeginning: true },
        // Many partitions handled at once: their events meet in one batch of the consumer's IngestBatcher.
        run: { partitionsConsumedConcurrently: PARTITIONS_AT_ONCE },
        postfixId: '',
      },
    };
    consumer = await NestFactory.createMicroservice(PublicEventsModule.register(models, topics), { ...options, logger: ['error', 'warn'] });
    await consumer.listen();
    log(`reading ${topics.length} public topics as group ${config.groupId}`);
  };
  const stopConsumer = async () => {
    await consumer?.close();
    consumer = undefined;
  };

  const discover = () =>
    serially(async () => {
      const found = await findTopics();
      if (found.join() === topics.join()) return;
      await stopConsumer();
      topics = found;
      await startConsumer();
    });

  const replay = (from: 'earliest' | Date) =>
    serially(async () => {
      await stopConsumer();
      topics = await findTopics();
      if (from === 'earliest') await models.drop();
      for (const topic of topics) {
        if (from === 'earliest') await admin.resetOffsets({ groupId: config.groupId, topic, earliest: true });
        else {
          const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, from.getTime());
          await admin.setOffsets({ groupId: config.groupId, topic, partitions: offsets.map(({ partition, offset }) => ({ partition, offset })) });
        }
      }
      log(`replay from ${from === 'earliest' ? 'offset 0' : from.toISOString()} over ${topics.length} topics`);
      await startConsumer();
      return { topics: topics.length };
    });

  const lag = async () => {
    if (topics.length === 0) return 0;
    const committed = await admin.fetchOffsets({ groupId: config.groupId, topics });
    let behind = 0;
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const at = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
        behind += Number(end.high) - (at < 0 ? Number(end.low) : at);
      }
    }
    return behind;
  };

  await discover();
  const timer = setInterval(() => void discover().catch((e) => log(`topic discovery failed: ${e}`)), config.discoverEveryMs);
  timer.unref();

  const parts: NationalParts = { models, figures, replay, adminToken: config.adminToken };
  const app = await NestFactory.create(AnalyticsHttpModule.register(parts), { logger: ['error', 'warn'] });
  return {
    app, models, figures, replay, lag,
    topics: () => topics,
    close: async () => {
      clearInterval(timer);
      await serially(stopConsumer);
      await app.close();
      await admin.disconnect();
      await client.close();
    },
  };
}
