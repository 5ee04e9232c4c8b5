import type { RecordedEvent } from './envelope';
import { encodeEvent, rememberEncoding, rememberedEncoding } from './wire';

function event(n: number): RecordedEvent {
  return {
    eventId: `e${n}`, type: 'NoteAdded', version: 1, streamId: 'note-1', streamType: 'note', streamPosition: n,
    occurredAt: '2026-01-01T00:00:00.000Z', recordedAt: '2026-01-01T00:00:00.000Z', instance: 'hn',
    actor: { userId: 'u1', role: 'official' }, correlationId: 'c1', causationId: null, classification: 'internal',
    prevHash: '0', hash: '1', data: { text: 'Đột phá "một cửa"' }, globalPosition: n,
  };
}

describe('wire form of an event', () => {
  it('is the event serialized when no store handed its JSON over', () => {
    const e = event(1);
    expect(rememberedEncoding(e)).toBeUndefined();
    expect(encodeEvent(e)).toBe(JSON.stringify(e));
  });

  it('is the JSON the store handed over with that very object, and only with it', () => {
    const stored = JSON.stringify([event(1), event(2)]);
    const [first, second] = JSON.parse(stored) as RecordedEvent[];
    const firstJson = stored.slice(1, stored.indexOf('},{') + 1);
    rememberEncoding(first, firstJson);
    expect(rememberedEncoding(first)).toBe(firstJson);
    expect(encodeEvent(first)).toBe(JSON.stringify(first));
    expect(rememberedEncoding(second)).toBeUndefined();
    // A copy (e.g. an upcast or a public view) is another event: serialized on its own.
    const copy = { ...first, data: { text: 'redacted' } };
    expect(encodeEvent(copy)).toBe(JSON.stringify(copy));
  });
});
