import type { RecordedEvent } from './envelope';

/**
 * The wire form of a recorded event is its JSON (what the bus publishes and subscribers decode).
 * A store that already holds an event's JSON, as it wrote it, hands it over with the event, so
 * publishing does not serialize the event again and sends exactly the bytes that were stored.
 * Kept beside the object, not on it: the event stays a plain value.
 */
const remembered = new WeakMap<RecordedEvent, string>();

/** Records `json` as the wire form of `event`; it must be `JSON.stringify(event)`, byte for byte. */
export function rememberEncoding(event: RecordedEvent, json: string): void {
  remembered.set(event, json);
}

/** The wire form a store handed over with this event, if any. */
export function rememberedEncoding(event: RecordedEvent): string | undefined {
  return remembered.get(event);
}

/** The event's JSON: as the store handed it over, else serialized now. */
export function encodeEvent(event: RecordedEvent): string {
  return remembered.get(event) ?? JSON.stringify(event);
}
