import type { mongo } from 'mongoose';
import type { EventRegistry } from '@dotpha/kernel';
import type { Params } from './params';
import type { Servers } from './servers';

/** What every suite gets: one database for the whole run (dropped at the end), the sizes, a logger. */
export interface BenchContext {
  readonly params: Params;
  readonly servers: Servers;
  readonly client: mongo.MongoClient;
  readonly db: mongo.Db;
  readonly registry: EventRegistry;
  readonly instance: string;
  readonly text: string;
  /** Unique to this bench run: topic, collection and stream names carry it. */
  readonly tag: string;
  log(message: string): void;
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Run 0 is the warm-up (discarded); runs 1..n are measured. */
export function measuredRuns(params: Params): number[] {
  return range(params.runs + 1);
}
