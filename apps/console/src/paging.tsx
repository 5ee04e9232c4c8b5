// Lists the server pages, sorts and filters: one page at a time (`limit`, `cursor`; the answer's
// `X-Next-Cursor` and `X-Total-Count` headers), the next page appended on demand through one pager.
import { useEffect, useState } from 'react';
import { answer, api } from './api/client';
import type { ProposalView } from './api/views';
import { useCommands, useLoad, usePage } from './kit';
import { useSession } from './session';
import { Problem } from './ui';

/** Rows a page of every list in the console. */
export const PAGE_SIZE = 20;

export interface Paged<T> {
  readonly items: readonly T[] | null;
  readonly total: number | null;
  readonly next: string | null;
  readonly error: unknown;
  /** Appends the next page (X-Next-Cursor). */
  more(): Promise<T[]>;
  /** Reads the first page again (after a command), showing it; its rows. */
  first(): Promise<T[]>;
}

/** One list the server pages, with the query's filters and sort; read again when `deps` change. */
export function usePaged<T>(url: string, query: Record<string, string | number> = {}, deps: readonly unknown[] = []): Paged<T> {
  const [items, setItems] = useState<readonly T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const fetchPage = async (cursor: string | null): Promise<T[]> => {
    const call = api.GET(url as '/api/v1/pilots', { params: { query: { limit: PAGE_SIZE, ...query, ...(cursor ? { cursor } : {}) } as never } });
    const page = await answer<T[]>(call);
    const { response } = await call;
    setNext(response.headers.get('x-next-cursor'));
    // The total comes with the first page only.
    const count = response.headers.get('x-total-count');
    if (!cursor) setTotal(count === null ? null : Number(count));
    setItems((before) => (cursor ? [...(before ?? []), ...page] : page));
    return page;
  };
  const loaded = useLoad<T[]>(() => fetchPage(null), deps);
  return { items, total, next, error: loaded.error, more: () => fetchPage(next), first: () => fetchPage(null) };
}

/**
 * A paged list of the caller's (read again when the role changes) with commands on it: each reads
 * the first page again until it shows; `create` waits for a row not there before (keyed by `key`).
 */
export function usePagedCommands<T>(url: string, query: Record<string, string | number>, key: (row: T) => string) {
  const session = useSession();
  const list = usePaged<T>(url, query, [session.role]);
  const commands = useCommands<T[]>(list.first, () => undefined);
  const known = new Set((list.items ?? []).map(key));
  const create = (call: Parameters<typeof commands.run>[0]) => commands.run(call, (now) => now.some((row) => !known.has(key(row))));
  return { list, commands, create };
}

/** Under a paged list: how many rows of how many are shown, and the button for the next page. `shown` when a row is not a document (registrations count units). */
export function Pager<T>({ list, shown }: { list: Paged<T>; shown?: number }) {
  const { t, format } = usePage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!list.items) return null;
  const more = () => {
    setBusy(true);
    setError(null);
    list.more().catch(setError).finally(() => setBusy(false));
  };
  return (
    <div className="pager">
      {list.total !== null && <span className="muted">{t('lists.shown', { shown: format.number(shown ?? list.items.length), total: format.number(list.total) })}</span>}
      {list.next && <button type="button" disabled={busy} onClick={more}>{t('lists.more')}</button>}
      <Problem error={error} />
    </div>
  );
}

const titles = new Map<string, Promise<string>>();

/** The titles of the proposals a list names, each read once (a list of reviews, pilots or recognitions carries ids only). */
export function useTitles(ids: readonly string[]): (proposalId: string) => string {
  const [known, setKnown] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    for (const id of ids) {
      let title = titles.get(id);
      if (!title) {
        title = answer<ProposalView>(api.GET('/api/v1/proposals/{id}', { params: { path: { id } } })).then((p) => p.title);
        titles.set(id, title);
        // One the caller may not read is asked again later (another role may).
        title.catch(() => titles.delete(id));
      }
      title.then((text) => setKnown((before) => (before.get(id) === text ? before : new Map(before).set(id, text))), () => undefined);
    }
  }, [ids.join(',')]);
  return (proposalId) => known.get(proposalId) ?? proposalId.slice(0, 8);
}
