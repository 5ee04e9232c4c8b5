import { useTranslation } from 'react-i18next';
import type { ProposalView } from '../api/views';
import { useFormat } from '../format';
import { Problem, Status } from '../ui';
import { usePaged } from './Lists';

export function Proposals() {
  const { t } = useTranslation();
  const format = useFormat();
  const list = usePaged<ProposalView>('/api/v1/proposals');
  const proposals = list.items;
  return (
    <section aria-labelledby="proposals-title">
      <div className="page-head">
        <h1 id="proposals-title">{t('proposals.title')}</h1>
        <a className="button primary" href="#/proposals/new">{t('proposals.create')}</a>
      </div>
      <Problem error={list.error} />
      {proposals === null ? <p>{t('common.loading')}</p> : proposals.length === 0 ? <p>{t('proposals.empty')}</p> : (
        <table>
          <thead>
            <tr><th scope="col">{t('proposals.columns.title')}</th><th scope="col">{t('proposals.columns.field')}</th><th scope="col">{t('proposals.columns.status')}</th><th scope="col">{t('proposals.columns.changed')}</th></tr>
          </thead>
          <tbody>
            {[...proposals].sort((a, b) => b.lastChangedAt.localeCompare(a.lastChangedAt)).map((p) => (
              <tr key={p.proposalId}>
                <td><a href={`#/proposals/${p.proposalId}`}>{p.title}</a></td>
                <td>{t(`fields.${p.field}`)}</td>
                <td><Status status={p.status} /></td>
                <td>{format.date(p.lastChangedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.more && <button type="button" onClick={list.more}>{t('lists.more')}</button>}
    </section>
  );
}
