import type { Role } from '../api/client';
import type { PilotView } from '../api/views';
import { History } from '../History';
import { ActionForm, type FieldSpec, LineChart, Loading, RecordHead, type Values, useProposalRecord } from '../kit';
import { NextStep, type Step } from '../next-step';
import { Status, WideTable } from '../ui';

type Command = 'start' | 'progress' | 'checks' | 'flags' | 'support' | 'adjust' | 'suspend' | 'resume' | 'terminate' | 'complete';
type Status_ = PilotView['status'];

/** Who may issue each command and in which state of the pilot (monitoring's commandRoles). */
const COMMANDS: Readonly<Record<Command, { roles: readonly Role[]; when: readonly Status_[] }>> = {
  start: { roles: ['proposer', 'supervisor'], when: ['planned'] },
  progress: { roles: ['proposer'], when: ['running'] },
  checks: { roles: ['supervisor'], when: ['running', 'suspended'] },
  flags: { roles: ['supervisor'], when: ['running', 'suspended'] },
  support: { roles: ['supervisor', 'unit-head', 'collective', 'authority'], when: ['running', 'suspended'] },
  adjust: { roles: ['supervisor', 'authority'], when: ['planned', 'running', 'suspended'] },
  suspend: { roles: ['supervisor', 'authority'], when: ['running'] },
  resume: { roles: ['supervisor', 'authority'], when: ['suspended'] },
  terminate: { roles: ['supervisor', 'authority'], when: ['running', 'suspended'] },
  complete: { roles: ['supervisor'], when: ['running'] },
};
const REASONS: readonly FieldSpec[] = [{ name: 'reason', kind: 'textarea', path: 'reasons' }];
const FIELDS: Readonly<Partial<Record<Command, readonly FieldSpec[]>>> = {
  checks: [{ name: 'findings', kind: 'textarea' }],
  flags: [{ name: 'category', kind: 'select', options: ['risk', 'damage', 'violation'] }, { name: 'description', kind: 'textarea' }],
  support: [{ name: 'kind', kind: 'select', options: ['funding', 'people', 'equipment', 'guidance', 'other'] }, { name: 'description', kind: 'textarea' }, { name: 'amount', kind: 'number' }],
  suspend: REASONS, resume: REASONS, terminate: REASONS,
};
const number = (v: unknown) => (v === '' || v === undefined ? undefined : Number(v));

const reasons = (v: Values) => ({ reasons: [v.reason] });
/** Only what the form names: an empty box keeps the plan's value. */
const given = <T,>(key: string, list: readonly T[]) => (list.length ? { [key]: list } : {});
/** The body of a command from its form's values (progress: one value per KPI, one day per milestone); the values themselves otherwise. */
const BODIES: Readonly<Partial<Record<Command, (v: Values, pilot: PilotView) => unknown>>> = {
  progress: (v, pilot) => ({
    kpiValues: pilot.kpis.filter((k) => v[`kpi-${k.id}`] !== '').map((k) => ({ kpiId: k.id, value: Number(v[`kpi-${k.id}`]) })),
    milestonesMet: pilot.milestones.filter((m) => v[`ms-${m.id}`]).map((m) => ({ milestoneId: m.id, metOn: String(v[`ms-${m.id}`]) })),
    narrative: v.narrative,
  }),
  support: (v) => ({ kind: v.kind, description: v.description, amount: number(v.amount) }),
  adjust: (v, pilot) => ({
    ...reasons(v),
    changes: {
      startDate: v.startDate || undefined,
      endDate: v.endDate || undefined,
      ...given('kpiTargets', pilot.kpis.filter((k) => v[`target-${k.id}`] !== '').map((k) => ({ kpiId: k.id, target: Number(v[`target-${k.id}`]) }))),
      ...given('milestoneDueDates', pilot.milestones.filter((m) => !m.metOn && v[`due-${m.id}`]).map((m) => ({ milestoneId: m.id, dueDate: v[`due-${m.id}`] }))),
      ...given('addedMilestones', v.milestoneName || v.milestoneDue ? [{ id: `m${pilot.milestones.length + 1}-${Date.now().toString(36)}`, name: v.milestoneName, dueDate: v.milestoneDue }] : []),
    },
  }),
  suspend: reasons, resume: reasons, terminate: reasons,
  start: () => undefined, complete: () => undefined,
};

/** The pilot: KPIs against target (from each progress report), milestones, open flags, and the commands of the caller's role. */
export function Pilot({ proposalId }: { proposalId: string }) {
  const { record: pilot, history, title, commands, issue: post, t, format, session, me } = useProposalRecord<PilotView>('pilots', proposalId);
  const p = pilot.data;
  if (!p) return <Loading error={pilot.error} />;
  const role = session.role;
  const mayIssue = (c: Command) => COMMANDS[c].when.includes(p.status) && role !== null && COMMANDS[c].roles.includes(role)
    && (role !== 'proposer' || p.proposerId === me) && (role !== 'supervisor' || p.supervisorId === me);
  const issue = (c: Command, values: Values = {}) => void post(c, (BODIES[c] ?? ((v: Values) => v))(values, p));
  const next = nextStep(p);
  const progress = history.filter((e) => e.type === 'ProgressReported');
  const series = (kpiId: string) => progress.flatMap((e) => ((e.data.kpiValues as { kpiId: string; value: number }[] | undefined) ?? []).filter((k) => k.kpiId === kpiId).map((k) => ({ at: e.occurredAt, value: k.value })));
  const progressFields: FieldSpec[] = [
    ...p.kpis.map((k) => ({ name: `kpi-${k.id}`, kind: 'number' as const, label: t('pilot.kpiValue', { name: k.name, unit: k.unit }) })),
    ...p.milestones.filter((m) => !m.metOn).map((m) => ({ name: `ms-${m.id}`, kind: 'date' as const, label: t('pilot.milestoneMet', { name: m.name }) })),
    { name: 'narrative', kind: 'textarea' },
  ];
  // The plan's changes (the start date only before the start); each box left empty keeps its value.
  const adjustFields: FieldSpec[] = [
    ...(p.status === 'planned' ? [{ name: 'startDate', kind: 'date' as const, path: 'changes.startDate' }] : []),
    { name: 'endDate', kind: 'date', path: 'changes.endDate' },
    ...p.kpis.map((k, i) => ({ name: `target-${k.id}`, kind: 'number' as const, path: `changes.kpiTargets.${i}.target`, label: t('pilot.newTarget', { name: k.name, unit: k.unit, target: format.number(k.target) }) })),
    ...p.milestones.filter((m) => !m.metOn).map((m, i) => ({ name: `due-${m.id}`, kind: 'date' as const, path: `changes.milestoneDueDates.${i}.dueDate`, label: t('pilot.newDue', { name: m.name, date: format.date(m.dueDate) }) })),
    { name: 'milestoneName', path: 'changes.addedMilestones.0.name' }, { name: 'milestoneDue', kind: 'date', path: 'changes.addedMilestones.0.dueDate' },
    { name: 'reason', kind: 'textarea', path: 'reasons' },
  ];

  return (
    <section aria-labelledby="pilot-title">
      <RecordHead id="pilot-title" title={t('pilot.title', { title })} status={`pilot-${p.status}`} error={commands.error}
        links={[['proposal', `#/proposals/${proposalId}`], ['evaluation', `#/evaluations/${proposalId}`], ['audit', `#/audit/pilot-${proposalId}`]]}>
        {t('pilot.scope', { scope: p.plan.scope })} · {format.date(p.plan.startDate)} – {format.date(p.plan.endDate)}
        {p.supervisorId && <> · {t('pilot.supervisor', { name: session.nameOf(p.supervisorId) })}</>}
        {p.offTarget && <> · <strong>{t('pilot.offTarget')}</strong></>}
      </RecordHead>

      <NextStep step={next[0]} people={next[1]} />
      <h2>{t('pilot.kpis')}</h2>
      <div className="grid">
        {p.kpis.map((k) => (
          <figure key={k.id} className="card">
            <figcaption>
              <strong>{k.name}</strong> ({k.unit}) · {t(`review.directions.${k.direction}`)} {format.number(k.target)} · {t('pilot.latest', { value: k.latest === null ? t('common.none') : format.number(k.latest) })} · <Status status={`kpi-${k.status}`} />
            </figcaption>
            <LineChart label={t('pilot.chart', { name: k.name, target: format.number(k.target), values: series(k.id).map((s) => format.number(s.value)).join(', ') || t('common.none') })}
              points={series(k.id)} target={k.target} format={format.number} />
          </figure>
        ))}
      </div>

      <h2>{t('pilot.milestones')}</h2>
      <WideTable label={t('pilot.milestones')}>
          <thead><tr><th scope="col">{t('review.milestoneName')}</th><th scope="col">{t('review.milestoneDue')}</th><th scope="col">{t('pilot.metOn')}</th></tr></thead>
          <tbody>
            {p.milestones.map((m) => (
              <tr key={m.id} className={m.overdue ? 'overdue' : undefined}>
                <td>{m.name}</td><td>{format.date(m.dueDate)}</td>
                <td>{m.metOn ? format.date(m.metOn) : m.overdue ? <strong>{t('reviews.overdue')}</strong> : t('common.none')}</td>
              </tr>
            ))}
          </tbody>
      </WideTable>

      <h2>{t('pilot.flags')}</h2>
      {p.openFlags.length === 0 ? <p className="muted">{t('pilot.noFlags')}</p> : (
        <ul className="notices">
          {p.openFlags.map((f) => <li key={f.flagId}><strong>{t(`options.category.${f.category}`)}</strong> · {format.date(f.flaggedAt)} · {f.description ?? t('common.none')}</li>)}
        </ul>
      )}

      {(Object.keys(COMMANDS) as Command[]).some(mayIssue) && <h2>{t('pilot.actions')}</h2>}
      <div className="actions">
        {(['start', 'complete'] as const).filter(mayIssue).map((c) => (
          <button key={c} type="button" className="primary" disabled={commands.busy} onClick={() => issue(c)}>{t(`pilot.commands.${c}`)}</button>
        ))}
      </div>
      {mayIssue('progress') && (
        <ActionForm id="pilot-progress" ns="pilot.form" heading={t('pilot.commands.progress')} fields={progressFields} submit={t('pilot.commands.progress')}
          errors={commands.errors} busy={commands.busy} onSubmit={(v) => issue('progress', v)} />
      )}
      {mayIssue('adjust') && (
        <ActionForm id="pilot-adjust" ns="pilot.form" heading={t('pilot.commands.adjust')} fields={adjustFields} submit={t('pilot.commands.adjust')}
          errors={commands.errors} busy={commands.busy} onSubmit={(v) => issue('adjust', v)}>
          <p className="muted">{t('pilot.adjustHint')}</p>
        </ActionForm>
      )}
      {(Object.keys(FIELDS) as Command[]).filter(mayIssue).map((c) => (
        <ActionForm key={c} id={`pilot-${c}`} ns="pilot.form" heading={t(`pilot.commands.${c}`)} fields={FIELDS[c] ?? []} submit={t(`pilot.commands.${c}`)}
          errors={commands.errors} busy={commands.busy} onSubmit={(v) => issue(c, v)} />
      ))}
      <History events={history} />
    </section>
  );
}

/** What the pilot waits for, and who: its start, progress reports and the supervisor's completion, the decision on a suspension, then results. */
function nextStep(p: PilotView): readonly [Step, readonly string[]] {
  const supervisor = p.supervisorId ? [p.supervisorId] : [];
  switch (p.status) {
    case 'planned': return ['pilot.start', [p.proposerId]];
    case 'running': return p.kpis.some((k) => k.latest === null) ? ['pilot.progress', [p.proposerId]] : ['pilot.complete', supervisor];
    case 'suspended': return ['pilot.suspended', supervisor];
    default: return ['pilot.ended', [p.proposerId]];
  }
}
