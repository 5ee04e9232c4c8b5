import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api } from '../api/client';
import type { ProposalView, StoredEvent } from '../api/views';
import { History } from '../History';
import { useFormat } from '../format';
import { until } from '../router';
import { NextStep, type Step } from '../next-step';
import { useSession } from '../session';
import { Problem, Status } from '../ui';

/** Who acts next on a proposal of each status (the reviewers named on it, else the proposer). */
const NEXT: Readonly<Partial<Record<ProposalView['status'], Step>>> = {
  draft: 'proposal.draft', submitted: 'proposal.review', 'under-review': 'proposal.review', escalated: 'proposal.review',
  'revision-requested': 'proposal.revision', 'approved-pilot': 'proposal.approved', 'approved-implementation': 'proposal.approved',
};
const SECTIONS = ['necessity', 'basis', 'feasibility', 'currentSituation', 'content', 'organization', 'recommendations'] as const;

export function ProposalDetail({ proposalId }: { proposalId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const [proposal, setProposal] = useState<ProposalView | null>(null);
  const [history, setHistory] = useState<readonly StoredEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const path = { params: { path: { id: proposalId } } };
  const load = () =>
    Promise.all([answer<ProposalView>(api.GET('/api/v1/proposals/{id}', path)), answer<StoredEvent[]>(api.GET('/api/v1/proposals/{id}/history', path))]).then(([p, h]) => {
      setProposal(p);
      setHistory(h);
      return p;
    }, setError);
  useEffect(() => {
    void load();
  }, [proposalId]);

  const withdraw = async () => {
    try {
      await answer(api.POST('/api/v1/proposals/{id}/withdraw', { ...path, body: {} }));
      await until(() => answer<ProposalView>(api.GET('/api/v1/proposals/{id}', path)), (p) => p.status === 'withdrawn');
      await load();
    } catch (e) {
      setError(e);
    }
  };

  if (!proposal) return <><Problem error={error} /><p>{t('common.loading')}</p></>;
  const own = proposal.proposerId === session.user?.id;
  const editable = own && (proposal.status === 'draft' || proposal.status === 'revision-requested');
  const withdrawable = own && !['withdrawn', 'rejected', 'approved-implementation', 'approved-pilot'].includes(proposal.status);
  const report = proposal.report ?? {};
  const next = NEXT[proposal.status];
  return (
    <section aria-labelledby="proposal-title">
      <div className="page-head">
        <h1 id="proposal-title">{proposal.title}</h1>
        <Status status={proposal.status} />
      </div>
      <Problem error={error} />
      <p className="muted">
        {t(`fields.${proposal.field}`)} · {t(`problemTypes.${proposal.problemType}`)} · {session.nameOf(proposal.proposerId)}
        {proposal.destination && <> · {t('detail.destination', { unit: session.unitName(proposal.destination.reviewerUnitId) })}</>}
      </p>
      {!proposal.completeness.complete && proposal.status === 'draft' && <p className="banner">{t('detail.missing', { count: proposal.completeness.gaps.length })}</p>}
      {next && <NextStep step={next} people={next === 'proposal.review' ? proposal.destination?.reviewerIds : [proposal.proposerId]} />}
      <div className="actions">
        {editable && <a className="button" href={`#/proposals/${proposal.proposalId}/edit`}>{t('detail.edit')}</a>}
        {withdrawable && <button type="button" onClick={() => void withdraw()}>{t('detail.withdraw')}</button>}
        {proposal.status.startsWith('approved-') && (['pilots', 'evaluations', 'recognitions'] as const).map((kind) => (
          <a key={kind} href={`#/${kind}/${proposal.proposalId}`}>{t(`links.${kind.slice(0, -1)}`)}</a>
        ))}
      </div>
      <h2>{t('detail.report')}</h2>
      <dl className="report">
        {SECTIONS.filter((s) => report[s]).map((s) => (
          <div key={s}><dt>{t(`form.${s}`)}</dt><dd>{report[s]}</dd></div>
        ))}
        {report.objectives?.map((o, i) => (
          <div key={`o${i}`}><dt>{t('form.objective', { n: i + 1 })}</dt><dd>{o.description} {o.targets?.map((x) => `· ${x.indicator}: ${x.target} ${x.unit}`).join(' ')}</dd></div>
        ))}
        {report.implementationPlan?.milestones?.map((m, i) => (
          <div key={`m${i}`}><dt>{t('form.milestone', { n: i + 1 })}</dt><dd>{m.name} · {format.date(m.dueDate)}</dd></div>
        ))}
      </dl>
      <History events={history} />
    </section>
  );
}
