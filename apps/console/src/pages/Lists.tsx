import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { Loading } from '../kit';
import { Pager, usePaged, useTitles } from '../paging';
import { useSession } from '../session';
import { Status, WideTable } from '../ui';

interface Row {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly status: string;
  readonly lastChangedAt: string | null;
  readonly offTarget?: boolean;
}

/** Pilots, evaluations or recognitions in the caller's jurisdiction: one row a proposal, its page a click away. */
export function RecordList({ kind }: { kind: 'pilots' | 'evaluations' | 'recognitions' }) {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const list = usePaged<Row>(`/api/v1/${kind}`, {}, [kind, session.role]);
  const title = useTitles(list.items?.map((r) => r.proposalId) ?? []);
  if (!list.items) return <Loading error={list.error} />;
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{t(`lists.${kind}`)}</h1>
      {list.items.length === 0 ? <p>{t('lists.empty')}</p> : (
        <WideTable label={t(`lists.${kind}`)}>
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
        </WideTable>
      )}
      <Pager list={list} />
    </section>
  );
}
