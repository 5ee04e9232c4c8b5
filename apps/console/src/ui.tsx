import { Component, type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api/client';

/** Field errors by path (`report.objectives.0.targets.0.unit` → `objectives.0.targets.0.unit`). */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

const EACH = /^((?:[\w-]+\.)*)each value in (\w+)/;
const normalise = (path: string) => path.replace(/\[(\d+)\]/g, '.$1').replace(/^report\./, '');

/**
 * The server's own refusal spread over the form: a 400 lists its validation messages, each
 * starting with the field's path; a 422 of the report names the missing parts (`details.missing`).
 */
export function fieldErrorsOf(error: unknown, requiredText: string): { fields: FieldErrors; general: string } {
  if (!(error instanceof ApiError)) return { fields: {}, general: String((error as Error)?.message ?? error) };
  const fields: Record<string, string[]> = {};
  const add = (path: string, message: string) => (fields[normalise(path)] ??= []).push(message);
  const messages = Array.isArray(error.refusal.message) ? error.refusal.message : [];
  // class-validator names the field first (`plan.scope must…`), or after `each value in` for a list's items.
  for (const message of messages) add(message.replace(EACH, '$1$2').split(' ')[0] ?? '', message);
  for (const missing of error.refusal.details?.missing ?? []) add(missing, `${requiredText} (${error.refusal.details?.clause ?? ''})`);
  return { fields, general: error.message };
}

export function Field({ id, label, errors, children }: { id: string; label: string; errors?: readonly string[]; children: ReactNode }) {
  return (
    <div className={`field${errors?.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {errors?.map((message) => (
        <p key={message} className="field-error" id={`${id}-error`} role="alert">{message}</p>
      ))}
    </div>
  );
}

export function Problem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <p className="banner error" role="alert">{t('common.error', { message: (error as Error)?.message ?? String(error) })}</p>;
}

export function Status({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}` as 'status.draft')}</span>;
}

const DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const pad = (n: string) => n.padStart(2, '0');
/** `YYYY-MM-DD` as dd/MM/yyyy for an input; what the user typed is kept while it is not a whole day. */
const shown = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('/') : iso);

/**
 * A day typed as dd/MM/yyyy whatever the browser's locale (a native date input shows the
 * browser's own order); the value given and taken is the API's `YYYY-MM-DD`. What does not read as
 * a day is passed on as typed, so the server's own refusal shows beside the field.
 */
export function DateInput({ id, value, onChange, invalid }: { id: string; value: string; onChange: (iso: string) => void; invalid?: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState(shown(value));
  useEffect(() => {
    if (value !== (DAY.test(text) ? toIso(text) : text)) setText(shown(value));
  }, [value]);
  return (
    <input id={id} type="text" inputMode="numeric" placeholder={t('common.dayFormat')} autoComplete="off" value={text} aria-invalid={invalid || undefined}
      aria-describedby={invalid ? `${id}-error` : undefined}
      onChange={(e) => {
        setText(e.target.value);
        onChange(DAY.test(e.target.value.trim()) ? toIso(e.target.value.trim()) : e.target.value);
      }} />
  );
}
const toIso = (text: string) => {
  const [, d, m, y] = DAY.exec(text) ?? [];
  return `${y}-${pad(m ?? '')}-${pad(d ?? '')}`;
};

/** A page that fails to render shows the failure instead of leaving the screen blank. */
export class PageBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  render() {
    return this.state.error ? <Problem error={this.state.error} /> : this.props.children;
  }
}

/**
 * Every table of the console: it scrolls sideways inside its own region (focusable, named, so a
 * keyboard scrolls it too) rather than the page; on a phone (under 600 px, styles.css) each row
 * stacks as a card, every cell led by its column's heading (copied into `data-label` here).
 */
export function WideTable({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const wrap = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const table = wrap.current?.querySelector('table');
    if (!table) return;
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
    for (const row of table.querySelectorAll('tbody tr')) [...row.children].forEach((cell, i) => cell.setAttribute('data-label', heads[i] ?? ''));
  });
  return (
    <div ref={wrap} className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table className={className}>{children}</table>
    </div>
  );
}
