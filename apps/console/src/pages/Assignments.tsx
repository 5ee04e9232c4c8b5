import { api } from '../api/client';
import { ActionForm, FIELD_SELECT, type FieldSpec, Loading, type Values, usePage } from '../kit';
import { Pager, usePagedCommands } from '../paging';
import { Problem, WideTable } from '../ui';

/** A breakthrough task a leader assigned (HN67-assign), with the proposals and registrations answering it. */
interface Assignment {
  readonly assignmentId: string;
  readonly title?: string;
  readonly field?: string;
  readonly assignee?: { readonly unitId: string; readonly userId: string | null };
  readonly assignedBy?: string;
  readonly dueDate?: string | null;
  readonly assignedAt?: string;
  readonly proposalIds: readonly string[];
  readonly registrations: readonly unknown[];
}

const ASSIGN: readonly FieldSpec[] = [
  { name: 'title' }, FIELD_SELECT, { name: 'description', kind: 'textarea' },
  { name: 'unitId', kind: 'unit' }, { name: 'userId', kind: 'user' }, { name: 'dueDate', kind: 'date' },
];
const LEADERS = ['unit-head', 'authority', 'city-committee'];

/** Tasks assigned by leaders within their jurisdiction, the latest first, paged by the server; a leader assigns one. */
export function Assignments() {
  const { t, format, session } = usePage();
  const { list, commands, create } = usePagedCommands<Assignment>('/api/v1/assignments', { sort: 'assignedAt', order: 'desc' }, (a) => a.assignmentId);
  if (!list.items) return <Loading error={list.error} />;
  const assign = (v: Values) => {
    const body = {
      title: String(v.title), field: v.field as 'other', description: String(v.description),
      ...(v.unitId ? { unitId: String(v.unitId) } : {}), ...(v.userId ? { userId: String(v.userId) } : {}), ...(v.dueDate ? { dueDate: String(v.dueDate) } : {}),
    };
    void create(api.POST('/api/v1/assignments', { body }));
  };
  return (
    <section aria-labelledby="assignments-title">
      <h1 id="assignments-title">{t('assignments.title')}</h1>
      <Problem error={commands.error} />
      {list.items.length === 0 ? <p>{t('lists.empty')}</p> : (
        <WideTable label={t('assignments.title')}>
          <thead>
            <tr>
              <th scope="col">{t('assignments.form.title')}</th><th scope="col">{t('assignments.assignee')}</th><th scope="col">{t('assignments.assignedBy')}</th>
              <th scope="col">{t('assignments.form.dueDate')}</th><th scope="col">{t('assignments.answers')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((a) => (
              <tr key={a.assignmentId}>
                <td>{a.title ?? a.assignmentId.slice(0, 8)}{a.field && <span className="muted"> · {t(`fields.${a.field}`)}</span>}</td>
                <td>{a.assignee ? [session.unitName(a.assignee.unitId), a.assignee.userId && session.nameOf(a.assignee.userId)].filter(Boolean).join(' · ') : t('common.none')}</td>
                <td>{a.assignedBy ? session.nameOf(a.assignedBy) : t('common.none')}{a.assignedAt && ` · ${format.date(a.assignedAt)}`}</td>
                <td>{a.dueDate ? format.date(a.dueDate) : t('common.none')}</td>
                <td>{t('assignments.answered', { proposals: format.number(a.proposalIds.length), registrations: format.number(a.registrations.length) })}</td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      )}
      <Pager list={list} />
      {session.role !== null && LEADERS.includes(session.role) && (
        <ActionForm id="assign" ns="assignments.form" heading={t('assignments.assign')} fields={ASSIGN} submit={t('assignments.assign')}
          errors={commands.errors} busy={commands.busy} onSubmit={assign} />
      )}
    </section>
  );
}
