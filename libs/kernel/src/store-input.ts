/** What every event store checks of its callers' input before it reaches a key or a filter. */
import { InvalidInput } from './errors';

/** Stream ids reach filters: refuse anything but a plain bounded string (no operator objects). */
export function assertStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 200) {
    throw new InvalidInput('streamId must be a non-empty string of at most 200 characters');
  }
}

/** A stream position, version or global checkpoint. */
export function assertPosition(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInput(`${what} must be a whole number >= 0`);
  }
}
