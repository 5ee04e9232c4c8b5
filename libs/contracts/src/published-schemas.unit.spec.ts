import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { allEventDefinitions } from './index';

/**
 * The published contract, frozen: every registered event type at its current version, with its
 * JSON Schema, context, classification and restricted fields, as other agencies read them.
 * A change to a published schema fails here: add a new version with an upcaster instead.
 * A new event or version is recorded with `UPDATE_PUBLISHED_SCHEMAS=1 npx jest libs/contracts`.
 */
const SNAPSHOT = join(__dirname, '..', 'published-schemas.json');

/** Object keys sorted at every depth (arrays keep their order: `required` and `enum` order is published). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function published(): string {
  const entries = allEventDefinitions.map((d) => [
    `${d.type}@${d.version}`,
    { context: d.context, classification: d.classification, aliases: d.aliases ?? [], restricted: d.restricted ?? [], schema: d.schema },
  ]);
  // JSON.stringify first: it drops what is not JSON (symbols, undefined), as the wire does.
  return `${JSON.stringify(canonical(JSON.parse(JSON.stringify(Object.fromEntries(entries)))), null, 2)}\n`;
}

describe('the published event contract', () => {
  it('publishes every event schema as recorded in published-schemas.json, byte for byte with keys sorted', () => {
    const current = published();
    if (process.env['UPDATE_PUBLISHED_SCHEMAS'] === '1') writeFileSync(SNAPSHOT, current);
    expect(current).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });
});
