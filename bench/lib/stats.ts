/** One figure: the median of several runs, with the spread beside it. */
export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

export function figure(runs: readonly number[]): Figure {
  if (runs.length === 0) throw new Error('a figure needs at least one run');
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs };
}

/** A figure or why there is none. */
export type Outcome = { readonly ok: true; readonly figure: Figure; readonly note?: string } | { readonly ok: false; readonly reason: string };

export const ok = (runs: readonly number[], note?: string): Outcome => ({ ok: true, figure: figure(runs), ...(note ? { note } : {}) });
export const failed = (reason: string): Outcome => ({ ok: false, reason });

/** Seconds elapsed while `fn` runs (high-resolution clock). */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Rejects when `promise` has not settled within `ms`; the work itself may go on in the background. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.split('\n')[0].slice(0, 300);
}

export function fmtRate(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function fmtMs(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function fmtPct(n: number): string {
  return `${(n * 100).toFixed(n < 0.1 ? 1 : 0)}%`;
}

/**
 * `target` with the seconds spent in the named async methods added up into `spent`, under
 * `<label>.<method>`; everything else is inherited from `target` unchanged.
 */
export function withTimers<T extends object>(target: T, label: string, names: readonly (keyof T & string)[], spent: Record<string, number>): T {
  const proxy = Object.create(target) as T;
  for (const name of names) {
    const method = target[name] as unknown as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(proxy, name, {
      value: async (...args: unknown[]) => {
        const start = process.hrtime.bigint();
        try {
          return await method.apply(target, args);
        } finally {
          const key = `${label}.${name}`;
          spent[key] = (spent[key] ?? 0) + Number(process.hrtime.bigint() - start) / 1e9;
        }
      },
    });
  }
  return proxy;
}

/** Per-step figures from per-run sums. */
export function stepFigures(steps: Record<string, number[]>): Record<string, Figure> {
  return Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, figure(v)]));
}
