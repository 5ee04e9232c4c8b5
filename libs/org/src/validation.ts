import { InvalidInput } from '@dotpha/kernel';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SHOWN_IN_MESSAGE = 20;

/**
 * Collects every problem in a piece of operator-supplied data, so it can be fixed in one pass
 * instead of one error per attempt.
 */
export class Problems {
  private readonly found: string[] = [];

  constructor(private readonly what: string) {}

  add(path: string, message: string): void {
    this.found.push(`${path} ${message}`);
  }

  /** Records `message` unless `ok`; returns `ok` so callers can skip checks that depend on it. */
  expect(ok: boolean, path: string, message: string): boolean {
    if (!ok) this.add(path, message);
    return ok;
  }

  string(
    record: Record<string, unknown>,
    key: string,
    path: string,
    rule: { readonly optional?: boolean; readonly pattern?: RegExp; readonly maxLength?: number } = {},
  ): string | undefined {
    const value = record[key];
    if (value === undefined && rule.optional) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(`${path}.${key}`, 'must be a non-empty string');
      return undefined;
    }
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      this.add(`${path}.${key}`, `must be at most ${rule.maxLength} characters`);
    }
    if (rule.pattern && !rule.pattern.test(value)) this.add(`${path}.${key}`, `must match ${rule.pattern}`);
    return value;
  }

  /** Typos in optional keys would otherwise be silently ignored and fall back to defaults. */
  onlyKeys(record: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) this.add(`${path}.${key}`, 'is not a known field');
    }
  }

  throwIfAny(): void {
    if (this.found.length === 0) return;
    const shown = this.found.slice(0, SHOWN_IN_MESSAGE).join('; ');
    const more = this.found.length > SHOWN_IN_MESSAGE ? ` (and ${this.found.length - SHOWN_IN_MESSAGE} more)` : '';
    throw new InvalidInput(`${this.what} is invalid: ${shown}${more}`, { problems: [...this.found] });
  }
}
