import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api } from '../api/client';
import type { ProposalView, ReviewView } from '../api/views';
import { useFormat } from '../format';
import { useSession } from '../session';
import { Problem, Status } from '../ui';

/** A reviewer's inbox: open reviews, overdue first, then by due date (working days). */
export function Reviews() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const [reviews, setReviews] = useState<readonly ReviewView[] | null>(null);
  const [titles, setTitles] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const load = () => {
    answer<ReviewView[]>(api.GET('/api/v1/reviews', { params: { query: { status: 'open' } } })).then(setReviews, setError);
    answer<ProposalView[]>(api.GET('/api/v1/proposals', {})).then((ps) => setTitles(new Map(ps.map((p) => [p.proposalId, p.title]))), () => undefined);
  };
  useEffect(load, [session.role]);
  const sorted = [...(reviews ?? [])].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueBy.localeCompare(b.dueBy));
  return (
    <section aria-labelledby="reviews-title">
      <div className="page-head">
        <h1 id="reviews-title">{t('reviews.title')}</h1>
        <button type="button" onClick={load}>{t('common.refresh')}</button>
      </div>
      <Problem error={error} />
      {reviews === null ? <p>{t('common.loading')}</p> : sorted.length === 0 ? <p>{t('reviews.empty')}</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('reviews.columns.proposal')}</th><th scope="col">{t('reviews.columns.proposer')}</th>
              <th scope="col">{t('reviews.columns.received')}</th><th scope="col">{t('reviews.columns.due')}</th><th scope="col">{t('reviews.columns.status')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.proposalId} className={r.overdue ? 'overdue' : undefined}>
                <td><a href={`#/reviews/${r.proposalId}`}>{titles.get(r.proposalId) ?? r.proposalId.slice(0, 8)}</a></td>
                <td>{session.nameOf(r.proposerId)}</td>
                <td>{format.date(r.routedAt)}</td>
                <td>{format.date(r.dueBy)}{r.overdue && <strong className="badge status-rejected"> {t('reviews.overdue')}</strong>}</td>
                <td><Status status={r.status} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
