import type { ProposalView } from '../api/views';
import { usePage } from '../kit';
import { NextStep } from '../next-step';
import { Pager, usePaged } from '../paging';
import { Problem, Status, WideTable } from '../ui';

/** The proposals the caller sees, the latest changed first (sorted by the server). */
export function Proposals() {
  const { t, format, session } = usePage();
  const list = usePaged<ProposalView>('/api/v1/proposals', { sort: 'lastChangedAt', order: 'desc' }, [session.role]);
  const proposals = list.items;
  return (
    <section aria-labelledby="proposals-title">
      <div className="page-head">
        <h1 id="proposals-title">{t('proposals.title')}</h1>
        {session.role === 'proposer' && <a className="button primary" href="#/proposals/new">{t('proposals.create')}</a>}
      </div>
      <Problem error={list.error} />
      {proposals === null ? <p>{t('common.loading')}</p> : proposals.length === 0 ? (
        <>
          <p>{t('proposals.empty')}</p>
          {session.role === 'proposer' && <NextStep step="proposal.none" />}
        </>
      ) : (
        <WideTable label={t('proposals.title')}>
          <thead>
            <tr><th scope="col">{t('proposals.columns.title')}</th><th scope="col">{t('proposals.columns.field')}</th><th scope="col">{t('proposals.columns.status')}</th><th scope="col">{t('proposals.columns.changed')}</th></tr>
          </thead>
          <tbody>
            {proposals.map((p) => (
              <tr key={p.proposalId}>
                <td><a href={`#/proposals/${p.proposalId}`}>{p.title}</a></td>
                <td>{t(`fields.${p.field}`)}</td>
                <td><Status status={p.status} /></td>
                <td>{format.date(p.lastChangedAt)}</td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      )}
      <Pager list={list} />
    </section>
  );
}
