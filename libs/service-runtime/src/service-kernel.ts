import { type KeyObject, createPublicKey, randomUUID } from 'crypto';
import { join } from 'path';
import mongoose from 'mongoose';
import {
  AUDIT_CHECKPOINT_STREAM_TYPE, auditCheckpointStream, contextOfEvents, contractRegistry, serviceEventDefinitions, type ContextName,
} from '@dotpha/contracts';
import { InProcessEventBus } from '@dotpha/event-bus-in-process';
import { KafkaEventBus } from '@dotpha/event-bus-kafka';
import { EmbeddedEventStore, LevelDeadLetterLog, MemoryReadModelStore } from '@dotpha/event-store-embedded';
import { MongoEventStore, MongoReadModelStore } from '@dotpha/event-store-mongodb';
import {
  type Actor, type AuditCheckpoint, type CanHandle, type CommandOf, type DeadLetter, type Recorded, type CommandMetadata, type CommandResult, type Decider, type DomainEvent, type EventBus,
  type EventStore, type InclusionProof, type Projection, type ReadModelStore, type RecordedEvent, type StoreAudit, type Subscription,
  CommandHandler, DomainError, EventRegistry, OutboxRelay, ProjectionRunner, WrongExpectedVersion, auditStore, canHandle, foldStream,
  inclusionPath, issueCheckpoint, keyIdOf, merkleRoot,
} from '@dotpha/kernel';
import { type RuntimeConfig, auditKeyOf, mongoConnectionOptions } from './config';
import type { Caller } from './actor';
import { takeIfMatch } from './request-precondition';
import { isStoreUnavailable } from './store-unavailable';
import { type ReadAccess, storedStream } from './disclosure';
import { type KernelObserver, NO_OBSERVER, commandOutcomeOf } from './observability/metrics';
import { withLogContext } from './observability/logging';
import { inSpan, rememberTrace, traceContextOf } from './observability/tracing';

/**
 * Turns another context's events (E, the events of its `canHandle`) into this service's commands.
 * Must tolerate redelivery. Types another context's event by the fields it reads.
 */
export interface Reactor<E extends DomainEvent = DomainEvent> {
  readonly name: string;
  readonly canHandle: CanHandle<E>;
  react(event: Recorded<E>, kernel: ServiceKernel): Promise<void>;
}

/** Declares a reactor with its events' types inferred for `react`. */
export const reactor = <E extends DomainEvent>(definition: Reactor<E>): Reactor<E> => definition;

/** What makes one service: its context (own events, own database) and what it reads. */
export interface ServiceSpec {
  readonly name: ContextName;
  readonly projections: readonly Projection[];
  readonly reactors: readonly Reactor[];
  /** Contexts whose topics the projections and reactors read (include the own context for own read models). */
  readonly reads: readonly ContextName[];
  /**
   * Who reads a stream this service owns through the audit trail (issue 12), decided by the same
   * predicate as the service's queries: 'full', 'redacted' (disclosure.ts), or 'none', answered
   * exactly like an unknown stream (404). Absent: no stream of the service is read that way.
   */
  readonly readAccess?: (caller: Caller, streamId: string, kernel: ServiceKernel) => Promise<ReadAccess>;
}

/** A stream the audit trail asks about: its type, its key after `<type>-`, its first event. */
export type StoredStream = NonNullable<Awaited<ReturnType<typeof storedStream>>>;

/** How the audit trail reads the streams of one type of a service: 'full', 'redacted' (a Disclosure) or 'none'. */
export type StreamAccess = (caller: Caller, stream: StoredStream, kernel: ServiceKernel) => ReadAccess | Promise<ReadAccess>;

/**
 * A service's readAccess by the type of the stream asked about, each decided by the predicate and
 * the disclosure of the service's queries; a stream of any other type reads as unknown ('none').
 */
export function readAccessByStreamType(byType: Readonly<Record<string, StreamAccess>>): NonNullable<ServiceSpec['readAccess']> {
  return async (caller, streamId, kernel) => {
    const stream = await storedStream(kernel.store, streamId);
    const access = stream && Object.hasOwn(byType, stream.type) ? byType[stream.type] : undefined;
    return stream && access ? access(caller, stream, kernel) : 'none';
  };
}

/** Streams read through their read-model document (one per stream key): `access` on it, 'none' without one. */
export function documentAccess<D>(collection: string, access: (caller: Caller, doc: D, kernel: ServiceKernel) => ReadAccess): StreamAccess {
  return async (caller, stream, kernel) => {
    const doc = await kernel.readModels.get<D>(collection, stream.key);
    return doc ? access(caller, doc.data, kernel) : 'none';
  };
}

/**
 * One service's write and read machinery: its event store (own database), the outbox relay to
 * the bus, projections into its read models, and reactors to other contexts' events.
 */
export class ServiceKernel {
  readonly registry: EventRegistry;
  readonly contract = contractRegistry();
  private readonly handler: CommandHandler;
  private readonly subscriptions: Subscription[] = [];
  /** The groups this kernel holds a subscription of, so a retried start does not subscribe twice. */
  private readonly subscribedGroups = new Set<'projections' | 'reactors'>();
  private closing: Promise<void> | undefined;
  private readonly runner: ProjectionRunner;
  /** Events refused because they came from an instance this service does not subscribe to. */
  refusedForeignEvents = 0;
  /** The key this service signs its checkpoints with, its public half and its name (keyIdOf). */
  readonly auditKey: KeyObject;
  readonly auditPublicKey: KeyObject;
  readonly auditKeyId: string;
  private readonly checkpointStream: string;
  private issuing: Promise<unknown> = Promise.resolve();
  private checkpointTimer: NodeJS.Timeout | undefined;
  /** Where the kernel reports commands, appends, consumed events and verifications (the process's metrics, set by the hub). */
  observer: KernelObserver = NO_OBSERVER;
  /** Events each consumer group of this kernel handled since it started (said when it stops). */
  private readonly handled = new Map<string, number>();

  private constructor(
    readonly spec: ServiceSpec,
    readonly config: RuntimeConfig,
    readonly store: EventStore,
    readonly readModels: ReadModelStore,
    readonly bus: EventBus,
    private readonly relay: OutboxRelay,
    private readonly closeStorage: () => Promise<void>,
    /** The embedded store's report of entries found damaged while reading; none for MongoDB. */
    private readonly damage: () => readonly string[] = () => [],
  ) {
    this.registry = new EventRegistry(serviceEventDefinitions(spec.name));
    this.handler = new CommandHandler(observedAppends(store, (seconds) => this.observer.append(spec.name, seconds)));
    this.runner = new ProjectionRunner(spec.projections, readModels, { now: this.now });
    this.auditKey = auditKeyOf(config);
    this.auditPublicKey = createPublicKey(this.auditKey);
    this.auditKeyId = keyIdOf(this.auditPublicKey);
    this.checkpointStream = auditCheckpointStream(spec.name);
  }

  static async open(spec: ServiceSpec, config: RuntimeConfig): Promise<ServiceKernel> {
    const registry = new EventRegistry(serviceEventDefinitions(spec.name));
    let damage: (() => readonly string[]) | undefined;
    let store: EventStore;
    let readModels: ReadModelStore;
    let closeStorage: () => Promise<void>;
    if (config.storage.kind === 'mongodb') {
      // Short driver timeouts (config.ts): an outage fails requests within seconds (503), not 30 s.
      const connection = await mongoose.createConnection(config.storage.url, mongoConnectionOptions(config.storage.timeouts)).asPromise();
      const db = connection.getClient().db(`${config.storage.databasePrefix ?? 'dotpha'}_${config.instance}_${spec.name}`);
      store = await MongoEventStore.create({ db, instance: config.instance, registry, now: config.now });
      readModels = new MongoReadModelStore(db);
      closeStorage = () => connection.close();
    } else {
      const embedded = await EmbeddedEventStore.open({
        location: join(config.storage.dataDir, spec.name), instance: config.instance, registry, now: config.now,
        // A log damaged behind the store's back is read on, said loudly, and named by verify.
        onDamage: (message) => (config.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(`[${spec.name}] DAMAGED EVENT LOG: ${message}`),
      });
      store = embedded;
      damage = () => embedded.damage();
      // Read models are rebuilt at start-up; dead letters must outlive the process for an operator to find them.
      const deadLetters = await LevelDeadLetterLog.open(join(config.storage.dataDir, `${spec.name}.dead-letters`));
      readModels = await MemoryReadModelStore.withDeadLetterLog(deadLetters);
      closeStorage = () => deadLetters.close();
    }
    const contextOf = contextOfEvents();
    const bus: EventBus =
      config.bus.kind === 'kafka'
        ? new KafkaEventBus({ brokers: config.bus.brokers, security: config.bus.security, instance: config.instance, topicPrefix: config.bus.topicPrefix, contextOf, clientId: `dotpha-${config.instance}-${spec.name}`, onLog: config.log, traceContextOf })
        : new InProcessEventBus({ instance: config.instance, contextOf, broker: config.bus.broker });
    const contract = contractRegistry();
    const relay = new OutboxRelay(store, bus, {
      // Every 50 ms while the store or the bus is away: a warning, so the log writes it once per 10 s.
      onError: (e) => config.log?.(`[${spec.name}] relay: ${(e as Error).message}`, { level: 'warn', err: e }),
      publicView: (e) => contract.publicView(e),
    });
    const kernel = new ServiceKernel(spec, config, store, readModels, bus, relay, async () => {
      await store.close();
      await closeStorage();
    }, damage);
    relay.start();
    kernel.scheduleCheckpoints();
    return kernel;
  }

  now = (): Date => this.config.now?.() ?? new Date();

  /**
   * Runs a command against one stream and wakes the relay. Given a function of the state, the
   * command is made from the state it is decided on, in the same read (CommandOf): one read per
   * command, and a caller refused on the state the rules see, not on a read model behind it.
   */
  async execute<S, C extends { readonly metadata: CommandMetadata }, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    streamType: string,
    streamId: string,
    command: CommandOf<S, C>,
  ): Promise<CommandResult> {
    let result: CommandResult;
    try {
      result = await this.handler.execute(decider, { streamType, streamId }, command, takeIfMatch());
    } catch (error) {
      const outcome = commandOutcomeOf(error);
      this.observer.command(this.spec.name, outcome);
      // What was refused and why in words of the rules (a code), never the command's content.
      this.config.log?.(`[${this.spec.name}] command on ${streamType} ${outcome}`, { level: 'debug', stream: streamId, outcome, code: (error as { code?: unknown })?.code });
      throw error;
    }
    this.observer.command(this.spec.name, 'accepted');
    this.config.log?.(`[${this.spec.name}] command on ${streamType} accepted`, { level: 'debug', stream: streamId, outcome: 'accepted', events: result.events.map((e) => e.type) });
    if (result.events.length) this.relay.poke();
    return result;
  }

  /** A stream folded by the decider that owns it: the state the rules see, for a query's access check. */
  async state<S, E extends DomainEvent>(decider: Pick<Decider<S, never, E>, 'initialState' | 'evolve'>, streamId: string): Promise<S> {
    return foldStream(decider, await this.store.readStream(streamId));
  }

  /** The stream as stored, upcast: the history the audit trail shows. */
  history(streamId: string): Promise<readonly RecordedEvent[]> {
    return this.store.readStream(streamId);
  }

  /**
   * Replays events already stored (by this and other services of the process) into the read
   * models: the one-process mode keeps read models in memory and rebuilds them at start-up.
   */
  async replay(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) if (this.reads(event)) await this.runner.handle(this.contract.upcast(event));
  }

  /**
   * Starts consuming: read models first, then reactors, each its own consumer group. Safe to call
   * again after a failure: a group already held is not subscribed twice.
   */
  async subscribe(): Promise<void> {
    const instances = [this.config.instance, ...(this.config.crossInstances ?? [])];
    const park = (group: string) => async (event: RecordedEvent, error: unknown) =>
      this.readModels.park({ projection: group, event, error: (error as Error)?.message ?? String(error), attempts: 5, parkedAt: this.now().toISOString() });
    const accept = (event: RecordedEvent) => {
      if (instances.includes(event.instance)) return true;
      this.refusedForeignEvents++;
      this.config.log?.(`[${this.spec.name}] refused event ${event.eventId} of instance '${event.instance}'`);
      return false;
    };
    if (this.spec.projections.length && !this.subscribedGroups.has('projections')) {
      const group = `${this.config.instance}.${this.spec.name}.projections`;
      this.subscriptions.push(
        await this.bus.subscribe({
          group,
          contexts: this.spec.reads,
          instances,
          maxAttempts: 5,
          onPoison: park(group),
          // The runner parks what a projection cannot apply; what it throws is the store failing
          // (unreachable, restarting, refusing for a while): not the event's fault, so the event
          // waits for the store, the group's lag and last error in the operators' status meanwhile.
          // An event the contract cannot read (a DomainError: unknown type or version) is parked.
          isTransient: (error) => !(error instanceof DomainError),
          handle: this.counted(group, async (event) => {
            if (accept(event) && this.reads(event)) await this.runner.handle(this.contract.upcast(event));
          }),
        }),
      );
      this.subscribedGroups.add('projections');
    }
    if (this.spec.reactors.length && !this.subscribedGroups.has('reactors')) {
      const group = `${this.config.instance}.${this.spec.name}.reactors`;
      this.subscriptions.push(
        await this.bus.subscribe({
          group,
          contexts: [...new Set(this.spec.reactors.flatMap((r) => r.canHandle.map((t) => this.contract.definition(t).context as ContextName)))],
          instances: [this.config.instance],
          maxAttempts: 5,
          onPoison: park(group),
          isTransient: isStoreUnavailable,
          handle: this.counted(group, async (raw) => {
            if (!accept(raw)) return;
            const event = this.contract.upcast(raw);
            for (const reactor of this.spec.reactors) {
              if (!canHandle(reactor, event)) continue;
              try {
                await reactor.react(event, this);
              } catch (error) {
                // A rule refusing the hand-off (e.g. the proposal was withdrawn meanwhile) is a
                // decision, not a failure: keep it visible and move on.
                if (!(error instanceof DomainError)) throw error;
                await park(`${group}:${reactor.name}`)(event, error);
              }
            }
          }),
        }),
      );
      this.subscribedGroups.add('reactors');
    }
  }

  /** Every dead letter of this service's store, by the consumer (group, projection or reactor) that parked it. */
  async deadLetters(): Promise<{ group: string; letters: DeadLetter[] }[]> {
    const groups = new Map<string, DeadLetter[]>();
    for (const letter of await this.readModels.deadLetters()) groups.set(letter.projection, [...(groups.get(letter.projection) ?? []), letter]);
    return [...groups].map(([group, letters]) => ({ group, letters }));
  }

  /**
   * An operator's re-drive (issue 12): hands a parked event once more to the consumer that parked
   * it, a reactor (by its group) or the projections; throws when it fails again.
   */
  async redeliver(letter: DeadLetter): Promise<void> {
    const event = this.contract.upcast(letter.event);
    const reactors = `${this.config.instance}.${this.spec.name}.reactors`;
    if (letter.projection === reactors || letter.projection.startsWith(`${reactors}:`)) {
      const name = letter.projection.slice(reactors.length + 1);
      for (const reactor of this.spec.reactors) {
        if (canHandle(reactor, event) && (name === '' || reactor.name === name)) await reactor.react(event, this);
      }
      return;
    }
    await this.runner.applyOrThrow(event);
  }

  /**
   * Issues a signed checkpoint over every stream head of this service's store (issue 12), keeps
   * it in the store and records it as AuditCheckpointIssued on the service's checkpoint stream,
   * which the relay publishes on the instance's public audit topic. One at a time per process.
   */
  issueCheckpoint(actor: Actor = this.systemActor()): Promise<AuditCheckpoint> {
    const issued = this.issuing.then(() => this.issueNow(actor));
    this.issuing = issued.catch(() => undefined);
    return issued;
  }

  /** A scheduled checkpoint: skipped while the heads (and the key) are those of the latest one. */
  async scheduledCheckpoint(): Promise<AuditCheckpoint | null> {
    const [heads, latest] = await Promise.all([this.store.streamHeads(), this.store.latestCheckpoint()]);
    const covered = heads.filter((h) => h.streamId !== this.checkpointStream);
    if (!latest && covered.length === 0) return null;
    if (latest && latest.checkpoint.keyId === this.auditKeyId && latest.checkpoint.root === merkleRoot(covered)) return null;
    return this.issueCheckpoint();
  }

  /** The latest signed checkpoint this service's store keeps, without its heads. */
  async latestCheckpoint(): Promise<AuditCheckpoint | null> {
    return (await this.store.latestCheckpoint())?.checkpoint ?? null;
  }

  /** The proof that a stream's head is in the latest checkpoint, or null when it is not there. */
  async inclusionProof(streamId: string): Promise<InclusionProof | null> {
    const latest = await this.store.latestCheckpoint();
    const found = latest && inclusionPath(latest.heads, streamId);
    return found ? { checkpoint: latest.checkpoint, ...found } : null;
  }

  /**
   * One pass over the whole store against the latest checkpoint (auditStore), and what the
   * embedded store found damaged while reading. A checkpoint signed by another key counts as
   * unsigned only when this process's key is a development key made up at start (a restarted
   * `npm start`); with a configured key it is a finding.
   */
  async audit(): Promise<StoreAudit & { readonly damage: readonly string[]; readonly note?: string }> {
    const latest = await this.store.latestCheckpoint();
    const foreignDevKey = this.config.auditKey === undefined && latest !== null && latest.checkpoint.keyId !== this.auditKeyId;
    const report = await auditStore(this.store, { publicKey: foreignDevKey ? undefined : this.auditPublicKey });
    const damage = this.damage();
    this.observer.verified(this.spec.name, report.ok && damage.length === 0, this.now());
    return {
      ...report,
      ok: report.ok && damage.length === 0,
      damage,
      ...(foreignDevKey ? { note: `the latest checkpoint was signed by key ${latest.checkpoint.keyId}, not by this process's development key ${this.auditKeyId}: its signature was not checked (set DOTPHA_AUDIT_KEY)` } : {}),
    };
  }

  private async issueNow(actor: Actor): Promise<AuditCheckpoint> {
    for (let attempt = 0; ; attempt++) {
      try {
        const now = this.now();
        const { checkpoint } = await issueCheckpoint(this.store, { service: this.spec.name, privateKey: this.auditKey, now, exclude: (id) => id === this.checkpointStream });
        await this.recordCheckpoint(checkpoint, actor, now);
        return checkpoint;
      } catch (error) {
        // Another process of this service took the same sequence or appended first: take the next.
        if (attempt >= 3 || !(error instanceof WrongExpectedVersion || /duplicate key|E11000/i.test((error as Error)?.message ?? ''))) throw error;
      }
    }
  }

  private async recordCheckpoint(checkpoint: AuditCheckpoint, actor: Actor, now: Date): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.append({
          streamId: this.checkpointStream,
          streamType: AUDIT_CHECKPOINT_STREAM_TYPE,
          expectedVersion: await this.store.streamVersion(this.checkpointStream),
          events: [{ eventId: randomUUID(), type: 'AuditCheckpointIssued', data: checkpoint, occurredAt: now.toISOString(), actor, correlationId: randomUUID(), causationId: null }],
        });
        this.relay.poke();
        return;
      } catch (error) {
        if (attempt >= 3 || !(error instanceof WrongExpectedVersion)) throw error;
      }
    }
  }

  private systemActor(): Actor {
    return { userId: `svc-${this.spec.name}`, role: 'system' };
  }

  private scheduleCheckpoints(): void {
    // setInterval takes at most 2^31 - 1 ms (24.8 days); beyond, Node would fire every millisecond.
    const every = Math.min((this.config.checkpointEveryMinutes ?? 60) * 60_000, 2 ** 31 - 1);
    this.checkpointTimer = setInterval(() => {
      this.scheduledCheckpoint().catch((error) => this.config.log?.(`[${this.spec.name}] scheduled checkpoint: ${(error as Error).message}`, { level: 'warn', err: error }));
    }, every);
    // A pending checkpoint never keeps the process alive.
    this.checkpointTimer.unref();
  }

  /**
   * Each consumer of this service (its projections' group, its reactors' group): state, restarts,
   * last error, lag, last message. For the admin status: a consumer that crashed restarts by
   * itself, and this says whether it did and how far behind it is.
   */
  consumers(): Promise<Awaited<ReturnType<Subscription['status']>>[]> {
    return Promise.all(this.subscriptions.map((s) => s.status()));
  }

  /** Closes once: a second call (the graceful stop and Nest's shutdown hook both ask) waits for the first. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    clearInterval(this.checkpointTimer);
    this.checkpointTimer = undefined;
    await this.issuing;
    // Consumers first (their handlers finish, offsets are committed, the group is left), then the
    // relay publishes what they and the last requests appended, then the bus and the storage.
    await Promise.all(this.subscriptions.splice(0).map((s) => s.close()));
    for (const [group, handled] of this.handled) this.config.log?.(`[${this.spec.name}] consumer group ${group} stopped: ${handled} events handled`, { group, handled });
    await this.relay.stop();
    await this.relay.drain().catch((error) => this.config.log?.(`[${this.spec.name}] relay at close: ${(error as Error).message}`, { level: 'warn', err: error }));
    await this.bus.close();
    await this.closeStorage();
  }

  /** A consumer's handler that reports each event it handled (the group's count and projection lag). */
  private counted(group: string, handle: (event: RecordedEvent) => Promise<void>): (event: RecordedEvent) => Promise<void> {
    // Said at close even when it handled nothing.
    this.handled.set(group, this.handled.get(group) ?? 0);
    return (event) =>
      withLogContext({ group, correlationId: event.correlationId }, async () => {
        await handle(event);
        this.handled.set(group, (this.handled.get(group) ?? 0) + 1);
        this.observer.consumed(this.spec.name, group, event, new Date());
      });
  }

  private reads(event: RecordedEvent): boolean {
    return this.contract.has(event.type) && this.spec.reads.includes(this.contract.definition(event.type).context as ContextName);
  }
}

/** The store as the command handler sees it: each append timed and reported. */
function observedAppends(store: EventStore, report: (seconds: number) => void): EventStore {
  const append: EventStore['append'] = (request) =>
    inSpan(`append ${request.streamType}`, { 'dotpha.stream': request.streamId }, async () => {
      const began = process.hrtime.bigint();
      try {
        const result = await store.append(request);
        // The relay publishes these events with this trace in their headers (traceparent).
        rememberTrace(result.events);
        return result;
      } finally {
        report(Number(process.hrtime.bigint() - began) / 1e9);
      }
    });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Metadata for a command issued in reaction to an event: same correlation, caused by it. */
export function reactionMetadata(event: RecordedEvent, now: Date): CommandMetadata {
  return { actor: event.actor, now, correlationId: event.correlationId, causationId: event.eventId };
}
