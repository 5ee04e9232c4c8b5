// The audit view of one stream with its verification, and the operator's status page.
import { type FormEvent, useState } from 'react';
import { answer, api } from '../api/client';
import type { PayloadEvent } from '../api/views';
import { History } from '../History';
import { Loading, useCommands, useLoad, usePage } from '../kit';
import { go } from '../router';
import { Field, Problem, WideTable } from '../ui';

interface AuditView {
  readonly streamId: string;
  readonly service: string;
  readonly verification: { readonly ok: boolean; readonly checked: number; readonly breaks: readonly unknown[] };
  readonly events: readonly PayloadEvent[];
}

/** Any stream the caller may read: its full history and the hash chain recomputed by the server. */
export function Audit({ streamId }: { streamId: string | undefined }) {
  const { t, format } = usePage();
  const [id, setId] = useState(streamId ?? '');
  const audit = useLoad<AuditView>(() => (streamId ? answer(api.GET('/api/v1/audit/streams/{id}', { params: { path: { id: streamId } } })) : Promise.resolve(null)), [streamId]);
  const a = audit.data;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <form className="actions" onSubmit={(e: FormEvent) => { e.preventDefault(); go('audit', id.trim()); }}>
        <Field id="audit-stream" label={t('audit.stream')}><input id="audit-stream" type="text" value={id} onChange={(e) => setId(e.target.value)} /></Field>
        <button type="submit" className="primary">{t('audit.open')}</button>
      </form>
      <Problem error={audit.error} />
      {a && (
        <>
          <p className={a.verification.ok ? 'banner ok' : 'banner error'} role="status">
            {t(a.verification.ok ? 'audit.verified' : 'audit.broken', { checked: format.number(a.verification.checked), breaks: format.number(a.verification.breaks.length), service: a.service })}
          </p>
          <History events={a.events} />
          <details>
            <summary>{t('audit.hashes')}</summary>
            <ol className="hashes">{a.events.map((e) => <li key={e.eventId}><code>{e.hash}</code></li>)}</ol>
          </details>
        </>
      )}
    </section>
  );
}

interface ServiceStatus {
  readonly service: string;
  readonly consumers: readonly { readonly group: string; readonly state: string; readonly lag: number | null; readonly restarts: number; readonly lastError: string | null }[];
  readonly deadLetters: readonly { readonly group: string; readonly count: number }[];
}
interface DeadLetter {
  readonly id: string;
  readonly service: string;
  readonly group: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly error: string;
  readonly attempts: number;
  readonly parkedAt: string;
}

/** The operator's page (admin): each service's consumer groups with their lag, and the dead letters, each re-driven by a click. */
export function Operator() {
  const { t, format } = usePage();
  const status = useLoad<ServiceStatus[]>(() => answer(api.GET('/api/v1/admin/status')));
  const letters = useLoad<DeadLetter[]>(() => answer(api.GET('/api/v1/admin/dead-letters')));
  const redrive = useCommands<DeadLetter[]>(() => answer(api.GET('/api/v1/admin/dead-letters')), letters.setData);
  if (!status.data) return <Loading error={status.error} />;
  return (
    <section aria-labelledby="operator-title">
      <h1 id="operator-title">{t('operator.title')}</h1>
      <WideTable label={t('operator.title')}>
          <thead><tr><th scope="col">{t('operator.service')}</th><th scope="col">{t('operator.group')}</th><th scope="col">{t('operator.state')}</th><th scope="col">{t('operator.lag')}</th><th scope="col">{t('operator.restarts')}</th></tr></thead>
          <tbody>
            {status.data.flatMap((s) => s.consumers.map((c) => (
              <tr key={`${s.service}/${c.group}`} className={c.lastError ? 'overdue' : undefined}>
                <td>{s.service}</td><td>{c.group}</td><td title={c.lastError ?? undefined}>{t(`operator.states.${c.state}`, { defaultValue: c.state })}</td>
                <td>{c.lag === null ? t('common.none') : format.number(c.lag)}</td><td>{format.number(c.restarts)}</td>
              </tr>
            )))}
          </tbody>
      </WideTable>
      <h2>{t('operator.deadLetters', { count: letters.data?.length ?? 0 })}</h2>
      <Problem error={redrive.error ?? letters.error} />
      {letters.data?.length === 0 && <p className="muted">{t('operator.noDeadLetters')}</p>}
      <ul className="notices">
        {letters.data?.map((l) => (
          <li key={l.id}>
            <strong>{t(`events.${l.eventType}`, { defaultValue: l.eventType })}</strong> · {l.service}/{l.group} · <a href={`#/audit/${l.streamId}`}>{l.streamId}</a> · {format.dateTime(l.parkedAt)}
            <p><code>{l.error}</code></p>
            <button type="button" disabled={redrive.busy} onClick={() => void redrive.run(api.POST('/api/v1/admin/dead-letters/{id}/redrive', { params: { path: { id: l.id } } }), (now) => !now.some((x) => x.id === l.id && x.attempts === l.attempts))}>
              {t('operator.redrive')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
