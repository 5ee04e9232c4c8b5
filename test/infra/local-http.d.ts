import type { ChildProcess } from 'child_process';

/** `n` distinct free ports on 127.0.0.1. */
export function freePorts(n: number): Promise<number[]>;

export interface WaitForHttpOptions {
  /** The process serving the URL: its exit fails the wait at once. */
  readonly child?: Pick<ChildProcess, 'exitCode' | 'signalCode'>;
  /** 120 s unless given. */
  readonly timeoutMs?: number;
  /** Which status counts as up (any answer unless given). */
  readonly ready?: (status: number) => boolean;
  /** What the error adds to say why (e.g. the end of the process's output). */
  readonly describe?: () => string;
  readonly intervalMs?: number;
}

/** Polls the URL until it answers as wanted; returns the status. */
export function waitForHttp(url: string, options?: WaitForHttpOptions): Promise<number>;
