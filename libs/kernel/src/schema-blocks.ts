import {
  type SchemaOptions,
  type Static,
  type TArray,
  type TLiteral,
  type TOptional,
  type TNull,
  type TObject,
  type TProperties,
  type TSchema,
  type TString,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';

/*
 * Building blocks of the published event schemas (issue 13): a payload is written once, as a
 * TypeBox schema, and its TypeScript type is derived from it with `Payload<typeof schema>`.
 * TypeBox marks its schemas with symbol keys only, which JSON (and Ajv) never see, so what is
 * published is plain JSON Schema. libs/contracts/published-schemas.json freezes it: a block that
 * would change an existing version's schema is not used there (the old form stays, said so).
 */

export { Type };
export type { Static, TArray, TObject, TOptional, TProperties, TSchema, TString, TUnsafe };

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The type of a payload a schema describes: read-only all the way down, as recorded events are. */
export type Payload<S extends TSchema> = DeepReadonly<Static<S>>;
/** The same for a set of properties shared by several payloads (spread into their `closedObject`s). */
export type PayloadOf<P extends TProperties> = Payload<TObject<P>>;
/** Fields a command shares with the event it leads to, taken from the event's payload (its published schema). */
export type FieldsOf<E extends { readonly data: object }, K extends keyof E['data']> = Pick<E['data'], K>;

/** An object refusing unknown properties; every property is required unless wrapped in `Type.Optional`. */
export function closedObject<P extends TProperties>(properties: P, options: SchemaOptions = {}): TObject<P> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** `{ type: 'string', enum }`: the contract's form of a closed set of names. */
export function stringEnum<const V extends readonly string[]>(values: V): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values] });
}

/** `{ anyOf: [schema, null] }`. */
export function nullable<S extends TSchema>(schema: S) {
  return Type.Union([schema, Type.Null()]);
}

/** `{ oneOf: [...] }`: exactly one of the schemas (TypeBox's own unions publish `anyOf`). */
export function oneOf<const S extends readonly TSchema[]>(schemas: S): TUnsafe<Static<S[number]>> {
  return Type.Unsafe<Static<S[number]>>({ oneOf: [...schemas] });
}

/** `{ oneOf: [schema, null] }`: the monitoring context's published form of a nullable value. */
export function oneOfNull<S extends TSchema>(schema: S): TUnsafe<Static<S> | null> {
  return oneOf([schema, Type.Null()] as [S, TNull]);
}

/** `{ type: 'boolean', const: true }`: an attestation that can only be given. */
export const yes: TLiteral<true> = Type.Literal(true);

// ---- Time ----

const ISO_DATE = '^\\d{4}-\\d{2}-\\d{2}$';

/** A calendar date, YYYY-MM-DD, in the instance's local time. */
export const date = Type.String({ pattern: ISO_DATE });

/** An instant in UTC to the millisecond, as Date#toISOString writes it and deciders stamp time. */
export const instant = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' });

/**
 * The two other instant patterns already published: any number of fractional digits (the
 * proposals and audit contexts) and a fraction to the nanosecond with an offset (approvals).
 * Kept for the versions that publish them; a new version uses `instant`.
 */
export const publishedInstants = {
  anyFraction: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' }),
  withOffset: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$' }),
} as const;

// ---- Ids, numbers and text ----

/** A non-empty id of at most `maxLength` characters (100 unless a context published another bound). */
export const idOf = (maxLength: number): TString => Type.String({ minLength: 1, maxLength });
export const id = idOf(100);

/** A set of ids: no repeats, at most `maxItems`. */
export const idsOf = <S extends TSchema>(item: S, maxItems: number) => Type.Array(item, { maxItems, uniqueItems: true });
export const ids = idsOf(id, 200);

/** Text that must say something: a blank reason or finding is no record at all. */
export const wordsOf = (maxLength: number): TString => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
/** A reason, a finding, a justification. */
export const statement = wordsOf(4000);

/** An amount of money (VND) or any other quantity that cannot be negative. */
export const money = Type.Number({ minimum: 0 });
export const count = Type.Integer({ minimum: 0 });

// ---- Shapes the contexts hand each other ----

export const KPI_DIRECTIONS = ['at-least', 'at-most'] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];
export const RESOURCE_KINDS = ['funding', 'people', 'equipment', 'other'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** A key performance indicator of a plan: the bounds of its texts are each context's published ones. */
export const kpiSchema = (fields: { readonly id: TString; readonly name: TString; readonly unit: TString }) =>
  closedObject({ id: fields.id, name: fields.name, unit: fields.unit, target: Type.Number(), direction: stringEnum(KPI_DIRECTIONS) });
export type Kpi = Payload<ReturnType<typeof kpiSchema>>;

/** A milestone of a plan, due on a calendar date. */
export const milestoneSchema = (fields: { readonly id: TString; readonly name: TString }) =>
  closedObject({ id: fields.id, name: fields.name, dueDate: date });
export type Milestone = Payload<ReturnType<typeof milestoneSchema>>;

/** A resource a plan needs; `amount` is optional. */
export const resourceSchema = (description: TString) =>
  closedObject({ kind: stringEnum(RESOURCE_KINDS), description, amount: Type.Optional(money) });
export type Resource = Payload<ReturnType<typeof resourceSchema>>;

/** The parts of a plan each context hands on: scope, dates, supervisor, KPIs, milestones and resources. */
export type PlanParts = Readonly<Record<'scope' | 'startDate', string> & Record<'endDate' | 'supervisorId', string | null>> & {
  readonly kpis: readonly Kpi[];
  readonly milestones: readonly Milestone[];
  readonly resources: readonly Resource[];
};

/**
 * A plan's parts copied field by field, each KPI, milestone and resource too: what a reader keeps
 * of a plan it is handed (fields of a newer version, or a pilot's own such as a milestone's met date, stay out).
 */
export function planParts<P extends PlanParts>(plan: P): Pick<P, 'scope' | 'startDate' | 'endDate' | 'supervisorId'> & Pick<PlanParts, 'kpis' | 'milestones' | 'resources'> {
  return {
    scope: plan.scope,
    startDate: plan.startDate,
    endDate: plan.endDate,
    kpis: plan.kpis.map(({ id, name, unit, target, direction }) => ({ id, name, unit, target, direction })),
    milestones: plan.milestones.map(({ id, name, dueDate }) => ({ id, name, dueDate })),
    resources: plan.resources.map(({ kind, description, amount }) => ({ kind, description, ...(amount === undefined ? {} : { amount }) })),
    supervisorId: plan.supervisorId,
  };
}

/**
 * D73-10b: whom the protection and recognition of a proposal reach: the proposer, co-proposers,
 * implementers named on the plan, the approving head (null on records from before it was named).
 * Every context carries this shape; the bounds and the nullable form are each one's published ones.
 */
export const peopleSchema = (ids: TArray<TString>, approvingHeadId: TSchema & { static: string | null }) =>
  closedObject({ proposerId: id, coProposerIds: ids, implementerIds: ids, approvingHeadId });
export type People = Payload<ReturnType<typeof peopleSchema>>;

/** C14-2.4d: the grounds of an abuse referral, as evaluation's AbuseReferred publishes them and rewards reads them. */
export const ABUSE_GROUNDS = ['self-interest', 'corruption', 'negativity', 'discipline-violation'] as const;
export type AbuseGround = (typeof ABUSE_GROUNDS)[number];
export const abuseGroundsSchema = Type.Array(stringEnum(ABUSE_GROUNDS), { minItems: 1, maxItems: 4, uniqueItems: true });
