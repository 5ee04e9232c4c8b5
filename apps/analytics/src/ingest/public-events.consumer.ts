import { Controller, type DynamicModule, Inject, Logger, Module } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import type { PublishedEvent } from '../contract/published-events.generated';
import { IngestBatcher } from './batcher';
import { AnalyticsReadModels } from './read-models';

/**
 * The public events of every instance read, the way any NestJS team would subscribe: a Kafka
 * microservice whose `@EventPattern` handler names the topics. The topics are known when the
 * module is made (the listed instances', or those found for the pattern), so the decorator is
 * applied to a class made for them.
 */
export function publicEventsConsumer(topics: readonly string[]) {
  @Controller()
  class PublicEventsConsumer {
    private readonly logger = new Logger('analytics');
    // Named, not read from emitted type metadata: the service also runs under compilers that emit none (tsx in the bench).
    private readonly batcher: IngestBatcher;
    constructor(@Inject(AnalyticsReadModels) models: AnalyticsReadModels) {
      this.batcher = new IngestBatcher(models);
    }

    @EventPattern([...topics])
    async onPublicEvent(@Payload() event: PublishedEvent, @Ctx() context: KafkaContext): Promise<void> {
      if (!event || typeof event !== 'object' || typeof event.eventId !== 'string' || typeof event.instance !== 'string') {
        this.logger.warn(`skipped a message that is no published event on ${context.getTopic()}[${context.getPartition()}] at ${context.getMessage().offset}`);
        return;
      }
      // Settles once the event's batch is written and folded (IngestBatcher). A failure of the database
      // throws: the transport does not commit the offset, Kafka delivers it again.
      await this.batcher.submit(event);
    }
  }
  return PublicEventsConsumer;
}

@Module({})
export class PublicEventsModule {
  static register(models: AnalyticsReadModels, topics: readonly string[]): DynamicModule {
    return {
      module: PublicEventsModule,
      controllers: [publicEventsConsumer(topics)],
      providers: [{ provide: AnalyticsReadModels, useValue: models }],
    };
  }
}
