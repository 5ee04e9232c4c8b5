import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api } from '../api/client';
import type { ProposalView } from '../api/views';
import { useFormat } from '../format';
import { Loading, useLoad } from '../kit';
import { useSession } from '../session';
import { Status } from '../ui';

interface Row {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly status: string;
  readonly lastChangedAt: string | null;
  readonly offTarget?: boolean;
}

/**
 * One page of a list the server pages (`limit`, `cursor`; `X-Next-Cursor` and `X-Total-Count` in
 * the answer's headers), the next page appended on demand.
 */
export function usePaged<T>(url: string, query: Record<string, string | number> = {}, deps: readonly unknown[] = []) {
  const [items, setItems] = useState<readonly T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const fetchPage = async (cursor: string | null) => {
    const call = api.GET(url as '/api/v1/pilots', { params: { query: { ...query, ...(cursor ? { cursor } : {}) } as never } });
    const page = await answer<T[]>(call);
    const { response } = await call;
    setNext(response.headers.get('x-next-cursor'));
    const count = response.headers.get('x-total-count');
    setTotal(count === null ? null : Number(count));
    setItems((before) => (cursor ? [...(before ?? []), ...page] : page));
    return page;
  };
  const loaded = useLoad<T[]>(() => fetchPage(null), deps);
  return { items, total, error: loaded.error, more: next ? () => void fetchPage(next) : null, reload: loaded.reload };
}

/** Pilots, evaluations or recognitions in the caller's jurisdiction: one row a proposal, its page a click away. */
export function RecordList({ kind }: { kind: 'pilots' | 'evaluations' | 'recognitions' }) {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const list = usePaged<Row>(`/api/v1/${kind}`, {}, [kind, session.role]);
  const titles = useLoad<ProposalView[]>(() => answer(api.GET('/api/v1/proposals', {})), [session.role]);
  const title = (id: string) => titles.data?.find((p) => p.proposalId === id)?.title ?? id.slice(0, 8);
  if (!list.items) return <Loading error={list.error} />;
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{t(`lists.${kind}`)}</h1>
      {list.items.length === 0 ? <p>{t('lists.empty')}</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">{t('reviews.columns.proposal')}</th><th scope="col">{t('reviews.columns.proposer')}</th><th scope="col">{t('reviews.columns.status')}</th><th scope="col">{t('proposals.columns.changed')}</th></tr></thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.proposalId} className={r.offTarget ? 'overdue' : undefined}>
                  <td><a href={`#/${kind}/${r.proposalId}`}>{title(r.proposalId)}</a></td>
                  <td>{session.nameOf(r.proposerId)}</td>
                  <td><Status status={`${kind.slice(0, -1)}-${r.status}`} /></td>
                  <td>{format.date(r.lastChangedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">{list.total !== null && t('lists.shown', { shown: format.number(list.items.length), total: format.number(list.total) })}</p>
      {list.more && <button type="button" onClick={list.more}>{t('lists.more')}</button>}
    </section>
  );
}
