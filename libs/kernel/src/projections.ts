import type { DomainEvent, Recorded, RecordedEvent } from './envelope';
import type { EventStore } from './event-store';
import type { ReadModelPage, ReadModelQuery } from './read-model-query';

/** A read-model document with what it has already absorbed, per source stream. */
export interface ReadModelDocument<D = unknown> {
  readonly id: string;
  readonly revision: number;
  readonly data: D;
  /** Last stream position applied, per stream: makes redelivery a no-op. */
  readonly applied: Readonly<Record<string, number>>;
}

/** An event a projection or a reactor could not take, kept with why, until an operator re-drives it. */
export interface DeadLetter {
  /** The consumer group, projection or reactor that parked it. */
  readonly projection: string;
  readonly event: RecordedEvent;
  readonly error: string;
  readonly attempts: number;
  readonly parkedAt: string;
}

export interface PutRequest<D = unknown> {
  readonly doc: Omit<ReadModelDocument<D>, 'revision'>;
  readonly expectedRevision: number;
}

/** One letter per consumer and event: parking the same event again replaces it. */
export const deadLetterId = (letter: Pick<DeadLetter, 'projection' | 'event'>): string => `${letter.projection}|${letter.event.eventId}`;

/** How many times in a row an event is decided again on a document other writers keep moving on. */
const MAX_CONFLICTS = 10;

/** The projection's own `apply` failed on an event (as opposed to the store). */
class ProjectionFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export class RevisionConflict extends Error {
  constructor(collection: string, id: string) {
    super(`read model ${collection}/${id} changed concurrently`);
  }
}

/** Storage of read models, checkpoints and parked events. Writes are single-document compare-and-set. */
export interface ReadModelStore {
  get<D>(collection: string, id: string): Promise<ReadModelDocument<D> | undefined>;
  /** Writes `doc` with revision expectedRevision + 1; RevisionConflict if it moved on (0 = must not exist). */
  put<D>(collection: string, doc: Omit<ReadModelDocument<D>, 'revision'>, expectedRevision: number): Promise<void>;
  /**
   * Many puts at once (in as few round trips as the server allows), each its own compare-and-set:
   * the ones that may be written are; RevisionConflict afterwards if any moved on.
   */
  putMany<D>(collection: string, writes: readonly PutRequest<D>[]): Promise<void>;
  /** Documents whose data fields equal the given values (all of them), ordered by id. */
  find<D>(collection: string, where?: Readonly<Record<string, string | number | boolean | null>>): Promise<ReadModelDocument<D>[]>;
  /** One page of a filtered, sorted list, decided by the storage (indexed where it has indexes). */
  page<D>(collection: string, query: ReadModelQuery): Promise<ReadModelPage<ReadModelDocument<D>>>;
  drop(collection: string): Promise<void>;
  getCheckpoint(name: string): Promise<number>;
  /** Compare-and-set; false when another runner moved it first. */
  setCheckpoint(name: string, value: number, expected: number): Promise<boolean>;
  /** Keeps a dead letter (durably: an operator must find it after a restart); replaces one with the same id. */
  park(letter: DeadLetter): Promise<void>;
  /** The letters one consumer parked, or every letter when none is named, oldest first. */
  deadLetters(projection?: string): Promise<DeadLetter[]>;
  deadLetter(id: string): Promise<DeadLetter | undefined>;
  removeDeadLetter(id: string): Promise<void>;
}

/** The event types a handler takes (Emmett's `CanHandle`): the only events it is ever given. */
export type CanHandle<E extends DomainEvent> = readonly E['type'][];

/** Whether a handler (projection, reactor) takes this event; narrows the event to the handler's events. */
export function canHandle<E extends DomainEvent>(handler: { readonly canHandle: CanHandle<E> }, event: RecordedEvent): event is Recorded<E> {
  return handler.canHandle.some((type) => type === event.type);
}

/**
 * A read model as a pure function of the events it handles (E, the events of its `canHandle`).
 * `key` picks the document an event touches; `apply` returns its next data (documents are never
 * deleted, so redelivery stays detectable). A projection of another context's events types them
 * with the fields it reads, so that context's additions change nothing here.
 */
export interface Projection<D = any, E extends DomainEvent = DomainEvent> {
  readonly name: string;
  readonly collection: string;
  readonly canHandle: CanHandle<E>;
  key(event: Recorded<E>): string | undefined;
  apply(current: D | undefined, event: Recorded<E>): D;
}

/** Declares a projection with its events' types inferred for `key` and `apply`. */
export const projection = <D, E extends DomainEvent>(definition: Projection<D, E>): Projection<D, E> => definition;

export interface RunnerOptions {
  readonly maxAttempts?: number;
  readonly now?: () => Date;
}

/** A read-model document a rebuild holds in memory. */
interface Rebuilt {
  readonly collection: string;
  readonly id: string;
  revision: number;
  data: unknown;
  applied: Record<string, number>;
}

/**
 * Applies events to projections idempotently: an event whose stream position a document has
 * already absorbed is skipped; an event that keeps failing is parked and the others go on.
 */
export class ProjectionRunner {
  private readonly maxAttempts: number;
  private readonly now: () => Date;

  constructor(
    private readonly projections: readonly Projection[],
    private readonly store: ReadModelStore,
    options: RunnerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.now = options.now ?? (() => new Date());
  }

  async handle(event: RecordedEvent): Promise<void> {
    for (const projection of this.projections) {
      if (canHandle(projection, event)) await this.applyTo(projection, event);
    }
  }

  /** Feeds the store's global order from the stored checkpoint; returns events read. */
  async catchUp(source: EventStore, checkpointName = 'catch-up', batch = 1000): Promise<number> {
    let read = 0;
    for (;;) {
      const checkpoint = await this.store.getCheckpoint(checkpointName);
      const { events, checkpoint: next } = await source.readAll(checkpoint, batch);
      if (events.length === 0) return read;
      for (const event of events) await this.handle(event);
      read += events.length;
      // A lost compare-and-set means another runner advanced it: the next round re-reads it.
      await this.store.setCheckpoint(checkpointName, next, checkpoint);
    }
  }

  /**
   * Drops the read models and replays every event from zero. What it writes is its own, so it
   * keeps the documents in memory and writes them with `putMany` when `cached` are held (then
   * forgets them and reads misses back) and at the end: a document is written once per flush,
   * not read and written per event. The default holds a province's read models (a few hundred
   * bytes each), so a rebuild usually writes each document once: a miss read back and its
   * compare-and-set update are what an unindexed server pays most for. The checkpoint follows each flush, so a rebuild that stops
   * resumes from what was written.
   */
  async rebuild(source: EventStore, checkpointName = 'catch-up', batch = 1000, cached = 250_000): Promise<number> {
    for (const projection of this.projections) await this.store.drop(projection.collection);
    const current = await this.store.getCheckpoint(checkpointName);
    await this.store.setCheckpoint(checkpointName, 0, current);
    const memory = new Map<string, Rebuilt>();
    const touched = new Set<Rebuilt>();
    let complete = true;
    let read = 0;
    let checkpoint = 0;
    let saved = 0;
    const flush = async () => {
      const byCollection = new Map<string, Rebuilt[]>();
      for (const entry of touched) {
        const list = byCollection.get(entry.collection);
        if (list) list.push(entry);
        else byCollection.set(entry.collection, [entry]);
      }
      for (const [collection, entries] of byCollection) {
        await this.store.putMany(collection, entries.map((e) => ({ doc: { id: e.id, data: e.data, applied: { ...e.applied } }, expectedRevision: e.revision })));
        for (const entry of entries) entry.revision += 1;
      }
      touched.clear();
      if (checkpoint !== saved) {
        await this.store.setCheckpoint(checkpointName, checkpoint, saved);
        saved = checkpoint;
      }
      if (memory.size >= cached) {
        memory.clear();
        complete = false;
      }
    };
    for (;;) {
      const { events, checkpoint: next } = await source.readAll(checkpoint, batch);
      if (events.length === 0) {
        await flush();
        return read;
      }
      for (const event of events) {
        for (const projection of this.projections) {
          if (!canHandle(projection, event)) continue;
          const id = projection.key(event);
          if (id === undefined) continue;
          const slot = `${projection.collection}\u0000${id}`;
          let entry = memory.get(slot);
          if (!entry) {
            const stored = complete ? undefined : await this.store.get(projection.collection, id);
            entry = { collection: projection.collection, id, revision: stored?.revision ?? 0, data: stored?.data, applied: { ...(stored?.applied ?? {}) } };
            memory.set(slot, entry);
          }
          if ((entry.applied[event.streamId] ?? 0) >= event.streamPosition) continue;
          try {
            entry.data = projection.apply(entry.data, event);
          } catch (error) {
            // apply is a pure function: trying again gives the same answer.
            await this.store.park({ projection: projection.name, event, error: error instanceof Error ? error.message : String(error), attempts: 1, parkedAt: this.now().toISOString() });
            continue;
          }
          entry.applied[event.streamId] = event.streamPosition;
          touched.add(entry);
        }
      }
      read += events.length;
      checkpoint = next;
      if (memory.size >= cached) await flush();
    }
  }

  /** Applies an event to every projection that handles it, throwing instead of parking (an operator's re-drive). */
  async applyOrThrow(event: RecordedEvent): Promise<void> {
    for (const projection of this.projections) {
      if (!canHandle(projection, event)) continue;
      try {
        await this.applyOnce(projection, event);
      } catch (error) {
        throw error instanceof ProjectionFailed ? error.cause : error;
      }
    }
  }

  /**
   * Applies one event; parks it only when the projection itself fails on it (`apply` throws, a
   * bug that trying again will not mend). A failure of the store (unreachable, restarting, or any
   * other refusal) is not the event's fault: it is thrown to the caller, the bus, which tries the
   * event again later and keeps the consumer's lag and last error visible meanwhile. A document
   * another writer moved on (RevisionConflict) is decided again at once.
   */
  private async applyTo(projection: Projection, event: RecordedEvent): Promise<void> {
    let failures = 0;
    let lastError: unknown;
    for (let conflicts = 0; failures < this.maxAttempts; ) {
      try {
        await this.applyOnce(projection, event);
        return;
      } catch (error) {
        if (error instanceof ProjectionFailed) {
          failures++;
          lastError = error.cause;
        } else if (error instanceof RevisionConflict && ++conflicts < MAX_CONFLICTS) {
          continue;
        } else {
          throw error;
        }
      }
    }
    await this.store.park({
      projection: projection.name,
      event,
      error: lastError instanceof Error ? lastError.message : String(lastError),
      attempts: this.maxAttempts,
      parkedAt: this.now().toISOString(),
    });
  }

  private async applyOnce(projection: Projection, event: RecordedEvent): Promise<void> {
    const id = projection.key(event);
    if (id === undefined) return;
    const current = await this.store.get(projection.collection, id);
    if ((current?.applied[event.streamId] ?? 0) >= event.streamPosition) return;
    let next: unknown;
    try {
      next = projection.apply(current?.data, event);
    } catch (error) {
      throw new ProjectionFailed(error);
    }
    const revision = current?.revision ?? 0;
    const applied = { ...(current?.applied ?? {}), [event.streamId]: event.streamPosition };
    await this.store.put(projection.collection, { id, data: next, applied }, revision);
  }
}
