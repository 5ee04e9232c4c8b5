import { createHash } from 'crypto';
import canonicalize from 'canonicalize';
import type { RecordedEvent } from './envelope';

export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Omit<RecordedEvent, 'hash' | 'globalPosition'>;

/** sha256 over the canonical JSON (RFC 8785) of every envelope field but the hash itself. */
export function hashEvent(event: Hashed): string {
  const {
    eventId, type, version, streamId, streamType, streamPosition, occurredAt, recordedAt,
    instance, actor, correlationId, causationId, classification, data, prevHash,
  } = event;
  const canonical = canonicalize({
    eventId, type, version, streamId, streamType, streamPosition, occurredAt, recordedAt,
    instance, actor, correlationId, causationId, classification, data, prevHash,
  });
  return createHash('sha256').update(canonical ?? '').digest('hex');
}

export type ChainBreakReason = 'hash-mismatch' | 'chain-broken' | 'missing' | 'duplicate' | 'wrong-stream' | 'reordered';

export interface ChainBreak {
  readonly position: number;
  readonly eventId: string | null;
  readonly reason: ChainBreakReason;
}

export interface VerifyReport {
  readonly streamId: string;
  readonly ok: boolean;
  readonly checked: number;
  readonly breaks: readonly ChainBreak[];
}

/**
 * Checks a stream as stored (before upcasting): stored in position order, positions 1..n with
 * none missing or repeated, every hash recomputes, every prevHash is the previous event's hash.
 */
export function verifyChain(streamId: string, stored: readonly RecordedEvent[]): VerifyReport {
  const breaks: ChainBreak[] = [];
  // Readers get events in stored order: two events swapped with their positions kept would read
  // in the wrong order while each hash still recomputes.
  stored.forEach((event, i) => {
    if (i > 0 && event.streamPosition < stored[i - 1].streamPosition) breaks.push({ position: event.streamPosition, eventId: event.eventId, reason: 'reordered' });
  });
  const events = [...stored].sort((a, b) => a.streamPosition - b.streamPosition);
  let expectedPosition = 1;
  let prevHash = GENESIS_HASH;
  for (const event of events) {
    if (event.streamId !== streamId) breaks.push({ position: event.streamPosition, eventId: event.eventId, reason: 'wrong-stream' });
    if (event.streamPosition < expectedPosition) {
      breaks.push({ position: event.streamPosition, eventId: event.eventId, reason: 'duplicate' });
      continue;
    }
    for (; expectedPosition < event.streamPosition; expectedPosition++) {
      breaks.push({ position: expectedPosition, eventId: null, reason: 'missing' });
    }
    if (event.prevHash !== prevHash) breaks.push({ position: event.streamPosition, eventId: event.eventId, reason: 'chain-broken' });
    if (hashEvent(event) !== event.hash) breaks.push({ position: event.streamPosition, eventId: event.eventId, reason: 'hash-mismatch' });
    prevHash = event.hash;
    expectedPosition = event.streamPosition + 1;
  }
  return { streamId, ok: breaks.length === 0, checked: events.length, breaks };
}

/** Seals pending events onto the end of a stream, returning them with positions and hashes. */
export function sealEvents<E extends Omit<RecordedEvent, 'hash' | 'prevHash' | 'streamPosition'>>(
  pending: readonly E[],
  fromPosition: number,
  prevHash: string,
): RecordedEvent[] {
  let previous = prevHash;
  return pending.map((event, index) => {
    const unsealed = { ...event, streamPosition: fromPosition + index, prevHash: previous };
    const sealed: RecordedEvent = { ...unsealed, hash: hashEvent(unsealed) };
    previous = sealed.hash;
    return sealed;
  });
}
