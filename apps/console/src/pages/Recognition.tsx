import type { CadreRecordView, RecognitionView } from '../api/views';
import { answer, api } from '../api/client';
import { History } from '../History';
import { ActionForm, type FieldSpec, Loading, RecordHead, type Values, useLoad, useProposalRecord } from '../kit';
import { useFormat } from '../format';
import { useTranslation } from 'react-i18next';
import { NextStep } from '../next-step';
import { useSession } from '../session';

type Command = 'grant' | 'decline' | 'replication' | 'institutionalization';
const REACH = ['unit', 'locality', 'province', 'national'];
const FIELDS: Readonly<Record<Command, readonly FieldSpec[]>> = {
  grant: [
    { name: 'level', kind: 'select', options: ['reward', 'praise'], path: 'awards.commendation.level' }, { name: 'form', path: 'awards.commendation.form' },
    { name: 'bonusPoints', kind: 'number', path: 'awards.bonusPoints' },
    { name: 'scale', kind: 'select', options: REACH, choices: 'options.reach.{{v}}', path: 'proportionality.scale' },
    { name: 'effectiveness', kind: 'select', options: ['moderate', 'high', 'outstanding'], path: 'proportionality.effectiveness' },
    { name: 'influence', kind: 'select', options: REACH, choices: 'options.reach.{{v}}', path: 'proportionality.influence' },
    { name: 'justification', kind: 'textarea', path: 'proportionality.justification' },
  ],
  decline: [{ name: 'reason', kind: 'textarea', path: 'reasons' }],
  // C14-2.5a: the periodic review found the model effective; it spreads to a unit (none chosen: the whole instance).
  replication: [{ name: 'targetUnitId', kind: 'unit', path: 'targetUnitIds' }, { name: 'reviewPeriod', path: 'reviewPeriod' }, { name: 'reason', kind: 'textarea', path: 'reasons' }],
  // C14-2.5b: a replicated model proposed as a regulation.
  institutionalization: [
    { name: 'institutionLevel', kind: 'select', options: ['unit', 'local', 'central'], path: 'level' }, { name: 'addressedTo' },
    { name: 'instrument', kind: 'textarea' }, { name: 'reason', kind: 'textarea', path: 'reasons' },
  ],
};
/** The periodic review that found the model effective: this half-year unless changed (2026-H1). */
const INITIAL: Readonly<Partial<Record<Command, Values>>> = { replication: { reviewPeriod: `${new Date().getFullYear()}-H${new Date().getMonth() < 6 ? 1 : 2}` } };
/** Who spreads a model (rewards' commandRoles) and when: a recognised outcome, replicated before it is regulated. */
const SPREAD: Readonly<Record<'replication' | 'institutionalization', { roles: readonly string[]; ready: (r: RecognitionView) => boolean }>> = {
  replication: { roles: ['authority', 'city-committee', 'organization-office'], ready: (r) => r.status !== 'none' },
  institutionalization: { roles: ['authority', 'city-committee'], ready: (r) => r.replications.length > 0 },
};
const BODIES: Readonly<Record<Command, (v: Values) => unknown>> = {
  grant: (v) => ({
    awards: { commendation: v.form ? { level: v.level, form: v.form } : undefined, bonusPoints: v.bonusPoints === '' ? undefined : Number(v.bonusPoints) },
    proportionality: { scale: v.scale, effectiveness: v.effectiveness, influence: v.influence, justification: v.justification },
  }),
  decline: (v) => ({ reasons: [v.reason] }),
  replication: (v) => ({ targetUnitIds: v.targetUnitId ? [v.targetUnitId] : [], reviewPeriod: v.reviewPeriod, reasons: [v.reason] }),
  institutionalization: (v) => ({ level: v.institutionLevel, addressedTo: v.addressedTo, instrument: v.instrument, reasons: [v.reason] }),
};

/** A recognition: recommended from the assessed outcome, granted (awards in proportion) or declined by the organisation office. */
export function Recognition({ proposalId }: { proposalId: string }) {
  const { record, history, title, commands, issue, t, format, session } = useProposalRecord<RecognitionView>('recognitions', proposalId);
  const r = record.data;
  if (!r) return <Loading error={record.error} />;
  const deciding = session.role === 'organization-office' && r.status === 'recommended';
  const spreading = (['replication', 'institutionalization'] as const).filter((c) => session.role && SPREAD[c].roles.includes(session.role) && SPREAD[c].ready(r) && !r.barred);
  const forms: readonly Command[] = [...(deciding ? (['grant', 'decline'] as const) : []), ...spreading];
  return (
    <section aria-labelledby="recognition-title">
      <RecordHead id="recognition-title" title={t('recognition.title', { title })} status={`recognition-${r.status}`} error={commands.error}
        links={[['evaluation', `#/evaluations/${proposalId}`], ['record', `#/cadres/${r.proposerId}`], ['audit', `#/audit/recognition-${proposalId}`]]}>
        {session.nameOf(r.proposerId)}
        {r.outcome && <> · {t(`options.outcome.${r.outcome}`)}</>}
        {r.praiseOnly && <> · {t('recognition.praiseOnly')}</>}
        {r.recommendedAt && <> · {t('recognition.recommendedOn', { date: format.date(r.recommendedAt) })}</>}
      </RecordHead>
      {r.barred && <p className="banner error">{t('recognition.barred')}</p>}
      {r.grant && (
        <p className="card">
          <strong>{t('recognition.granted', { date: format.date(r.grant.grantedAt) })}</strong>{' '}
          {r.grant.awards.commendation && `${r.grant.awards.commendation.form} · `}
          {r.grant.awards.bonusPoints !== undefined && t('recognition.points', { points: format.number(r.grant.awards.bonusPoints) })}
        </p>
      )}
      {r.decline && <p className="card">{t('recognition.declined', { date: format.date(r.decline.declinedAt) })}: {r.decline.reasons.join('; ')}</p>}
      {(r.replications.length > 0 || r.institutionalizations.length > 0) && (
        <>
          <h2>{t('recognition.spread')}</h2>
          <ul className="notices">
            {r.replications.map((x) => (
              <li key={x.replicationId}>
                <strong>{t('recognition.replicated', { date: format.date(x.recommendedAt), period: x.reviewPeriod })}</strong>{' '}
                {x.targetUnitIds.length ? x.targetUnitIds.map(session.unitName).join(', ') : t('recognition.everyUnit')} · {session.nameOf(x.recommendedBy)}
                <p>{x.reasons.join('; ')}</p>
              </li>
            ))}
            {r.institutionalizations.map((x) => (
              <li key={x.institutionalizationId}>
                <strong>{t('recognition.institutionalized', { date: format.date(x.proposedAt), level: t(`options.institutionLevel.${x.level}`) })}</strong>{' '}
                {x.addressedTo} · {session.nameOf(x.proposedBy)}
                <p>{x.instrument}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      {r.status === 'recommended' && <NextStep step="recognition.decide" />}
      {r.status !== 'none' && r.status !== 'recommended' && !r.barred && <NextStep step={r.replications.length ? 'recognition.institutionalize' : 'recognition.replicate'} />}
      {forms.map((c) => (
        <ActionForm key={c} id={`recognition-${c}`} ns="recognition" heading={t(`recognition.commands.${c}`)} fields={FIELDS[c]} submit={t(`recognition.commands.${c}`)} initial={INITIAL[c]}
          errors={commands.errors} busy={commands.busy} onSubmit={(v) => void issue(c, BODIES[c](v))} />
      ))}
      <History events={history} />
    </section>
  );
}

/** A cadre's record: the recognitions and bonus points, and each liability decision about them. */
export function CadreRecord({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const record = useLoad<CadreRecordView>(() => answer(api.GET('/api/v1/cadres/{userId}/record', { params: { path: { userId } } })), [userId, session.role]);
  const c = record.data;
  if (!c) return <Loading error={record.error} />;
  return (
    <section aria-labelledby="record-title">
      <h1 id="record-title">{t('record.title', { name: session.nameOf(userId) })}</h1>
      <p className="banner">{t('record.points', { points: format.number(c.totalBonusPoints) })}</p>
      <h2>{t('record.recognitions')}</h2>
      {c.recognitions.length === 0 ? <p className="muted">{t('common.none')}</p> : (
        <ul className="notices">
          {c.recognitions.map((r) => (
            <li key={r.proposalId}>
              <a href={`#/recognitions/${r.proposalId}`}>{format.date(r.grantedAt)}</a> · {r.awards.commendation?.form ?? ''} {r.awards.bonusPoints !== undefined && t('recognition.points', { points: format.number(r.awards.bonusPoints) })}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('record.liabilities')}</h2>
      {c.liabilities.length === 0 ? <p className="muted">{t('common.none')}</p> : (
        <ul className="notices">
          {c.liabilities.map((l) => <li key={`${l.proposalId}${l.decidedAt}`}><a href={`#/evaluations/${l.proposalId}`}>{format.date(l.decidedAt)}</a> · {t(`options.liability.${l.liability}`)}</li>)}
        </ul>
      )}
    </section>
  );
}
