import { Kafka, type Message, Partitioners, logLevel } from 'kafkajs';
import { type EventBus, type EventStore, OutboxRelay, type RecordedEvent } from '@dotpha/kernel';
import { MongoEventStore } from '@dotpha/event-store-mongodb';
import { KafkaEventBus } from '@dotpha/event-bus-kafka';
import { type BenchContext, measuredRuns } from '../lib/context';
import { STORE_COLLECTIONS, seedStore, sequencedCommits } from '../lib/data';
import { type Figure, type Outcome, errorText, failed, ok, stepFigures, timed, within, withTimers } from '../lib/stats';

export interface PublishResult {
  readonly events: number;
  readonly batch: number;
  readonly raw: Outcome;
  readonly relay: Outcome;
  /** Seconds per drain spent in each step, medians over the measured runs. */
  readonly breakdown: Record<string, Figure> | undefined;
  /** Seconds of the store's first sequencing pass (the query for what other processes left), before the clock. */
  readonly startup?: Outcome;
}

/**
 * Events/s from the store to Kafka through OutboxRelay.drain() with KafkaEventBus, against raw
 * kafkajs sendBatch of the same messages (same key, value, headers; same producer settings as
 * the bus: idempotent, acks from all in-sync replicas) in batches of the relay's size.
 */
export async function publishSuite(ctx: BenchContext): Promise<PublishResult> {
  const { params, db, registry, text, tag, servers } = ctx;
  const events = params.publishEvents;
  const batch = params.relayBatch;
  const busInstance = `bench${tag}`;
  const bus = new KafkaEventBus({ brokers: servers.kafkaBrokers, instance: busInstance, contextOf: () => 'notes', partitions: 3, onLog: (m) => ctx.log(`kafka: ${m}`) });
  const kafka = new Kafka({ clientId: 'dotpha-bench-raw', brokers: servers.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  const admin = kafka.admin();
  const rawTopic = `dotpha-bench-raw-${tag}`;
  const samples = { raw: [] as number[], relay: [] as number[] };
  const steps: Record<string, number[]> = {};
  const startup: number[] = [];
  let rawError: string | undefined;
  let relayError: string | undefined;
  try {
    await Promise.all([producer.connect(), admin.connect()]);
    await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 3, replicationFactor: -1 }], waitForLeaders: true });
    for (const run of measuredRuns(params)) {
      const prefix = `pub_${tag}_${run}`;
      const store = await MongoEventStore.create({ db, instance: busInstance, registry, prefix });
      const dataSet = { instance: busInstance, registry, text, events, streamLength: 10, streamPrefix: `pub${run}` };
      const docs = sequencedCommits(dataSet);
      await seedStore(db, prefix, { ...dataSet, dispatched: false, docs });
      // A relay's store runs this once when it takes the sequencer lease, then every few seconds:
      // it is start-up, not publishing, so it runs before the clock (and is reported on its own).
      const firstPass = await timed(() => store.sequencePending());
      if (run > 0) startup.push(firstPass);
      const recorded: RecordedEvent[] = docs.flatMap((d) => d.events.map((e) => ({ ...e, globalPosition: d.global! })));
      const messages: Message[] = recorded.map((event) => ({
        key: event.streamId,
        value: JSON.stringify(event),
        headers: { type: event.type, eventId: event.eventId, version: String(event.version) },
      }));
      const order = run % 2 ? ['relay', 'raw'] : ['raw', 'relay'];
      for (const which of order) {
        if (which === 'raw' && !rawError) {
          try {
            const seconds = await within(timed(async () => {
              for (let i = 0; i < messages.length; i += batch) {
                await producer.sendBatch({ acks: -1, topicMessages: [{ topic: rawTopic, messages: messages.slice(i, i + batch) }] });
              }
            }), params.stepTimeoutMs, 'raw kafkajs sendBatch');
            if (run > 0) samples.raw.push(events / seconds);
            ctx.log(`publish raw   run ${run}${run ? '' : ' (warm-up)'}: ${(events / seconds).toFixed(0)} events/s`);
          } catch (error) {
            rawError = errorText(error);
          }
        }
        if (which === 'relay' && !relayError) {
          try {
            const spent: Record<string, number> = {};
            const relay = new OutboxRelay(
              withTimers<EventStore>(store, 'store', ['sequencePending', 'undispatched', 'markDispatched'], spent),
              withTimers<EventBus>(bus, 'bus', ['publish'], spent),
              { batchSize: batch },
            );
            let published = 0;
            const seconds = await within(timed(async () => (published = await relay.drain())), params.stepTimeoutMs, 'OutboxRelay.drain');
            if (published !== events) throw new Error(`the relay published ${published} events, expected ${events}`);
            if (run > 0) {
              samples.relay.push(events / seconds);
              for (const [step, s] of Object.entries(spent)) (steps[step] ??= []).push(s);
            }
            ctx.log(`publish relay run ${run}${run ? '' : ' (warm-up)'}: ${(events / seconds).toFixed(0)} events/s`);
          } catch (error) {
            relayError = errorText(error);
          }
        }
      }
      for (const c of STORE_COLLECTIONS) await db.collection(`${prefix}.${c}`).drop().catch(() => undefined);
    }
  } catch (error) {
    rawError ??= errorText(error);
    relayError ??= errorText(error);
  } finally {
    await admin.deleteTopics({ topics: [rawTopic, `dotpha.${busInstance}.notes`] }).catch(() => undefined);
    await Promise.all([producer.disconnect(), admin.disconnect(), bus.close()].map((p) => p.catch(() => undefined)));
  }
  return {
    events,
    batch,
    raw: rawError ? failed(rawError) : ok(samples.raw),
    relay: relayError ? failed(relayError) : ok(samples.relay),
    breakdown: relayError ? undefined : stepFigures(steps),
    startup: startup.length ? ok(startup) : undefined,
  };
}
