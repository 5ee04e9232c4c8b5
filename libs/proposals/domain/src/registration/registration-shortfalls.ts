import { fold } from '@dotpha/kernel';
import type { RegistrationEvent } from './events';
import { registrationDecider } from './registration.decider';

export interface RegistrationShortfall {
  readonly unitId: string;
  /** Initiatives registered for the year and not rejected. */
  readonly registered: number;
  readonly missing: number;
}

/**
 * HCM3815-1: the agencies that have not registered `minimum` initiatives for `year`, in the
 * order of `units`. A rejected research direction does not count: the agency owes another one.
 * `units` are the agencies expected to register (the caller picks them, e.g. by level).
 */
export function registrationShortfalls(
  units: readonly { readonly id: string }[],
  events: readonly RegistrationEvent[],
  year: number,
  minimum: number,
): RegistrationShortfall[] {
  const byUnit = new Map<string, RegistrationEvent[]>();
  for (const event of events) {
    if (event.data.year === year) byUnit.set(event.data.unitId, [...(byUnit.get(event.data.unitId) ?? []), event]);
  }
  return units
    .map(({ id }) => {
      const { initiatives } = fold(registrationDecider, byUnit.get(id) ?? []);
      const registered = initiatives.filter((i) => i.status !== 'rejected').length;
      return { unitId: id, registered, missing: Math.max(0, minimum - registered) };
    })
    .filter((shortfall) => shortfall.missing > 0);
}
