import Ajv from 'ajv';
import {
  type Payload,
  Type,
  closedObject,
  date,
  id,
  instant,
  kpiSchema,
  nullable,
  oneOfNull,
  publishedInstants,
  stringEnum,
  wordsOf,
} from './schema-blocks';

describe('schema building blocks', () => {
  const kpi = kpiSchema({ id, name: wordsOf(300), unit: Type.String({ maxLength: 50 }) });
  const payload = closedObject({
    at: instant,
    on: date,
    kind: stringEnum(['a', 'b']),
    head: nullable(id),
    latest: oneOfNull(Type.Number()),
    note: Type.Optional(wordsOf(10)),
    kpis: Type.Array(kpi, { maxItems: 2 }),
  });

  it('publish plain JSON Schema: TypeBox marks them with symbol keys only', () => {
    expect(JSON.parse(JSON.stringify(payload))).toEqual({
      additionalProperties: false,
      type: 'object',
      required: ['at', 'on', 'kind', 'head', 'latest', 'kpis'],
      properties: {
        at: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' },
        on: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        kind: { type: 'string', enum: ['a', 'b'] },
        head: { anyOf: [{ type: 'string', minLength: 1, maxLength: 100 }, { type: 'null' }] },
        latest: { oneOf: [{ type: 'number' }, { type: 'null' }] },
        note: { type: 'string', minLength: 1, maxLength: 10, pattern: '\\S' },
        kpis: {
          type: 'array',
          maxItems: 2,
          items: {
            additionalProperties: false,
            type: 'object',
            required: ['id', 'name', 'unit', 'target', 'direction'],
            properties: {
              id: { type: 'string', minLength: 1, maxLength: 100 },
              name: { type: 'string', minLength: 1, maxLength: 300, pattern: '\\S' },
              unit: { type: 'string', maxLength: 50 },
              target: { type: 'number' },
              direction: { type: 'string', enum: ['at-least', 'at-most'] },
            },
          },
        },
      },
    });
  });

  it('compile under strict Ajv and validate what their derived type describes', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(payload);
    const value: Payload<typeof payload> = {
      at: '2026-12-01T10:00:00.000Z',
      on: '2026-12-01',
      kind: 'a',
      head: null,
      latest: 3,
      kpis: [{ id: 'k', name: 'Hồ sơ', unit: '%', target: 90, direction: 'at-least' }],
    };
    expect(validate(value)).toBe(true);
    expect(validate({ ...value, extra: 1 })).toBe(false);
    expect(validate({ ...value, note: '   ' })).toBe(false);
    expect(validate({ ...value, at: '2026-12-01T10:00:00+07:00' })).toBe(false);
  });

  it('keep the instant patterns already published for the versions that use them', () => {
    const ajv = new Ajv({ strict: true });
    expect(ajv.validate(publishedInstants.withOffset, '2026-12-01T10:00:00.123456789+07:00')).toBe(true);
    expect(ajv.validate(publishedInstants.anyFraction, '2026-12-01T10:00:00.123456Z')).toBe(true);
    expect(ajv.validate(instant, '2026-12-01T10:00:00.123456Z')).toBe(false);
  });
});
