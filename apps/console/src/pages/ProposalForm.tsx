import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api } from '../api/client';
import type { ProposalContent, ProposalView, Report } from '../api/views';
import { useFormat } from '../format';
import { go, until } from '../router';
import { FIELDS } from '../kit';
import { DateInput, Field, type FieldErrors, fieldErrorsOf } from '../ui';

const PROBLEM_TYPES = ['regulated-but-unsuitable', 'unregulated'] as const;
const TEXT_SECTIONS = ['necessity', 'basis', 'feasibility', 'currentSituation', 'content'] as const;
const CLOSING_SECTIONS = ['organization', 'recommendations'] as const;
const RESOURCES = ['funding', 'people', 'equipment', 'other'] as const;

const emptyContent = (): ProposalContent => ({
  title: '', field: 'administrative-reform', problemType: 'regulated-but-unsuitable', isScheme: false,
  report: { objectives: [{ description: '', targets: [{ indicator: '', target: '', unit: '' }] }], implementationPlan: { milestones: [{ name: '', dueDate: '' }] } },
});

/** Drops what the form holds but the user did not write: empty texts, then emptied objects and list items. */
function pruned<T>(value: T): T | undefined {
  if (typeof value === 'string') return (value.trim() === '' ? undefined : value) as T | undefined;
  if (Array.isArray(value)) return value.map(pruned).filter((v) => v !== undefined) as T;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, pruned(v)] as const).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
    return entries.length ? (Object.fromEntries(entries) as T) : undefined;
  }
  return value;
}

/** A copy of `object` with the value at a dotted path (numbers index lists) replaced. */
function setAt<T>(object: T, path: readonly (string | number)[], value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const source = (object ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
  const copy = (Array.isArray(source) ? [...source] : { ...source }) as Record<string | number, unknown>;
  copy[head] = setAt(source[head], rest, value);
  return copy as T;
}

export function ProposalForm({ proposalId }: { proposalId?: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [content, setContent] = useState<ProposalContent>(emptyContent);
  const [id, setId] = useState(proposalId);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState('');
  const [busy, setBusy] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  useEffect(() => {
    if (!proposalId) return;
    void answer<ProposalView>(api.GET('/api/v1/proposals/{id}', { params: { path: { id: proposalId } } })).then((p) =>
      setContent({ ...emptyContent(), title: p.title, field: p.field, problemType: p.problemType, isScheme: p.isScheme, report: { ...emptyContent().report, ...p.report } }),
    );
  }, [proposalId]);

  const report: Report = content.report ?? {};
  const setReport = (path: (string | number)[], value: unknown) => setContent((c) => ({ ...c, report: setAt(c.report ?? {}, path, value) }));
  const errorsAt = (path: string) => errors[path];
  const text = (path: (string | number)[], label: string, long = true) => {
    const key = path.join('.');
    const value = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], report) as string | undefined;
    const props = { id: `f-${key}`, value: value ?? '', onChange: (e: { target: { value: string } }) => setReport(path, e.target.value), 'aria-invalid': errorsAt(key) ? true : undefined, 'aria-describedby': errorsAt(key) ? `f-${key}-error` : undefined };
    return <Field id={`f-${key}`} label={label} errors={errorsAt(key)}>{long ? <textarea rows={3} {...props} /> : <input type="text" {...props} />}</Field>;
  };
  const groupErrors = (key: string) => errorsAt(key)?.map((m) => <p key={m} className="field-error" role="alert">{m}</p>);
  /** One part of the report: its legend, the server's refusals of the part as a whole, its fields. */
  const section = (legend: string, errorKey: string | null, body: ReactNode) => (
    <fieldset>
      <legend>{t(legend)}</legend>
      {errorKey && groupErrors(errorKey)}
      {body}
    </fieldset>
  );

  const save = async (): Promise<string> => {
    const body = { ...content, report: pruned(content.report) ?? {} };
    if (id) {
      await answer(api.PUT('/api/v1/proposals/{id}', { params: { path: { id } }, body }));
      return id;
    }
    const created = await answer<{ proposalId: string }>(api.POST('/api/v1/proposals', { body }));
    setId(created.proposalId);
    return created.proposalId;
  };

  const act = async (submit: boolean) => {
    setBusy(true);
    setErrors({});
    setGeneral('');
    try {
      const saved = await save();
      setSavedAt(new Date().toISOString());
      if (submit) {
        await answer(api.POST('/api/v1/proposals/{id}/submit', { params: { path: { id: saved } } }));
        await until(() => answer<ProposalView>(api.GET('/api/v1/proposals/{id}', { params: { path: { id: saved } } })), (p) => p.status !== 'draft');
        go('proposals', saved);
      }
    } catch (error) {
      const refused = fieldErrorsOf(error, t('form.requiredOnSubmit'));
      setErrors(refused.fields);
      setGeneral(refused.general);
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void act(true);
  };

  const objectives = report.objectives ?? [];
  const milestones = report.implementationPlan?.milestones ?? [];
  return (
    <section aria-labelledby="form-title">
      <h1 id="form-title">{t(proposalId ? 'form.editTitle' : 'form.newTitle')}</h1>
      {general && (
        <div className="banner error" role="alert">
          <p>{t('form.refused', { message: general })}</p>
          <p>{t('form.fixBelow')}</p>
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>{t('nav.newProposal')}</legend>
          <Field id="f-title" label={t('form.title')} errors={errorsAt('title')}>
            <input id="f-title" type="text" value={content.title} onChange={(e) => setContent({ ...content, title: e.target.value })} aria-invalid={errorsAt('title') ? true : undefined} />
          </Field>
          <div className="row">
            <Field id="f-field" label={t('form.field')}>
              <select id="f-field" value={content.field} onChange={(e) => setContent({ ...content, field: e.target.value as ProposalContent['field'] })}>
                {FIELDS.map((f) => <option key={f} value={f}>{t(`fields.${f}`)}</option>)}
              </select>
            </Field>
            <Field id="f-problemType" label={t('form.problemType')}>
              <select id="f-problemType" value={content.problemType} onChange={(e) => setContent({ ...content, problemType: e.target.value as ProposalContent['problemType'] })}>
                {PROBLEM_TYPES.map((p) => <option key={p} value={p}>{t(`problemTypes.${p}`)}</option>)}
              </select>
            </Field>
          </div>
          <div className="check">
            <input id="f-isScheme" type="checkbox" checked={content.isScheme} onChange={(e) => setContent({ ...content, isScheme: e.target.checked })} />
            <label htmlFor="f-isScheme">{t('form.isScheme')}</label>
          </div>
        </fieldset>

        <h2>{t('form.reportHeading')}</h2>
        {section('form.reportHeading', null, <>
          {TEXT_SECTIONS.slice(0, 2).map((s) => <div key={s}>{text([s], t(`form.${s}`))}</div>)}
        </>)}
        {section('form.impactForecast', 'impactForecast', <>
          {(['positive', 'negative', 'expectedEffectiveness'] as const).map((s) => <div key={s}>{text(['impactForecast', s], t(`form.${s}`))}</div>)}
        </>)}
        {section('form.feasibility', null, <>
          {TEXT_SECTIONS.slice(2).map((s) => <div key={s}>{text([s], t(`form.${s}`))}</div>)}
        </>)}
        {section('form.objectives', 'objectives', <>
          {objectives.map((objective, i) => (
            <div key={i} className="group">
              <h3>{t('form.objective', { n: i + 1 })}</h3>
              {text(['objectives', i, 'description'], t('form.description'))}
              {groupErrors(`objectives.${i}.targets`)}
              {(objective.targets ?? []).map((_, j) => (
                <div key={j} className="row">
                  {text(['objectives', i, 'targets', j, 'indicator'], t('form.indicator'), false)}
                  {text(['objectives', i, 'targets', j, 'target'], t('form.target'), false)}
                  {text(['objectives', i, 'targets', j, 'unit'], t('form.unit'), false)}
                </div>
              ))}
              <button type="button" onClick={() => setReport(['objectives', i, 'targets'], [...(objective.targets ?? []), { indicator: '', target: '', unit: '' }])}>{t('form.addTarget')}</button>
            </div>
          ))}
          <button type="button" onClick={() => setReport(['objectives'], [...objectives, { description: '', targets: [{ indicator: '', target: '', unit: '' }] }])}>{t('form.addObjective')}</button>
        </>)}
        {section('form.implementationPlan', 'implementationPlan.milestones', <>
          {milestones.map((milestone, i) => (
            <div key={i} className="row">
              {text(['implementationPlan', 'milestones', i, 'name'], t('form.milestoneName'), false)}
              <Field id={`f-implementationPlan.milestones.${i}.dueDate`} label={t('form.dueDate')} errors={errorsAt(`implementationPlan.milestones.${i}.dueDate`)}>
                <DateInput id={`f-implementationPlan.milestones.${i}.dueDate`} value={milestone.dueDate ?? ''} invalid={!!errorsAt(`implementationPlan.milestones.${i}.dueDate`)} onChange={(day) => setReport(['implementationPlan', 'milestones', i, 'dueDate'], day)} />
              </Field>
            </div>
          ))}
          <button type="button" onClick={() => setReport(['implementationPlan', 'milestones'], [...milestones, { name: '', dueDate: '' }])}>{t('form.addMilestone')}</button>
          {text(['implementationPlan', 'roadmap'], t('form.roadmap'))}
        </>)}
        {section('form.resources', 'resources', <>
          {RESOURCES.map((r) => <div key={r}>{text(['resources', r], t(r === 'other' ? 'form.otherResource' : `form.${r}`), false)}</div>)}
        </>)}
        {section('form.organization', null, <>
          {CLOSING_SECTIONS.map((s) => <div key={s}>{text([s], t(`form.${s}`))}</div>)}
        </>)}
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void act(false)}>{t('form.saveDraft')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('form.submit')}</button>
          {savedAt && <span className="muted" role="status">{t('common.saved', { time: format.dateTime(savedAt) })}</span>}
        </div>
      </form>
    </section>
  );
}
