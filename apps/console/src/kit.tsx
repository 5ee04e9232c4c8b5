// The pieces every page is built of: loading a read model, running a command until the read model
// shows it, a form described by its fields (each label and option through the catalogue), the
// collective's vote buttons and the small SVG charts.
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api } from './api/client';
import type { PayloadEvent, ProposalView } from './api/views';
import { useFormat } from './format';
import { until } from './router';
import { useSession } from './session';
import { DateInput, Field, type FieldErrors, Problem, Status, fieldErrorsOf } from './ui';

/** A read model, loaded when the page opens and again when `deps` change. */
export function useLoad<T>(load: () => Promise<unknown>, deps: readonly unknown[] = []) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = () => (load() as Promise<T>).then((value) => (setData(value), value), (e) => void setError(e));
  useEffect(() => {
    void reload();
  }, deps);
  return { data, setData, error, reload };
}

/**
 * Runs commands on one record: each call, then reads until the record shows it (the read models
 * follow the commands within moments); the server's refusals, field by field, for the forms.
 */
export function useCommands<T>(read: () => Promise<unknown>, show: (value: T) => void) {
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const run = async (call: Promise<{ data?: unknown; error?: unknown; response: Response }>, done: (value: T) => boolean) => {
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await answer(call);
      show(await until(read as () => Promise<T>, done));
    } catch (e) {
      setError(e);
      setErrors(fieldErrorsOf(e, '').fields);
    } finally {
      setBusy(false);
    }
  };
  return { error, errors, busy, run };
}

export type Values = Record<string, string | boolean>;

/** The fields of activity a proposal, a registration or an assigned task belongs to (the contract's list). */
export const FIELDS = ['administrative-reform', 'socio-economic', 'party-building', 'security-defence', 'other'] as const;

/** One input of an ActionForm; its label is `<ns>.<name>`, a choice's `options.<name>.<value>` unless `choices` says. */
export interface FieldSpec {
  readonly name: string;
  readonly kind?: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'check' | 'user' | 'unit';
  readonly options?: readonly string[];
  /** The catalogue key of an option's label, `{{v}}` standing for the value. */
  readonly choices?: string;
  /** For 'user': only the users holding this role. */
  readonly role?: string;
  /** The path the server names in its refusal, when it is not the name. */
  readonly path?: string;
  readonly label?: string;
}

/** The field-of-activity choice of a form. */
export const FIELD_SELECT: FieldSpec = { name: 'field', kind: 'select', options: FIELDS, choices: 'fields.{{v}}' };

/** A command's form: its fields from `fields`, its body from `body(values)`. */
export function ActionForm({ id, ns, heading, fields, initial, submit, errors, busy, onSubmit, children }: {
  id: string; ns: string; heading: string; fields: readonly FieldSpec[]; initial?: Values; submit: string;
  errors: FieldErrors; busy: boolean; onSubmit: (values: Values) => void; children?: ReactNode;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const start = (): Values => Object.fromEntries(fields.map((f) => [f.name, f.kind === 'check' ? false : f.kind === 'select' ? f.options?.[0] ?? '' : '']));
  const [values, setValues] = useState<Values>(() => ({ ...start(), ...initial }));
  const set = (name: string, value: string | boolean) => setValues((v) => ({ ...v, [name]: value }));
  const input = (f: FieldSpec, key: string) => {
    const value = values[f.name];
    const invalid = errors[f.path ?? f.name] ? true : undefined;
    const common = { id: key, 'aria-invalid': invalid, 'aria-describedby': invalid ? `${key}-error` : undefined };
    switch (f.kind) {
      case 'textarea': return <textarea rows={3} {...common} value={String(value)} onChange={(e) => set(f.name, e.target.value)} />;
      case 'number': return <input type="number" {...common} value={String(value)} onChange={(e) => set(f.name, e.target.value)} />;
      case 'date': return <DateInput id={key} invalid={invalid} value={String(value)} onChange={(day) => set(f.name, day)} />;
      case 'select': return (
        <select {...common} value={String(value)} onChange={(e) => set(f.name, e.target.value)}>
          {f.options?.map((o) => <option key={o} value={o}>{t((f.choices ?? `options.${f.name}.{{v}}`).replace('{{v}}', o))}</option>)}
        </select>
      );
      case 'user': return (
        <select {...common} value={String(value)} onChange={(e) => set(f.name, e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {session.directory?.users.filter((u) => !f.role || u.roles.includes(f.role as never)).map((u) => <option key={u.id} value={u.id}>{`${u.name} · ${u.unit.name}`}</option>)}
        </select>
      );
      case 'unit': return (
        <select {...common} value={String(value)} onChange={(e) => set(f.name, e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {[...new Map(session.directory?.users.map((u) => [u.unit.id, u.unit.name])).entries()].map(([unitId, name]) => <option key={unitId} value={unitId}>{name}</option>)}
        </select>
      );
      default: return <input type="text" {...common} value={String(value)} onChange={(e) => set(f.name, e.target.value)} />;
    }
  };
  return (
    <form className="card action" aria-labelledby={`${id}-heading`} noValidate onSubmit={(e: FormEvent) => { e.preventDefault(); onSubmit(values); }}>
      <h3 id={`${id}-heading`}>{heading}</h3>
      {children}
      <div className="row">
        {fields.map((f) => {
          const key = `${id}-${f.name}`;
          const label = f.label ?? t(`${ns}.${f.name}`);
          return f.kind === 'check' ? (
            <div className="check" key={f.name}>
              <input id={key} type="checkbox" checked={values[f.name] === true} onChange={(e) => set(f.name, e.target.checked)} />
              <label htmlFor={key}>{label}</label>
            </div>
          ) : (
            <Field key={f.name} id={key} label={label} errors={errors[f.path ?? f.name]}>{input(f, key)}</Field>
          );
        })}
      </div>
      <button type="submit" className="primary" disabled={busy}>{submit}</button>
    </form>
  );
}

export type Vote = 'for' | 'against' | 'abstain';
const VOTES: readonly Vote[] = ['for', 'against', 'abstain'];

/** A member's vote: one pressed button among for, against, abstain. */
export function VoteButtons({ mine, onVote }: { mine: Vote | undefined; onVote: (vote: Vote) => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions" role="group" aria-label={t('review.myVote')}>
      <span>{t('review.myVote')}:</span>
      {VOTES.map((vote) => (
        <button key={vote} type="button" aria-pressed={mine === vote} className={mine === vote ? 'primary' : undefined} onClick={() => onVote(vote)}>
          {t(`review.votes.${vote}`)}
        </button>
      ))}
    </div>
  );
}

/** The refusal of the last command, and a note while loading. */
export function Loading({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return <><Problem error={error} /><p>{t('common.loading')}</p></>;
}

const W = 320;
const H = 160;
const PAD = 28;

/** Values over time against a target line (an SVG with its own text equivalent). */
export function LineChart({ label, points, target, format }: { label: string; points: readonly { at: string; value: number }[]; target: number; format: (n: number) => string }) {
  const values = [...points.map((p) => p.value), target];
  const max = Math.max(...values) * 1.15 || 1;
  const x = (i: number) => PAD + (points.length <= 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <line x1={PAD} x2={W - PAD} y1={y(target)} y2={y(target)} className="target" />
      <text x={PAD + 4} y={y(target) + 14} className="axis target-label">{format(target)}</text>
      <line x1={PAD} x2={PAD} y1={PAD / 2} y2={H - PAD} className="axis-line" />
      <line x1={PAD} x2={W - PAD} y1={H - PAD} y2={H - PAD} className="axis-line" />
      <polyline points={points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')} className="series" />
      {points.map((p, i) => (
        <g key={i}>
          <circle cx={x(i)} cy={y(p.value)} r={4} className="point" />
          <text x={x(i)} y={y(p.value) - 8} textAnchor="middle" className="axis">{format(p.value)}</text>
        </g>
      ))}
    </svg>
  );
}

/** Counts as horizontal bars, each under its label, so a phone shows them at a readable size (an SVG with its own text equivalent). */
export function BarChart({ label, bars, format }: { label: string; bars: readonly { label: string; value: number }[]; format: (n: number) => string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 40;
  const width = (value: number) => Math.max(1, (value / max) * W * 0.8);
  return (
    <svg className="chart bars" viewBox={`0 0 ${W} ${bars.length * row + 4}`} role="img" aria-label={label}>
      {bars.map((b, i) => (
        <g key={b.label} transform={`translate(0 ${i * row + 2})`}>
          <text x={0} y={13} className="axis">{b.label}</text>
          <rect x={0} y={18} height={16} width={width(b.value)} className="bar" />
          <text x={width(b.value) + 6} y={31} className="axis">{format(b.value)}</text>
        </g>
      ))}
    </svg>
  );
}

/** The head's tally, closing the meeting with a quorum when not every member has voted (D73-8.1b). */
export function TallyButton({ onTally, busy }: { onTally: (closeMeeting: boolean) => void; busy: boolean }) {
  const { t } = useTranslation();
  const [close, setClose] = useState(false);
  return (
    <div className="actions">
      <div className="check">
        <input id="tally-close" type="checkbox" checked={close} onChange={(e) => setClose(e.target.checked)} />
        <label htmlFor="tally-close">{t('review.closeMeeting')}</label>
      </div>
      <button type="button" disabled={busy} onClick={() => onTally(close)}>{t('review.tally')}</button>
    </div>
  );
}

/**
 * A record about one proposal (its pilot, evaluation or recognition: `/api/v1/<resource>/<id>`):
 * the record, its history (read again when the record changes), the proposal's title, and
 * `issue(command, body)`, which posts `/<resource>/<id>/<command>` and reads until the record changed.
 */
export function useProposalRecord<T extends { readonly lastChangedAt: string }>(resource: 'pilots' | 'evaluations' | 'recognitions', proposalId: string) {
  const session = useSession();
  const path = { params: { path: { proposalId } } };
  const url = `/api/v1/${resource}/{proposalId}` as '/api/v1/pilots/{proposalId}';
  const read = () => answer<T>(api.GET(url, path));
  const record = useLoad<T>(read, [proposalId, session.role]);
  const history = useLoad<PayloadEvent[]>(() => answer(api.GET(`${url}/history` as '/api/v1/pilots/{proposalId}/history', path)), [proposalId, record.data?.lastChangedAt]);
  const proposal = useLoad<ProposalView>(() => answer(api.GET('/api/v1/proposals/{id}', { params: { path: { id: proposalId } } })), [proposalId]);
  const commands = useCommands<T>(read, record.setData);
  const issue = (command: string, body: unknown, done?: (next: T) => boolean) => {
    const before = record.data?.lastChangedAt;
    return commands.run(api.POST(`${url}/${command}` as '/api/v1/pilots/{proposalId}/start', { ...path, body: body as never }), done ?? ((next) => next.lastChangedAt !== before));
  };
  return { record, history: history.data ?? [], title: proposal.data?.title ?? proposalId.slice(0, 8), commands, issue, ...usePage() };
}

/** What every page reads: the translations, the formats, the session and who the caller is. */
export function usePage() {
  const { t } = useTranslation();
  const session = useSession();
  return { t, format: useFormat(), session, me: session.user?.id ?? '' };
}

/** The head of a record's page: its title and status, what qualifies it, the last refusal and the links to the records beside it. */
export function RecordHead({ id, title, status, error, links, children }: { id: string; title: string; status: string; error: unknown; links: readonly [string, string][]; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="page-head">
        <h1 id={id}>{title}</h1>
        <Status status={status} />
      </div>
      {children && <p className="muted">{children}</p>}
      <Problem error={error} />
      <div className="actions">
        {links.map(([key, href]) => <a key={key} href={href}>{t(`links.${key}`)}</a>)}
      </div>
    </>
  );
}
