import type { PendingEvent, RecordedEvent } from './envelope';
import type { CheckpointRecord, StreamHead } from './audit-checkpoint';
import type { VerifyReport } from './hash-chain';

export interface AppendRequest {
  readonly streamId: string;
  readonly streamType: string;
  /** The stream's version the caller decided on: 0 for a new stream. */
  readonly expectedVersion: number;
  readonly events: readonly PendingEvent[];
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's new version (the position of its last event). */
  readonly position: number;
  readonly events: readonly RecordedEvent[];
}

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /** Pass as `after` to continue; equals the input when nothing new was read. */
  readonly checkpoint: number;
}

/**
 * The event store port. Every adapter passes the same contract suite (@dotpha/testkit).
 *
 * Appends are all-or-nothing and optimistic: `expectedVersion` must equal the stream's version,
 * otherwise WrongExpectedVersion and nothing is written. Reads upcast to current versions.
 * Events become visible to `readAll` once sequenced into the global order, which
 * `sequencePending` does (the outbox relay calls it); the order is gap-tolerant, not gap-free.
 */
export interface EventStore {
  readonly instance: string;
  append(request: AppendRequest): Promise<AppendResult>;
  /** Events of one stream from `fromPosition` (1-based, inclusive), upcast. */
  readStream(streamId: string, fromPosition?: number): Promise<readonly RecordedEvent[]>;
  /** 0 when the stream does not exist. */
  streamVersion(streamId: string): Promise<number>;
  readAll(after: number, limit?: number): Promise<ReadAllResult>;
  /** Assigns global positions to appended events in an order that keeps each stream's order. */
  sequencePending(): Promise<number>;
  /**
   * Sequenced events not yet marked dispatched, in global order (the outbox); given `after`,
   * those after that global position (a relay reading its next batch before the marks of the
   * batches it is still publishing are written).
   */
  undispatched(limit: number, after?: number): Promise<readonly RecordedEvent[]>;
  markDispatched(events: readonly RecordedEvent[]): Promise<void>;
  /**
   * The outbox's length in appends (one entry per append, of one or more events) sequenced and not
   * yet marked dispatched, counted by the storage without reading the events (the depth metric).
   */
  countUndispatched(): Promise<number>;
  /** Recomputes the hash chain of a stream as stored. */
  verify(streamId: string): Promise<VerifyReport>;
  listStreams(after?: string, limit?: number): Promise<readonly string[]>;
  /** Every stream's last position and the hash there, as the store knows its heads. */
  streamHeads(): Promise<readonly StreamHead[]>;
  /**
   * Visits every stream as stored (before upcasting, in stored order), one stream at a time, in
   * one pass over the store: the audit of the whole store costs one read of it.
   */
  scanStreams(visit: (streamId: string, stored: readonly RecordedEvent[]) => void | Promise<void>): Promise<void>;
  /** Keeps a signed checkpoint with the heads it covers (see auditStore). */
  saveCheckpoint(record: CheckpointRecord): Promise<void>;
  /** The checkpoint of the highest sequence kept, or null. */
  latestCheckpoint(): Promise<CheckpointRecord | null>;
  close(): Promise<void>;
}
