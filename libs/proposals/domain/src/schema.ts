import {
  type TArray,
  type TObject,
  type TOptional,
  type TSchema,
  type TString,
  Type,
  closedObject,
  date,
  id,
  publishedInstants,
  stringEnum,
} from '@dotpha/kernel';

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

/*
 * The proposals context's published forms (the kernel's blocks where they publish the same):
 * text without the blank check, a minimum length only when one is required, and instants with
 * any number of fractional digits (kept as published; a new version would use the kernel's `instant`).
 */

export function textSchema(maxLength: number, minLength = 0): TString {
  return Type.String({ maxLength, ...(minLength > 0 ? { minLength } : {}) });
}

export const idSchema = id;
export const isoDateSchema = date;
/** As written by Date#toISOString, which is how deciders stamp time. */
export const timestampSchema = publishedInstants.anyFraction;
export const enumSchema = stringEnum;

export function arraySchema<S extends TSchema>(items: S, maxItems: number, minItems = 0): TArray<S> {
  return Type.Array(items, { maxItems, ...(minItems > 0 ? { minItems } : {}) });
}

type WithOptional<P extends Record<string, TSchema>, O extends string> = {
  [K in keyof P]: K extends O ? TOptional<P[K]> : P[K];
};

/** An object refusing unknown properties; every property is required except the `optional` ones. */
export function objectSchema<P extends Record<string, TSchema>, const O extends string = never>(
  properties: P,
  optional: readonly O[] = [],
): TObject<WithOptional<P, O>> {
  const wrapped = Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => [key, (optional as readonly string[]).includes(key) ? Type.Optional(schema) : schema]),
  );
  return closedObject(wrapped as WithOptional<P, O>);
}
