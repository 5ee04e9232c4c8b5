import { type ContextOf, type EventDefinition, EventRegistry } from '@dotpha/kernel';
import { approvalsEventDefinitions } from '@dotpha/approvals-domain';
import { evaluationEventDefinitions } from '@dotpha/evaluation-domain';
import { monitoringEventDefinitions } from '@dotpha/monitoring-domain';
import { proposalsEventDefinitions } from '@dotpha/proposals-domain';
import { rewardsEventDefinitions } from '@dotpha/rewards-domain';
import { auditEventDefinitions } from './audit';
import { type AsyncApiOptions, asyncApiDocument } from './asyncapi';

export * from './audit';
export * from './asyncapi';

/** The services' contexts: each service owns one, its events and its database. */
export const contexts = {
  proposals: proposalsEventDefinitions,
  approvals: approvalsEventDefinitions,
  monitoring: monitoringEventDefinitions,
  evaluation: evaluationEventDefinitions,
  rewards: rewardsEventDefinitions,
} as const satisfies Record<string, readonly EventDefinition[]>;

export type ContextName = keyof typeof contexts;

/**
 * The published event contract: every event of every context, with its JSON Schema and
 * classification, and the audit context's events every service's store writes about itself.
 */
export const allEventDefinitions: readonly EventDefinition[] = [...Object.values(contexts).flat(), ...auditEventDefinitions];

/** What one service's store accepts: its context's events and the audit checkpoints it issues. */
export function serviceEventDefinitions(name: ContextName): readonly EventDefinition[] {
  return [...contexts[name], ...auditEventDefinitions];
}

/** A registry of every context's events: for readers of other contexts' events (upcast, context lookup). */
export function contractRegistry(): EventRegistry {
  return new EventRegistry(allEventDefinitions);
}

/** Which topic family an event belongs to. */
export function contextOfEvents(registry: EventRegistry = contractRegistry()): ContextOf {
  return (event) => registry.definition(event.type).context;
}

/** The published contract as an AsyncAPI 3.0 document (served at /api/asyncapi.json, committed as docs/asyncapi.json). */
export function publishedAsyncApi(options?: AsyncApiOptions): Record<string, unknown> {
  return asyncApiDocument(allEventDefinitions, options);
}
export * from './asyncapi-compatibility';
