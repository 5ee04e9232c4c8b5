import { answer, api } from '../api/client';
import { ActionForm, FIELD_SELECT, type FieldSpec, Loading, type Values, useLoad, usePage } from '../kit';
import { Pager, usePagedCommands } from '../paging';
import { Problem, Status } from '../ui';

/** One registered initiative with its unit and year (GET /registrations answers them one a row). */
interface Initiative {
  readonly unitId: string;
  readonly year: number;
  readonly initiativeId: string;
  readonly title: string;
  readonly field: string;
  readonly summary: string;
  readonly status: string;
  readonly registeredAt: string;
}
interface Missing {
  readonly minimum: number;
  readonly units: readonly { readonly unitId: string; readonly unitName: string; readonly registered: number; readonly missing: number }[];
}

const REGISTER: readonly FieldSpec[] = [{ name: 'title' }, FIELD_SELECT, { name: 'summary', kind: 'textarea' }];
const DECIDE: readonly FieldSpec[] = [{ name: 'reasons', kind: 'textarea' }];

/**
 * Breakthrough initiatives registered each year (HCM3815-1): a unit head registers, the
 * provincial committee approves or rejects, and the units that have not registered enough this year.
 */
export function Registrations() {
  const { t, format, session } = usePage();
  const year = new Date().getFullYear();
  // One page of units (by unit id), each with all its initiatives; a command reads the first page again until it shows.
  const { list, commands, create } = usePagedCommands<Initiative>('/api/v1/registrations', { year }, (i) => i.initiativeId);
  const items = list.items;
  const missing = useLoad<Missing>(() => answer(api.GET('/api/v1/registrations/missing', { params: { query: { year } } })), [session.role, items]);
  if (!items) return <Loading error={list.error} />;
  const units = [...new Set(items.map((i) => i.unitId))];
  const register = (v: Values) =>
    void create(api.POST('/api/v1/registrations', { body: { year, title: String(v.title), field: v.field as 'other', summary: String(v.summary) } }));
  const decide = (i: Initiative, verdict: 'approve' | 'reject', v: Values) => {
    const path = { unitId: i.unitId, year: i.year, initiativeId: i.initiativeId };
    const call = api.POST(`/api/v1/registrations/{unitId}/{year}/{initiativeId}/${verdict}` as '/api/v1/registrations/{unitId}/{year}/{initiativeId}/reject', { params: { path: path as never }, body: { reasons: String(v.reasons) } });
    void commands.run(call, (now) => now.some((x) => x.initiativeId === i.initiativeId && x.status !== i.status));
  };
  return (
    <section aria-labelledby="registrations-title">
      <h1 id="registrations-title">{t('registrations.title', { year })}</h1>
      <Problem error={commands.error} />
      {items.length === 0 && <p>{t('lists.empty')}</p>}
      {units.map((unitId) => (
        <div key={unitId} className="card">
          <h2>{session.unitName(unitId)}</h2>
          {items.filter((i) => i.unitId === unitId).map((i) => (
            <div key={i.initiativeId} className="group">
              <h3>{i.title} <Status status={`initiative-${i.status}`} /></h3>
              <p className="muted">{t(`fields.${i.field}`)} · {format.date(i.registeredAt)}</p>
              <p>{i.summary}</p>
              {session.role === 'city-committee' && i.status === 'registered' && (['approve', 'reject'] as const).map((verdict) => (
                <ActionForm key={verdict} id={`${verdict}-${i.initiativeId}`} ns="registrations.form" heading={t(`registrations.${verdict}`)} fields={DECIDE} submit={t(`registrations.${verdict}`)}
                  errors={commands.errors} busy={commands.busy} onSubmit={(v) => decide(i, verdict, v)} />
              ))}
            </div>
          ))}
        </div>
      ))}
      <Pager list={list} shown={units.length} />
      {session.role === 'unit-head' && (
        <ActionForm id="register" ns="registrations.form" heading={t('registrations.register')} fields={REGISTER} submit={t('registrations.register')}
          errors={commands.errors} busy={commands.busy} onSubmit={register} />
      )}
      <h2>{t('registrations.missing', { year })}</h2>
      {missing.data && (missing.data.units.filter((u) => u.missing > 0).length === 0 ? <p className="muted">{t('common.none')}</p> : (
        <ul className="notices">
          {missing.data.units.filter((u) => u.missing > 0).map((u) => (
            <li key={u.unitId}>{t('registrations.short', { unit: u.unitName, registered: format.number(u.registered), minimum: format.number(missing.data?.minimum ?? 0) })}</li>
          ))}
        </ul>
      ))}
    </section>
  );
}
