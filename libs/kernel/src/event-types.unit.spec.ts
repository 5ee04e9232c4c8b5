import type { EventsOf } from './event-types';
import { defineEvents, definitionsOf } from './event-types';
import { EventRegistry } from './registry';
import { closedObject, id, instant } from './schema-blocks';

const noteTaken = closedObject({ noteId: id, note: id, takenAt: instant });
const testEvents = defineEvents('test', {
  NoteTaken: {
    version: 2,
    classification: 'internal',
    restricted: ['note'],
    schema: noteTaken,
    upcasters: { 1: (data: { noteId: string; note: string }) => ({ ...data, takenAt: '2026-01-01T00:00:00.000Z' }) },
  },
  NoteDropped: { version: 1, classification: 'public', schema: closedObject({ noteId: id, droppedAt: instant }) },
});
type TestEvents = EventsOf<typeof testEvents>;

describe('defineEvents', () => {
  it('defines each event of the table in its context with what it is given, the schema as is, in the table order', () => {
    expect(testEvents.NoteTaken).toMatchObject({ type: 'NoteTaken', context: 'test', version: 2, classification: 'internal', restricted: ['note'] });
    expect(testEvents.NoteTaken.schema).toBe(noteTaken);
    expect(definitionsOf(testEvents).map((d) => d.type)).toEqual(['NoteTaken', 'NoteDropped']);
  });

  it('derives the event types from the table, and the registry upcasts and validates by them', () => {
    const event: TestEvents['NoteTaken'] = { type: 'NoteTaken', data: { noteId: 'n-1', note: 'x', takenAt: '2026-02-01T00:00:00.000Z' } };
    const either: TestEvents[keyof TestEvents] = { type: 'NoteDropped', data: { noteId: 'n-1', droppedAt: '2026-02-02T00:00:00.000Z' } };
    const registry = new EventRegistry(definitionsOf(testEvents));
    const envelope = { eventId: 'e', occurredAt: event.data.takenAt, actor: { userId: 'u', role: 'r' }, correlationId: 'c', causationId: null };
    expect(() => registry.validateAppend([{ ...event, ...envelope }, { ...either, ...envelope }])).not.toThrow();
    expect(registry.redact({ ...event, ...envelope, version: 2 } as never)).toMatchObject({ data: { noteId: 'n-1' }, redacted: ['note'] });
  });

  it('refuses at build time a restricted field its schema does not have', () => {
    // @ts-expect-error 'nite' is not a field of the schema
    defineEvents('test', { NoteTaken: { version: 1, classification: 'internal', restricted: ['nite'], schema: noteTaken } });
  });
});
