import { InvalidInput } from '@dotpha/kernel';
import type { Damage } from './commands';

/*
 * The checks of what an evaluation or inspection-case command carries, before any rule of the
 * aggregate: instants in the published form, lists that name each item once, text that says something.
 */

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

export function isAfter(a: string, b: string): boolean {
  return Date.parse(a) > Date.parse(b);
}

/** At least one item, none twice. */
export function namedOnce(items: readonly string[]): boolean {
  return items.length > 0 && new Set(items).size === items.length;
}

export function says(text: string): boolean {
  return text.trim() !== '';
}

/** Damage caused comes with its estimate; no damage, no estimate. */
export function checkDamage(damage: Damage): Damage {
  if (damage.caused && !(damage.estimate !== undefined && Number.isFinite(damage.estimate) && damage.estimate >= 0)) {
    throw new InvalidInput('damage caused is recorded with its estimate');
  }
  if (!damage.caused && damage.estimate !== undefined) throw new InvalidInput('no damage, so no estimate');
  return damage;
}
