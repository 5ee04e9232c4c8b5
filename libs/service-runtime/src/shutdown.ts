import type { Server } from 'http';
import type { Socket } from 'net';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { ServiceHub } from './hub';

/** Default bound of a graceful stop (DOTPHA_SHUTDOWN_TIMEOUT_MS). */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** Seconds a client refused during a stop is told to wait (another replica, or this one restarted). */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 1;

/** DOTPHA_SHUTDOWN_TIMEOUT_MS: milliseconds a stop may take before the process exits non-zero. */
export function shutdownTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.DOTPHA_SHUTDOWN_TIMEOUT_MS;
  if (value === undefined || value === '') return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`DOTPHA_SHUTDOWN_TIMEOUT_MS must be a positive whole number, got '${value}'`);
  return n;
}

export interface ShutdownOptions {
  readonly timeoutMs?: number;
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
  /** How the process ends (tests replace it); default process.exit. */
  readonly exit?: (code: number) => void;
}

/**
 * The graceful stop of a service process (issue 16): on SIGTERM/SIGINT it stops taking requests
 * (the listener is closed; a request arriving on a kept-alive connection is answered 503
 * SHUTTING_DOWN with `Connection: close` and `Retry-After`), lets the requests in flight finish
 * (their responses close their connections), stops the consumers (offsets committed, groups
 * left), drains the outbox relay, closes storage and exits 0, all within `timeoutMs`; past it, it
 * says what was still open and exits 1.
 */
export class GracefulShutdown {
  private draining = false;
  private stopping: Promise<number> | undefined;
  private stage = 'running';
  private readonly inFlight = new Map<Response, string>();
  private readonly sockets = new Set<Socket>();
  private watched: Server | undefined;

  constructor(private readonly app: INestApplication, private readonly hub: ServiceHub) {
    this.watch();
  }

  /** First middleware of the app: counts requests in flight, refuses new ones once stopping. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    this.watch();
    if (this.draining) {
      response.setHeader('Connection', 'close');
      response.setHeader('Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS));
      response.status(503).json({ statusCode: 503, code: 'SHUTTING_DOWN', message: 'the service is shutting down: retry' });
      return;
    }
    this.inFlight.set(response, `${request.method} ${request.originalUrl ?? request.url}`);
    response.once('close', () => this.inFlight.delete(response));
    next();
  };

  get isStopping(): boolean {
    return this.draining;
  }

  /** Stops on SIGTERM and SIGINT (once; a second signal while stopping is only noted). */
  onSignals(options: ShutdownOptions = {}): void {
    this.watch();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        if (this.stopping) {
          options.log?.(`${signal} again: still stopping (${this.describeOpen()})`);
          return;
        }
        options.log?.(`${signal}: stopping (bound ${options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS} ms)`);
        void this.stop(options);
      });
    }
  }

  /** Runs the stop once; resolves with the exit code it ended the process with. */
  stop(options: ShutdownOptions = {}): Promise<number> {
    this.stopping ??= this.run(options);
    return this.stopping;
  }

  private async run(options: ShutdownOptions): Promise<number> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    const log = options.log ?? (() => undefined);
    const exit = options.exit ?? ((code: number) => process.exit(code));
    const began = Date.now();
    const deadline = began + timeoutMs;
    let ended = false;
    const end = (code: number) => {
      if (ended) return code;
      ended = true;
      exit(code);
      return code;
    };
    const giveUp = setTimeout(() => {
      log(`shutdown: gave up after ${timeoutMs} ms (DOTPHA_SHUTDOWN_TIMEOUT_MS); still open: ${this.describeOpen()}`);
      end(1);
    }, timeoutMs);
    try {
      this.stage = 'finishing requests in flight';
      this.draining = true;
      for (const response of this.inFlight.keys()) if (!response.headersSent) response.setHeader('Connection', 'close');
      const server = this.server();
      // No new connections; idle kept-alive ones are closed, busy ones close after their response.
      server.close();
      server.closeIdleConnections();
      // Requests may use the time not reserved for closing the services (a third of the bound, at most 3 s).
      const requestsUntil = deadline - Math.min(3000, Math.floor(timeoutMs / 3));
      while (this.inFlight.size > 0 && Date.now() < requestsUntil) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        server.closeIdleConnections();
      }
      if (this.inFlight.size > 0) log(`shutdown: cutting ${this.inFlight.size} request(s) still in flight: ${[...this.inFlight.values()].join(', ')}`);
      server.closeAllConnections();
      this.stage = 'stopping consumers, draining the outbox relay, closing storage';
      await this.hub.close();
      this.stage = 'closing the application';
      await this.app.close();
      this.stage = 'stopped';
      if (ended) return 1;
      clearTimeout(giveUp);
      log(`shutdown: stopped in ${Date.now() - began} ms`);
      return end(0);
    } catch (error) {
      clearTimeout(giveUp);
      log(`shutdown: failed while ${this.stage}: ${(error as Error)?.name}: ${(error as Error)?.message}; still open: ${this.describeOpen()}`, { level: 'error', err: error });
      return end(1);
    }
  }

  /** What a stop is still waiting for, in words. */
  describeOpen(): string {
    const parts = [`stage: ${this.stage}`];
    if (this.inFlight.size) parts.push(`${this.inFlight.size} request(s) in flight (${[...this.inFlight.values()].slice(0, 10).join(', ')})`);
    const open = [...this.sockets].filter((s) => !s.destroyed).length;
    if (open) parts.push(`${open} HTTP connection(s)`);
    const services = this.hub.stillOpen();
    if (services.length) parts.push(`services still closing: ${services.join(', ')}`);
    return parts.join('; ');
  }

  private server(): Server {
    return this.app.getHttpServer() as Server;
  }

  /** Tracks the server's connections (to name them when a stop gives up). */
  private watch(): void {
    if (this.watched) return;
    const server = this.server();
    this.watched = server;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }
}
