import type { EventDefinition, JsonSchema } from '@dotpha/kernel';

/**
 * The published contract as an AsyncAPI 3.0 document (issue 15): what other agencies and central
 * analytics read from an instance's public topics. Generated from the registry, never written by
 * hand: every public event at its current version, its payload as it leaves the instance (the
 * restricted fields removed, named in `redacted`), inside the envelope every event travels in; one
 * channel per context, `dotpha.<instance>.public.<context>`; the Kafka bindings (key = streamId,
 * headers type, eventId, version). Served at `/api/asyncapi.json`, committed as
 * `docs/asyncapi.json` (a test keeps the two equal and checks that a published message never
 * changes shape without a new version).
 */

const KAFKA_BINDING_VERSION = '0.5.0';

/** A message's name in the document: the event type and its version. */
export const messageName = (definition: Pick<EventDefinition, 'type' | 'version'>) => `${definition.type}.v${definition.version}`;

/** The envelope of every published event (RecordedEvent, less nothing; `data` is the payload). */
function envelope(type: string, version: number, data: JsonSchema, redacted: readonly string[]): JsonSchema {
  const instant = { type: 'string', format: 'date-time' };
  return {
    type: 'object',
    required: ['eventId', 'type', 'version', 'streamId', 'streamType', 'streamPosition', 'occurredAt', 'recordedAt', 'instance', 'actor', 'correlationId', 'causationId', 'classification', 'prevHash', 'hash', 'data'],
    properties: {
      eventId: { type: 'string', format: 'uuid', description: 'unique per event: a consumer that has seen it ignores it again (delivery is at least once)' },
      type: { const: type },
      version: { const: version },
      streamId: { type: 'string', description: 'the aggregate (a proposal, a review, a pilot…): also the Kafka key, so one stream stays in order' },
      streamType: { type: 'string' },
      streamPosition: { type: 'integer', minimum: 1, description: 'the position in its stream, from 1 without gaps' },
      occurredAt: instant,
      recordedAt: instant,
      instance: { type: 'string', description: 'the province or city that recorded it' },
      actor: {
        type: 'object',
        required: ['userId', 'role'],
        properties: { userId: { type: 'string' }, role: { type: 'string' } },
      },
      correlationId: { type: 'string' },
      causationId: { type: ['string', 'null'] },
      classification: { const: 'public' },
      prevHash: { type: 'string', description: 'the hash of the event before it in its stream (hash chain)' },
      hash: { type: 'string', description: 'SHA-256 (hex) of the canonical JSON (RFC 8785) of the envelope as the instance stored it (before redaction), less hash and globalPosition' },
      globalPosition: { type: 'integer', description: 'position in the instance store\'s global order' },
      ...(redacted.length ? { redacted: { type: 'array', items: { enum: [...redacted] }, description: 'restricted fields of the payload, removed before it left the instance' } } : {}),
      data,
    },
  };
}

/** The payload as it leaves the instance: the restricted fields are not there (DOMAIN.md §5). */
function publishedPayload(definition: EventDefinition): JsonSchema {
  const restricted = new Set(definition.restricted ?? []);
  if (restricted.size === 0) return definition.schema;
  const schema = definition.schema as { properties?: Record<string, unknown>; required?: string[] };
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([field]) => !restricted.has(field))),
    ...(schema.required ? { required: schema.required.filter((field) => !restricted.has(field)) } : {}),
  };
}

export interface AsyncApiOptions {
  /** The contract's version (the package's). */
  readonly version?: string;
  /** The topic prefix the instances use (DOTPHA_TOPIC_PREFIX; default dotpha). */
  readonly topicPrefix?: string;
}

/** The document for these definitions (the contract's: `publishedAsyncApi()` in index.ts). */
export function asyncApiDocument(definitions: readonly EventDefinition[], options: AsyncApiOptions = {}): Record<string, unknown> {
  const prefix = options.topicPrefix ?? 'dotpha';
  const published = definitions.filter((d) => d.classification === 'public');
  const contexts = [...new Set(published.map((d) => d.context))].sort();
  const messages: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const context of contexts) {
    const ofContext = published.filter((d) => d.context === context).sort((a, b) => a.type.localeCompare(b.type));
    for (const definition of ofContext) {
      messages[messageName(definition)] = {
        name: definition.type,
        title: `${definition.type}, version ${definition.version}`,
        contentType: 'application/json',
        headers: {
          type: 'object',
          required: ['type', 'eventId', 'version'],
          properties: { type: { const: definition.type }, eventId: { type: 'string' }, version: { const: String(definition.version) } },
        },
        payload: envelope(definition.type, definition.version, publishedPayload(definition), definition.restricted ?? []),
        bindings: { kafka: { key: { type: 'string', description: 'streamId' }, bindingVersion: KAFKA_BINDING_VERSION } },
      };
    }
    channels[context] = {
      address: `${prefix}.{instance}.public.${context}`,
      title: `The ${context} context's public events of one instance`,
      parameters: { instance: { description: 'the province or city code of the instance (e.g. hn, hcm, tm)' } },
      messages: Object.fromEntries(ofContext.map((d) => [messageName(d), { $ref: `#/components/messages/${messageName(d)}` }])),
      bindings: { kafka: { bindingVersion: KAFKA_BINDING_VERSION } },
    };
    operations[`receive-${context}`] = {
      action: 'receive',
      title: `Read the ${context} context's public events`,
      channel: { $ref: `#/channels/${context}` },
      messages: ofContext.map((d) => ({ $ref: `#/channels/${context}/messages/${messageName(d)}` })),
    };
  }
  // Plain JSON: the schemas are TypeBox objects, whose symbol keys are no part of the contract.
  return plainJson({
    asyncapi: '3.0.0',
    info: {
      title: 'Đột Phá: the public events of an instance',
      version: options.version ?? '1',
      description:
        'What a province or city running Đột Phá publishes for other agencies and central analytics (Conclusion 14-KL/TW, Decree 73/2023/NĐ-CP). ' +
        'Delivery is at least once and in order per stream (the Kafka key is the streamId): a consumer is idempotent by eventId. ' +
        'A payload never changes shape within a version; a new version of an event keeps every field of the previous one with the same type and keeps what it required required, so a consumer reads the fields it knows and ignores others. ' +
        'Restricted fields (names, free-text assessments of a person) are removed before an event leaves the instance and named in `redacted`; the hash chain (prevHash, hash) is the one the instance stored. ' +
        'The signed audit checkpoints (AuditCheckpointIssued) let a reader check a stream against the instance\'s key.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  });
}

const plainJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
