import { api } from '../api/client';
import { ActionForm, type FieldSpec, Loading, type Values, usePage } from '../kit';
import { Pager, usePagedCommands } from '../paging';
import { Problem, Status } from '../ui';

interface CaseView {
  readonly caseId: string;
  readonly kind: 'abuse-referral' | 'prohibited-act';
  readonly proposalId: string | null;
  readonly subjectIds: readonly string[];
  readonly unitId: string;
  readonly grounds: readonly string[];
  readonly reporterId?: string;
  readonly description: string;
  readonly status: 'open' | 'found';
  readonly openedAt: string;
  readonly finding: 'substantiated' | 'dismissed' | null;
  readonly reasons: readonly string[];
}

const ACTS = ['obstructing-innovator', 'pressuring-innovator', 'retaliating-against-innovator', 'refusing-assigned-task', 'shirking-approval'];
const REPORT: readonly FieldSpec[] = [
  { name: 'subject', kind: 'user', path: 'subjectIds' }, { name: 'unitId', kind: 'unit' },
  { name: 'ground', kind: 'select', options: ACTS, path: 'grounds' }, { name: 'description', kind: 'textarea' },
];
const FINDING: readonly FieldSpec[] = [{ name: 'finding', kind: 'select', options: ['substantiated', 'dismissed'] }, { name: 'reason', kind: 'textarea', path: 'reasons' }];

/**
 * Inspection cases (D73-6b, C14-2.4e): any cadre reports a prohibited act; the inspection body
 * reads every case and records its finding; a person a case is about reads it without its reporter.
 */
export function Inspection() {
  const { t, format, session } = usePage();
  // The latest opened first, a page at a time; a command reads the first page again until it shows.
  const { list: cases, commands, create } = usePagedCommands<CaseView>('/api/v1/inspection-cases', { sort: 'openedAt', order: 'desc' }, (c) => c.caseId);
  if (!cases.items) return <Loading error={cases.error} />;
  const report = (v: Values) =>
    void create(api.POST('/api/v1/inspection-cases', { body: { kind: 'prohibited-act', subjectIds: [String(v.subject)], unitId: String(v.unitId), grounds: [v.ground as 'obstructing-innovator'], description: String(v.description) } }));
  const find = (c: CaseView, v: Values) =>
    void commands.run(api.POST('/api/v1/inspection-cases/{caseId}/finding', { params: { path: { caseId: c.caseId } }, body: { finding: v.finding as 'dismissed', reasons: [String(v.reason)] } }), (now) => now.some((x) => x.caseId === c.caseId && x.finding));
  return (
    <section aria-labelledby="inspection-title">
      <h1 id="inspection-title">{t('inspection.title')}</h1>
      <Problem error={commands.error} />
      {cases.items.length === 0 ? <p>{t('lists.empty')}</p> : cases.items.map((c) => (
        <article key={c.caseId} className="card" aria-labelledby={`case-${c.caseId}`}>
          <div className="page-head">
            <h2 id={`case-${c.caseId}`}>{t(`inspection.kinds.${c.kind}`)}: {c.subjectIds.map(session.nameOf).join(', ')}</h2>
            <Status status={c.finding ? `finding-${c.finding}` : 'open'} />
          </div>
          <p className="muted">
            {format.date(c.openedAt)} · {session.unitName(c.unitId)} · {c.grounds.map((g) => t(`options.ground.${g}`)).join(', ')}
            {c.reporterId && <> · {t('inspection.reporter', { name: session.nameOf(c.reporterId) })}</>}
            {c.proposalId && <> · <a href={`#/evaluations/${c.proposalId}`}>{t('links.evaluation')}</a></>}
          </p>
          <p>{c.description}</p>
          {c.reasons.length > 0 && <p><strong>{t(`options.finding.${c.finding}`)}</strong>: {c.reasons.join('; ')}</p>}
          {session.role === 'inspector' && c.status === 'open' && (
            <ActionForm id={`finding-${c.caseId}`} ns="inspection" heading={t('inspection.record')} fields={FINDING} submit={t('inspection.record')}
              errors={commands.errors} busy={commands.busy} onSubmit={(v) => find(c, v)} />
          )}
        </article>
      ))}
      <Pager list={cases} />
      {session.role === 'proposer' && (
        <ActionForm id="case-report" ns="inspection" heading={t('inspection.report')} fields={REPORT} submit={t('inspection.report')}
          errors={commands.errors} busy={commands.busy} onSubmit={report} />
      )}
    </section>
  );
}
