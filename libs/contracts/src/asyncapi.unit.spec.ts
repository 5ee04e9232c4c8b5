import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Parser } from '@asyncapi/parser';
import { allEventDefinitions, compatibilityProblems, messageName, publishedAsyncApi } from './index';

/**
 * The published contract as an AsyncAPI 3.0 document (issue 15): valid for the AsyncAPI parser,
 * the same as the committed docs/asyncapi.json, and never changing what its readers know without a
 * new version they can still read. After a deliberate change (a new event, a new version):
 * `UPDATE_ASYNCAPI=1 npx jest libs/contracts`.
 */
const COMMITTED = join(__dirname, '..', '..', '..', 'docs', 'asyncapi.json');
const document = publishedAsyncApi();
const text = `${JSON.stringify(document, null, 2)}\n`;
const committed = JSON.parse(readFileSync(COMMITTED, 'utf8'));

describe('The published AsyncAPI document (issue 15)', () => {
  it('is a valid AsyncAPI 3.0 document: the parser finds no error', async () => {
    const diagnostics = await new Parser().validate(text);
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);
    expect(errors).toEqual([]);
  });

  it('names every public event at its current version on its context channel, and nothing internal', () => {
    const messages = (document as { components: { messages: Record<string, { payload: { properties: { data: unknown } } }> } }).components.messages;
    const publicOnes = allEventDefinitions.filter((d) => d.classification === 'public');
    expect(Object.keys(messages).sort()).toEqual(publicOnes.map(messageName).sort());
    const channels = document.channels as Record<string, { address: string; messages: Record<string, unknown> }>;
    for (const d of publicOnes) {
      expect(channels[d.context].address).toBe(`dotpha.{instance}.public.${d.context}`);
      expect(Object.keys(channels[d.context].messages)).toContain(messageName(d));
    }
  });

  it('leaves the restricted fields out of every payload, as they leave the instance (DOMAIN.md §5)', () => {
    const messages = (document as { components: { messages: Record<string, { payload: { properties: { data: { properties: Record<string, unknown>; required?: string[] } } } }> } }).components.messages;
    const restricted = allEventDefinitions.filter((d) => d.classification === 'public' && d.restricted?.length);
    expect(restricted.length).toBeGreaterThan(0);
    for (const d of restricted) {
      const data = messages[messageName(d)].payload.properties.data;
      for (const field of d.restricted!) {
        expect(Object.keys(data.properties)).not.toContain(field);
        expect(data.required ?? []).not.toContain(field);
      }
    }
  });

  it('is the committed docs/asyncapi.json, and breaks nothing its readers know', () => {
    if (process.env.UPDATE_ASYNCAPI === '1') writeFileSync(COMMITTED, text);
    expect(compatibilityProblems(committed, document)).toEqual([]);
    expect(JSON.stringify(committed, null, 2) + '\n').toBe(text);
  });

  describe('the compatibility check', () => {
    const message = (version: number, data: Record<string, unknown>, required: string[]) => ({
      name: 'PilotStarted',
      payload: { properties: { version: { const: version }, data: { properties: data, required } } },
    });
    const doc = (messages: Record<string, unknown>) => ({ components: { messages } });
    const v1 = doc({ 'PilotStarted.v1': message(1, { pilotId: { type: 'string' }, startedOn: { type: 'string' } }, ['pilotId', 'startedOn']) });

    it('accepts a new version that keeps every field and adds one', () => {
      const v2 = doc({ 'PilotStarted.v2': message(2, { pilotId: { type: 'string' }, startedOn: { type: 'string' }, site: { type: 'string' } }, ['pilotId', 'startedOn']) });
      expect(compatibilityProblems(v1, v2)).toEqual([]);
    });

    it('refuses a changed shape at the same version, a dropped or retyped field, a field no longer required, an event gone', () => {
      expect(compatibilityProblems(v1, doc({ 'PilotStarted.v1': message(1, { pilotId: { type: 'string' } }, ['pilotId']) }))).toEqual(['PilotStarted.v1 changed shape without a new version']);
      expect(compatibilityProblems(v1, doc({ 'PilotStarted.v2': message(2, { pilotId: { type: 'integer' }, startedOn: { type: 'string' } }, ['pilotId']) }))).toEqual([
        'PilotStarted.v2 changes data.pilotId from what readers of PilotStarted.v1 know',
        'PilotStarted.v2 no longer requires data.startedOn, which readers of PilotStarted.v1 rely on',
      ]);
      expect(compatibilityProblems(v1, doc({ 'PilotStarted.v2': message(2, { pilotId: { type: 'string' } }, ['pilotId']) }))).toEqual([
        'PilotStarted.v2 drops data.startedOn, which readers of PilotStarted.v1 know',
        'PilotStarted.v2 no longer requires data.startedOn, which readers of PilotStarted.v1 rely on',
      ]);
      expect(compatibilityProblems(v1, doc({}))).toEqual(['PilotStarted.v1 is no longer published']);
    });
  });
});
