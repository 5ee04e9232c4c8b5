import { InvalidInput } from './errors';

export type FieldValue = string | number | boolean | null;

/**
 * A condition on one data field (dotted path): a value is equality (on a list field: the list holds
 * it), `{ in }` one of the values, `{ gt }` / `{ lt }` a strict bound of the same type.
 */
export type FieldCondition = FieldValue | { readonly in: readonly FieldValue[] } | { readonly gt: string | number } | { readonly lt: string | number };

/** Every field's condition holds. */
export type Conditions = Readonly<Record<string, FieldCondition>>;

/**
 * One page of a list, decided by the store (server-side paging, sorting and filtering): `where`
 * and at least one of `anyOf` (when given; visibility rules are such alternatives) hold, ordered
 * by `sort` then by id, `limit` documents after the page `after` named. The sort field must be
 * set (not null) on every document of the collection.
 */
export interface ReadModelQuery {
  readonly where?: Conditions;
  readonly anyOf?: readonly Conditions[];
  readonly sort?: { readonly field: string; readonly direction: 'asc' | 'desc' };
  readonly limit: number;
  /** The `next` of the previous page. */
  readonly after?: string;
  /** Also count every document the query matches (costs a second read). */
  readonly count?: boolean;
}

/** A page of documents (`ReadModelDocument`s from a store). */
export interface ReadModelPage<T extends { readonly id: string; readonly data: unknown }> {
  readonly items: T[];
  /** Names the next page; null on the last one. */
  readonly next: string | null;
  readonly total?: number;
}

const FIELD = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const MAX_LIMIT = 1000;

/** Refuses what a store must never be handed from a request: operator-looking fields, objects as values, unbounded pages. */
export function checkQuery(query: ReadModelQuery): void {
  const fields = [...[query.where ?? {}, ...(query.anyOf ?? [])].flatMap((c) => Object.keys(c)), ...(query.sort ? [query.sort.field] : [])];
  for (const field of fields) if (!FIELD.test(field)) throw new InvalidInput(`'${field}' is not a field name`);
  for (const conditions of [query.where ?? {}, ...(query.anyOf ?? [])]) {
    for (const [field, condition] of Object.entries(conditions)) {
      if (condition === null || typeof condition !== 'object') continue;
      const keys = Object.keys(condition);
      const ok = keys.length === 1 && (keys[0] === 'in' ? Array.isArray((condition as { in: unknown }).in) && (condition as { in: unknown[] }).in.every(isValue) : ['gt', 'lt'].includes(keys[0]) && ['string', 'number'].includes(typeof Object.values(condition)[0]));
      if (!ok) throw new InvalidInput(`filter on '${field}' must be a plain value, { in: [...] }, { gt } or { lt }`);
    }
  }
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_LIMIT) throw new InvalidInput(`a page holds 1 to ${MAX_LIMIT} documents`);
}

const isValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** The position after a document in the query's order: its sort value and id, opaque to callers. */
export function pageCursor(sortValue: FieldValue | undefined, id: string): string {
  return Buffer.from(JSON.stringify([sortValue ?? null, id])).toString('base64url');
}

export function readCursor(cursor: string): { readonly value: FieldValue; readonly id: string } {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof id === 'string' && isValue(value)) return { value: value as FieldValue, id };
  } catch {
    // answered below
  }
  throw new InvalidInput('the page cursor is not one this list gave', { field: 'cursor' });
}

/** A page of the items read (at most `limit`), `more` when the store found another after them. */
export function pagedResult<T extends { readonly id: string; readonly data: unknown }>(query: ReadModelQuery, items: T[], more: boolean, total: number | undefined): ReadModelPage<T> {
  const last = items[items.length - 1];
  const next = more && last ? pageCursor(query.sort ? (valueAt(last.data, query.sort.field) as FieldValue) : null, last.id) : null;
  return { items, next, ...(total === undefined ? {} : { total }) };
}

/** The value at a dotted path of a document's data (undefined where the path ends). */
export function valueAt(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), data);
}

/** Documents per page when a request names no limit; the most a request may ask for. */
export const PAGE_DEFAULT_LIMIT = 100;
export const PAGE_MAX_LIMIT = 500;

/** What a list request asks of paging: a sort among the list's own names, which map to read-model fields. */
export interface PageParams<S extends string = string> {
  readonly limit?: number;
  readonly cursor?: string;
  readonly sort?: S;
  readonly order?: 'asc' | 'desc';
}

/**
 * The paging part of a list's read-model query: the sort name mapped to its field, the matches
 * counted on the first page only (a cursor's page is read for its documents: counting every match
 * again is a second read of the whole list each time).
 */
export function pageOf<S extends string>(params: PageParams<S>, fields: Readonly<Record<S, string>>, defaultSort: S, defaultOrder: 'asc' | 'desc'): Pick<ReadModelQuery, 'sort' | 'limit' | 'after' | 'count'> {
  return {
    sort: { field: fields[params.sort ?? defaultSort], direction: params.order ?? defaultOrder },
    limit: params.limit ?? PAGE_DEFAULT_LIMIT,
    ...(params.cursor ? { after: params.cursor } : {}),
    count: !params.cursor,
  };
}
