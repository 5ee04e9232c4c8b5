import type vi from './vi.json';

/** A message catalogue: the Vietnamese one's keys (vi.json is the shape every other catalogue must match). */
export type Catalogue = typeof vi;
