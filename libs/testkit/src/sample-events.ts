import { randomUUID } from 'crypto';
import { type EventDefinition, type PendingEvent, EventRegistry, defineEvent } from '@dotpha/kernel';

/** Small event types for the contract suites: one current, one with an upcast history. */
export const NoteAdded = defineEvent({
  type: 'NoteAdded',
  version: 1,
  context: 'notes',
  classification: 'internal',
  aliases: ['NoteWritten'],
  schema: {
    type: 'object',
    required: ['text'],
    additionalProperties: false,
    properties: { text: { type: 'string', maxLength: 200_000 }, n: { type: 'integer' } },
  },
});

const tallySchema = (version: number) => ({
  type: 'object',
  additionalProperties: false,
  required: version === 1 ? ['by'] : ['amount', 'unit'],
  properties: version === 1 ? { by: { type: 'integer' } } : { amount: { type: 'integer' }, unit: { type: 'string' } },
});

export const TallyRaisedV1 = defineEvent({ type: 'TallyRaised', version: 1, context: 'notes', classification: 'public', schema: tallySchema(1) });
/** v2 renamed `by` to `amount` and added a unit. */
export const TallyRaisedV2 = defineEvent({
  type: 'TallyRaised',
  version: 2,
  context: 'notes',
  classification: 'public',
  schema: tallySchema(2),
  upcasters: { 1: (d: { by: number }) => ({ amount: d.by, unit: 'item' }) },
});
/** v3 without an upcaster from v2: reading a v2 event must fail clearly. */
export const TallyRaisedV3NoUpcaster = defineEvent({ ...TallyRaisedV2, version: 3 });

export function sampleRegistry(...extra: EventDefinition[]): EventRegistry {
  return new EventRegistry([NoteAdded, TallyRaisedV2, ...extra], { maxEventBytes: 16 * 1024, maxAppendBytes: 48 * 1024 });
}

export function note(text: string, n?: number, overrides: Partial<PendingEvent> = {}): PendingEvent {
  return {
    eventId: randomUUID(),
    type: 'NoteAdded',
    data: n === undefined ? { text } : { text, n },
    occurredAt: new Date('2026-01-02T03:04:05.000Z').toISOString(),
    actor: { userId: 'u-test', role: 'proposer' },
    correlationId: 'corr-test',
    causationId: null,
    ...overrides,
  };
}
