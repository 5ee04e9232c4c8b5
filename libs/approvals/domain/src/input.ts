import { InvalidInput } from '@dotpha/kernel';

/*
 * Commands arrive from HTTP and from other contexts' events, so their shape is checked here and
 * copied field by field: the events built from them must pass the strict published schemas.
 */

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const invalid = (field: string, expected: string): never => {
  throw new InvalidInput(`${field} must be ${expected}`, { field });
};

export const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

export function text(value: unknown, field: string): string {
  return isText(value) ? value : invalid(field, 'a non-empty string');
}

export function flag(value: unknown, field: string): boolean {
  return typeof value === 'boolean' ? value : invalid(field, 'a boolean');
}

export function positiveInteger(value: unknown, field: string): number {
  return Number.isInteger(value) && (value as number) >= 1 ? (value as number) : invalid(field, 'an integer from 1');
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  return allowed.includes(value as T) ? (value as T) : invalid(field, `one of ${allowed.join(', ')}`);
}

/** Duplicates are dropped: a list of people or units is a set. */
export function ids(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every(isText)) return invalid(field, 'a list of ids');
  return [...new Set(value)];
}

/** Returns the instant in canonical UTC form, so stored instants compare as strings. */
export function instant(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    return invalid(field, 'an ISO 8601 instant');
  }
  return new Date(value).toISOString();
}

/** A calendar day, YYYY-MM-DD, that exists (no 30 February). */
export function day(value: unknown, field: string): string {
  const parsed = typeof value === 'string' && ISO_DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  // Date.parse rolls 2026-02-30 over to 2 March instead of refusing it.
  const real = !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(value as string);
  return real ? (value as string) : invalid(field, 'a date YYYY-MM-DD');
}

export function record(value: unknown, field: string): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : invalid(field, 'an object');
}

export function list(value: unknown, field: string): unknown[] {
  return Array.isArray(value) ? value : invalid(field, 'a list');
}

export function string(value: unknown, field: string): string {
  return typeof value === 'string' ? value : invalid(field, 'a string');
}

/** Ids of the items of one list are unique: later events refer to them. */
export function uniqueIds<T extends { readonly id: string }>(items: readonly T[], field: string): readonly T[] {
  return new Set(items.map((item) => item.id)).size === items.length ? items : invalid(field, 'items with distinct ids');
}

export function nonNegative(value: unknown, field: string): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : invalid(field, 'a number from 0');
}

/** Absent and null both mean "not given". */
export function optional<T>(value: unknown, check: (given: unknown) => T): T | null {
  return value === undefined || value === null ? null : check(value);
}
