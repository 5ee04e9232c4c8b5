import { InvalidInput } from '@dotpha/kernel';

/*
 * The checks of what a proposals command carries, before any rule of its aggregate: text that
 * says something, a value from its list.
 */

export function filled(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

export function requireText(value: unknown, field: string): string {
  if (!filled(value)) throw new InvalidInput(`${field} must be a non-empty string`, { field });
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new InvalidInput(`${field} must be one of ${allowed.join(', ')}`, { field, value });
  }
  return value as T;
}
