import type { EventOf } from './event-types';
import { eventDefiner } from './event-types';
import { EventRegistry } from './registry';
import { closedObject, id, instant } from './schema-blocks';

const testEvent = eventDefiner('test');
const noteTaken = closedObject({ noteId: id, note: id, takenAt: instant });
const NoteTaken = testEvent('NoteTaken', {
  version: 2,
  classification: 'internal',
  restricted: ['note'],
  schema: noteTaken,
  upcasters: { 1: (data: { noteId: string; note: string }) => ({ ...data, takenAt: '2026-01-01T00:00:00.000Z' }) },
});

describe('eventDefiner', () => {
  it('defines an event of its context with what it is given, the schema as is', () => {
    expect(NoteTaken).toMatchObject({ type: 'NoteTaken', context: 'test', version: 2, classification: 'internal', restricted: ['note'] });
    expect(NoteTaken.schema).toBe(noteTaken);
  });

  it('derives the event type from the definition, and the registry upcasts and validates by it', () => {
    const event: EventOf<typeof NoteTaken> = { type: 'NoteTaken', data: { noteId: 'n-1', note: 'x', takenAt: '2026-02-01T00:00:00.000Z' } };
    const registry = new EventRegistry([NoteTaken]);
    const pending = { ...event, eventId: 'e', occurredAt: event.data.takenAt, actor: { userId: 'u', role: 'r' }, correlationId: 'c', causationId: null };
    expect(() => registry.validateAppend([pending])).not.toThrow();
    expect(registry.redact({ ...pending, version: 2 } as never)).toMatchObject({ data: { noteId: 'n-1' }, redacted: ['note'] });
  });
});
