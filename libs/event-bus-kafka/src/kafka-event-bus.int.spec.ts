import { randomUUID } from 'crypto';
import { describeEventBusContract, testServers } from '@dotpha/testkit';
import { KafkaEventBus } from './kafka-event-bus';

describeEventBusContract(`Kafka (${process.env.DOTPHA_KAFKA_KIND ?? 'unknown broker'})`, async () => {
  // A topic prefix per run keeps reruns against a long-lived broker (npm run infra:up) apart.
  const topicPrefix = `t${randomUUID().slice(0, 8)}`;
  const buses: KafkaEventBus[] = [];
  return {
    async create(instance: string) {
      const bus = new KafkaEventBus({
        brokers: testServers().kafkaBrokers,
        instance,
        topicPrefix,
        contextOf: (e) => e.streamType,
        sessionTimeoutMs: 6_000,
        retryDelayMs: 20,
      });
      buses.push(bus);
      return bus;
    },
    async dispose() {
      await Promise.all(buses.map((b) => b.close()));
    },
  };
});
