import type { vi } from './vi';

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** A message catalogue: the Vietnamese one's keys, every value a string. */
export type Catalogue = Widen<typeof vi>;
