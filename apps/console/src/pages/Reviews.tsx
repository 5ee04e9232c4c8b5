import type { ReviewView } from '../api/views';
import { usePage } from '../kit';
import { Pager, usePaged, useTitles } from '../paging';
import { Problem, Status, WideTable } from '../ui';

/** A reviewer's inbox: open reviews, soonest due first (the overdue ones are the earliest due), paged by the server. */
export function Reviews() {
  const { t, format, session } = usePage();
  const list = usePaged<ReviewView>('/api/v1/reviews', { status: 'open', sort: 'dueBy', order: 'asc' }, [session.role]);
  const reviews = list.items;
  const title = useTitles(reviews?.map((r) => r.proposalId) ?? []);
  return (
    <section aria-labelledby="reviews-title">
      <div className="page-head">
        <h1 id="reviews-title">{t('reviews.title')}</h1>
        <button type="button" onClick={() => void list.first().catch(() => undefined)}>{t('common.refresh')}</button>
      </div>
      <Problem error={list.error} />
      {reviews === null ? <p>{t('common.loading')}</p> : reviews.length === 0 ? <p>{t('reviews.empty')}</p> : (
        <WideTable label={t('reviews.title')}>
          <thead>
            <tr>
              <th scope="col">{t('reviews.columns.proposal')}</th><th scope="col">{t('reviews.columns.proposer')}</th>
              <th scope="col">{t('reviews.columns.received')}</th><th scope="col">{t('reviews.columns.due')}</th><th scope="col">{t('reviews.columns.status')}</th>
            </tr>
          </thead>
          <tbody>
            {reviews.map((r) => (
              <tr key={r.proposalId} className={r.overdue ? 'overdue' : undefined}>
                <td><a href={`#/reviews/${r.proposalId}`}>{title(r.proposalId)}</a></td>
                <td>{session.nameOf(r.proposerId)}</td>
                <td>{format.date(r.routedAt)}</td>
                <td>{format.date(r.dueBy)}{r.overdue && <strong className="badge status-rejected"> {t('reviews.overdue')}</strong>}</td>
                <td><Status status={r.status} /></td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      )}
      <Pager list={list} />
    </section>
  );
}
