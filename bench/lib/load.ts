/**
 * An open-loop command load over HTTP: commands leave on a fixed schedule whether or not earlier
 * ones have been answered. The commands are pairs on the proposals service: `POST /proposals`
 * (draft) and, one second later, `POST /proposals/:id/submit` of that draft, so half of the
 * commands are drafts and half submissions; the submission is the one whose effect crosses
 * services (the approvals service opens a review on `ProposalSubmitted`).
 */
import { performance } from 'perf_hooks';
// A complete proposal (every report section filled, as submission requires): the one the authorization system test drafts.
import { proposalContent } from '../../test/e2e/fixtures';

export { proposalContent };

/** Users of the sample province who hold only roles that let them propose, each in a unit with a head of its own. */
export const PROPOSERS = [
  'u-ccvc-chuyen-vien', 'u-ccvc-pho-phong', 'u-tthcc-chuyen-vien', 'u-tthcc-pho-giam-doc', 'u-cds-chuyen-vien', 'u-cds-pho-phong',
  'u-stc-chuyen-vien', 'u-stc-pho-giam-doc', 'u-ab-cong-chuc', 'u-ab-vhxh-cong-chuc', 'u-dt-kt-chuyen-vien', 'u-dt-kt-pho-phong',
  'u-sxd-pgd-1', 'u-sxd-pgd-2', 'u-skhcn-pgd-1', 'u-skhcn-pgd-2',
] as const;

export interface Caller {
  readonly userId: string;
  readonly token: string;
}

/** One draft-and-submit pair; times in ms on `performance.now()`. */
export interface Item {
  readonly index: number;
  readonly caller: Caller;
  readonly draftAt: number;
  /** When the submission is due (its place in the schedule; windows are cut on it). */
  readonly submitAt: number;
  proposalId?: string;
  draftIssued?: number;
  submitIssued?: number;
  submitAnswered?: number;
  /** The same moment on the wall clock (Date.now()), to compare with times the services record. */
  submitAnsweredWall?: number;
  /** The submission left later than scheduled because its draft had not been answered yet. */
  late?: boolean;
  error?: string;
  /** Set by whoever watches for the effect (the end-to-end suite). */
  visibleAt?: number;
}

export interface LoadOptions {
  /** The proposals service, e.g. http://127.0.0.1:3001 (the one-process mode serves it too). */
  readonly baseUrl: string;
  readonly callers: readonly Caller[];
  /** HTTP commands per second, drafts and submissions together. */
  readonly rate: number;
  /** Submissions are scheduled from `start` for `durationMs`; their drafts go `leadMs` ahead. */
  readonly durationMs: number;
  readonly leadMs?: number;
  readonly requestTimeoutMs: number;
  readonly tag: string;
  /** Called when a submission has been answered 200. */
  onSubmitted?(item: Item): void;
}

export interface Load {
  readonly items: Item[];
  /** performance.now() at which the first submission is due. */
  readonly start: number;
  /** Resolves when every command has been answered (or failed). */
  readonly done: Promise<void>;
  /** Commands issued so far (drafts and submissions). */
  issued(): number;
  /** Commands answered with an error status or not at all. */
  failures(): string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the schedule: every `2/rate` s a draft (leadMs before its submission) and a submission,
 * offset by half a period, so commands leave evenly at `rate` per second. Never waits for answers,
 * except that a submission whose draft is still unanswered leaves as soon as the draft is.
 */
export function startLoad(o: LoadOptions): Load {
  const period = 1000 / o.rate;
  const lead = o.leadMs ?? 1000;
  const start = performance.now() + lead + 100;
  const pairs = Math.max(1, Math.floor((o.durationMs / 1000) * (o.rate / 2)));
  const items: Item[] = Array.from({ length: pairs }, (_, index) => {
    const submitAt = start + index * 2 * period;
    return { index, caller: o.callers[index % o.callers.length], draftAt: submitAt - lead - period, submitAt };
  });
  const events = items.flatMap((item) => [{ at: item.draftAt, item, kind: 'draft' as const }, { at: item.submitAt, item, kind: 'submit' as const }]).sort((a, b) => a.at - b.at);
  const drafts = new Map<number, Promise<void>>();
  const pending: Promise<unknown>[] = [];
  const failures: string[] = [];
  let issued = 0;

  const send = async (caller: Caller, method: string, path: string, body: unknown): Promise<{ status: number; json: any }> => {
    issued++;
    const response = await fetch(`${o.baseUrl}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'x-role': 'proposer' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(o.requestTimeoutMs),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
  const fail = (item: Item, what: string, error: unknown) => {
    item.error = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    failures.push(item.error);
  };
  const draft = async (item: Item) => {
    try {
      item.draftIssued = performance.now();
      const reply = await send(item.caller, 'POST', '/proposals', proposalContent(`Đề xuất đo tải ${o.tag}-${item.index}`));
      if (reply.status !== 201 || typeof reply.json?.proposalId !== 'string') throw new Error(`HTTP ${reply.status} ${JSON.stringify(reply.json).slice(0, 120)}`);
      item.proposalId = reply.json.proposalId;
    } catch (error) {
      fail(item, 'draft', error);
    }
  };
  const submit = async (item: Item) => {
    const drafted = drafts.get(item.index);
    if (!item.proposalId && drafted) {
      item.late = true;
      await drafted;
    }
    if (!item.proposalId) return; // the draft failed: counted there
    try {
      item.submitIssued = performance.now();
      const reply = await send(item.caller, 'POST', `/proposals/${item.proposalId}/submit`, {});
      if (reply.status !== 200) throw new Error(`HTTP ${reply.status} ${JSON.stringify(reply.json).slice(0, 120)}`);
      item.submitAnswered = performance.now();
      item.submitAnsweredWall = Date.now();
      o.onSubmitted?.(item);
    } catch (error) {
      fail(item, 'submit', error);
    }
  };

  const done = (async () => {
    for (let next = 0; next < events.length; ) {
      const now = performance.now();
      while (next < events.length && events[next].at <= now) {
        const { item, kind } = events[next++];
        if (kind === 'draft') {
          const p = draft(item);
          drafts.set(item.index, p);
          pending.push(p);
        } else pending.push(submit(item));
      }
      if (next < events.length) await sleep(Math.max(0, Math.min(events[next].at - performance.now(), 20)));
    }
    await Promise.all(pending);
  })();
  return { items, start, done, issued: () => issued, failures: () => failures };
}

/** Nearest-rank percentile (q in 0..1) of unsorted values. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
