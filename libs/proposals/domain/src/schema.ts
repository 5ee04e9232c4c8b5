import type { JsonSchema } from '@dotpha/kernel';

/** Bounds of the published schemas: a payload beyond them is refused before it is stored. */
export const LIMITS = {
  id: 100,
  shortText: 500,
  longText: 20_000,
  uri: 2_000,
  objectives: 50,
  targetsPerObjective: 20,
  milestones: 100,
  attachments: 50,
  scopeUnits: 200,
  /** Co-proposers, implementers: the people a proposal names. */
  people: 50,
  /** Proposals one registered initiative names as fulfilling it. */
  proposalsPerInitiative: 50,
} as const;

export function textSchema(maxLength: number, minLength = 0): JsonSchema {
  return { type: 'string', maxLength, ...(minLength > 0 ? { minLength } : {}) };
}

export const idSchema: JsonSchema = { type: 'string', minLength: 1, maxLength: LIMITS.id };
export const isoDateSchema: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
/** As written by Date#toISOString, which is how deciders stamp time. */
export const timestampSchema: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' };

export function enumSchema(values: readonly string[]): JsonSchema {
  return { type: 'string', enum: [...values] };
}

export function arraySchema(items: JsonSchema, maxItems: number, minItems = 0): JsonSchema {
  return { type: 'array', items, maxItems, ...(minItems > 0 ? { minItems } : {}) };
}

/** An object refusing unknown properties; every property is required except the `optional` ones. */
export function objectSchema(properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema {
  const required = Object.keys(properties).filter((key) => !optional.includes(key));
  return { type: 'object', additionalProperties: false, properties, ...(required.length > 0 ? { required } : {}) };
}
