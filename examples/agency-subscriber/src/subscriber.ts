import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport } from '@nestjs/microservices';
import type { SASLOptions } from 'kafkajs';
// The types of the province's messages, generated from its AsyncAPI document alone (tools/asyncapi-types.mjs).
import type { EventOf, PublishedEvent } from './published-events.generated';

/** One row of the agency's table: what the province published about one proposal. */
export interface ProposalRow {
  proposalId: string;
  unitId: string;
  title?: string;
  field?: string;
  status: 'submitted' | 'withdrawn';
  submittedAt?: string;
  withdrawnAt?: string;
  /** The events applied, by eventId: delivery is at least once. */
  eventIds: string[];
}

export interface SubscriberOptions {
  /** The province or city code whose public proposals to read (e.g. hcm). */
  readonly province: string;
  readonly brokers: readonly string[];
  readonly sasl?: SASLOptions;
  /** The agency's consumer group (the broker's ACLs name the groups it may use). */
  readonly groupId: string;
}

/** The table: a proposal's row from its public events, each applied once. */
export class ProposalsTable {
  readonly rows = new Map<string, ProposalRow>();

  apply(event: PublishedEvent): void {
    if (event.type !== 'ProposalSubmitted' && event.type !== 'ProposalWithdrawn') return;
    const row = this.rows.get(event.data.proposalId) ?? { proposalId: event.data.proposalId, unitId: event.data.proposerUnitId, status: 'submitted', eventIds: [] };
    if (row.eventIds.includes(event.eventId)) return;
    row.eventIds.push(event.eventId);
    if (event.type === 'ProposalSubmitted') submitted(row, event);
    else Object.assign(row, { status: 'withdrawn', withdrawnAt: event.data.withdrawnAt });
    this.rows.set(row.proposalId, row);
  }
}

function submitted(row: ProposalRow, event: EventOf<'ProposalSubmitted'>): void {
  Object.assign(row, { title: event.data.title, field: event.data.field, submittedAt: event.data.submittedAt });
}

/** The smallest NestJS app another agency would write: a Kafka event handler and one HTTP read. */
export async function startSubscriber(options: SubscriberOptions): Promise<{ app: INestApplication; table: ProposalsTable }> {
  const table = new ProposalsTable();

  @Controller()
  class ProposalsController {
    @EventPattern(`dotpha.${options.province}.public.proposals`)
    onProposalEvent(@Payload() event: PublishedEvent): void {
      table.apply(event);
    }

    @Get('proposals')
    list(): ProposalRow[] {
      return [...table.rows.values()];
    }
  }

  @Module({ controllers: [ProposalsController] })
  class SubscriberModule {}

  const app = await NestFactory.create(SubscriberModule, { logger: ['error', 'warn'] });
  app.connectMicroservice({
    transport: Transport.KAFKA,
    options: {
      client: { clientId: options.groupId, brokers: [...options.brokers], ...(options.sasl ? { sasl: options.sasl } : {}) },
      consumer: { groupId: options.groupId, allowAutoTopicCreation: false },
      subscribe: { fromBeginning: true },
      postfixId: '',
    },
  });
  await app.startAllMicroservices();
  return { app, table };
}
