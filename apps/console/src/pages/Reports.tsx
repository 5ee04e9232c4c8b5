import { type FormEvent, useState } from 'react';
import { ApiError, answer, api } from '../api/client';
import { ActionForm, BarChart, FIELDS, type FieldSpec, Loading, useCommands, useLoad, usePage } from '../kit';
import { Field, Problem, WideTable } from '../ui';

type Counts = Readonly<Record<string, number>>;
interface PeriodicReport {
  readonly period: { readonly label: string; readonly from: string; readonly to: string };
  readonly totals: Counts;
  readonly byUnit: readonly (Counts & { readonly unitId: string; readonly unitName: string | null })[];
  readonly byField: readonly (Counts & { readonly field: string })[];
  readonly generatedAt: string;
}

const FIGURES = ['submitted', 'approvedForImplementation', 'approvedForPilot', 'rejected', 'pilotsCompleted', 'pilotsTerminated', 'outcomesAchieved', 'outcomesPartiallyAchieved', 'outcomesNotAchieved', 'liabilityDecisions', 'recognitionsGranted', 'bonusPoints', 'overdueSteps', 'prohibitedActReports'] as const;
/** C14-2.5d: the organisation office, or the head of the unit whose report it is, sends it upward. */
const SENDERS = ['organization-office', 'unit-head'];
const SEND: readonly FieldSpec[] = [{ name: 'unitId', kind: 'unit' }];
interface Sent { readonly unitId: string; readonly period: { readonly label: string }; readonly streamId: string }
const FIELD_FILTER = ['', ...FIELDS];

/** The periodic review (C14-2.5a/d): figures of a period by unit and by field, a chart, CSV and PDF downloads, and print. */
export function Reports() {
  const { t, format, session } = usePage();
  const year = new Date().getFullYear();
  // The current half-year first, then the year, the other half and the year before.
  const half = new Date().getMonth() < 6 ? 1 : 2;
  const periods = [`H${half}-${year}`, String(year), `H${3 - half}-${year}`, String(year - 1)];
  const [query, setQuery] = useState({ period: periods[0] ?? '', field: '' });
  const [shown, setShown] = useState(query);
  const [error, setError] = useState<unknown>(null);
  const params = { query: { period: shown.period, ...(shown.field ? { field: shown.field } : {}) } };
  const report = useLoad<PeriodicReport>(() => answer(api.GET('/api/v1/reports/periodic', { params: params as never })), [shown.period, shown.field, session.role]);
  /** C14-2.5d: the CSV table, or the PDF the service draws (title, unit, period, chart and figures). */
  const download = async (as: 'csv' | 'pdf') => {
    setError(null);
    const { data, response } = await api.GET('/api/v1/reports/periodic', { params: { query: { ...params.query, format: as } } as never, parseAs: 'blob' });
    if (!response.ok) return setError(new ApiError({ statusCode: response.status, code: 'ERROR', message: response.statusText }));
    const link = document.createElement('a');
    // openapi-fetch has read the body already (parseAs: 'blob').
    link.href = URL.createObjectURL(data as unknown as Blob);
    link.download = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `bao-cao.${as}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  const r = report.data;
  const [sent, setSent] = useState<Sent | null>(null);
  const sending = useCommands<null>(() => Promise.resolve(null), () => undefined);
  const send = (unitId: string) =>
    void sending.run(api.POST('/api/v1/reports/periodic/send', { body: { period: shown.period, unitId } }).then((call) => (call.response.ok && setSent(call.data as unknown as Sent), call)), () => true);
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">{t('reports.title')}</h1>
      <form className="row no-print" onSubmit={(e: FormEvent) => { e.preventDefault(); setShown(query); }}>
        <Field id="report-period" label={t('reports.period')}>
          <select id="report-period" value={query.period} onChange={(e) => setQuery({ ...query, period: e.target.value })}>
            {periods.map((p) => <option key={p} value={p}>{t(p.startsWith('H') ? 'reports.half' : 'reports.year', { half: p.slice(1, 2), year: p.slice(-4) })}</option>)}
          </select>
        </Field>
        <Field id="report-field" label={t('form.field')}>
          <select id="report-field" value={query.field} onChange={(e) => setQuery({ ...query, field: e.target.value })}>
            {FIELD_FILTER.map((f) => <option key={f} value={f}>{f ? t(`fields.${f}`) : t('reports.allFields')}</option>)}
          </select>
        </Field>
        <div className="actions">
          <button type="submit" className="primary">{t('reports.show')}</button>
          <button type="button" onClick={() => void download('csv')}>{t('reports.csv')}</button>
          <button type="button" onClick={() => void download('pdf')}>{t('reports.pdf')}</button>
          <button type="button" onClick={() => window.print()}>{t('reports.print')}</button>
        </div>
      </form>
      <Problem error={error} />
      {!r ? <Loading error={report.error} /> : (
        <>
          <p className="muted">{t('reports.range', { from: format.date(r.period.from), to: format.date(r.period.to), at: format.dateTime(r.generatedAt) })}</p>
          <h2>{t('reports.byUnit')}</h2>
          <BarChart label={t('reports.chart', { values: r.byUnit.map((u) => `${u.unitName ?? u.unitId}: ${format.number(u.submitted ?? 0)}`).join('; ') || t('common.none') })}
            bars={r.byUnit.map((u) => ({ label: u.unitName ?? u.unitId, value: u.submitted ?? 0 }))} format={format.number} />
          <h2>{t('reports.figures')}</h2>
          <WideTable label={t('reports.figures')}>
              <thead>
                <tr><th scope="col">{t('reports.figure')}</th><th scope="col">{t('reports.total')}</th>{r.byField.map((f) => <th scope="col" key={f.field}>{t(`fields.${f.field}`, { defaultValue: t('reports.unknownField') })}</th>)}</tr>
              </thead>
              <tbody>
                {FIGURES.map((figure) => (
                  <tr key={figure}><th scope="row">{t(`reports.figures_.${figure}`)}</th><td>{format.number(r.totals[figure] ?? 0)}</td>{r.byField.map((f) => <td key={f.field}>{format.number(f[figure] ?? 0)}</td>)}</tr>
                ))}
              </tbody>
          </WideTable>
        </>
      )}
      {session.role !== null && SENDERS.includes(session.role) && (
        <ActionForm id="report-send" ns="reports.send" heading={t('reports.send.heading')} fields={SEND} submit={t('reports.send.submit')}
          errors={sending.errors} busy={sending.busy} onSubmit={(v) => send(String(v.unitId))}>
          <Problem error={sending.error} />
          {sent && <p className="banner ok" role="status">{t('reports.send.sent', { period: sent.period.label, unit: session.unitName(sent.unitId) })} <a href={`#/audit/${sent.streamId}`}>{t('links.audit')}</a></p>}
        </ActionForm>
      )}
    </section>
  );
}
