import type { Role } from '../api/client';
import type { EvaluationView } from '../api/views';
import { History } from '../History';
import { ActionForm, type FieldSpec, Loading, RecordHead, TallyButton, type Values, VoteButtons, useProposalRecord } from '../kit';
import { NextStep, type Step } from '../next-step';
import { WideTable } from '../ui';

type Command = 'results' | 'consult' | 'assessment' | 'answer' | 'liability' | 'abuse-referrals' | 'close';
const MOTIVES = ['followedApprovedPlan', 'pureMotive', 'commonGood', 'noSelfInterest'] as const;

/** Each command's role (evaluation's commandRoles) and form. */
const COMMANDS: Readonly<Record<Command, { role: Role; fields: readonly FieldSpec[] }>> = {
  results: { role: 'proposer', fields: [{ name: 'report', kind: 'textarea' }] },
  consult: { role: 'evaluator', fields: [{ name: 'committeeUnitId', kind: 'unit' }, { name: 'opinion', kind: 'select', options: ['supports', 'has-reservations', 'objects'] }, { name: 'summary', kind: 'textarea' }] },
  assessment: {
    role: 'evaluator',
    fields: [
      { name: 'outcome', kind: 'select', options: ['achieved', 'partially-achieved', 'not-achieved'] }, { name: 'notable', kind: 'check' },
      { name: 'damageCaused', kind: 'check' }, { name: 'damageEstimate', kind: 'number', path: 'damage.estimate' }, { name: 'damageDescription', kind: 'text', path: 'damage.description' },
      { name: 'cause', kind: 'textarea', path: 'causes.0.description' }, { name: 'causeKind', kind: 'select', options: ['objective', 'subjective'] },
      ...MOTIVES.map((name) => ({ name, kind: 'check' as const })),
      { name: 'assessment', kind: 'textarea' },
    ],
  },
  answer: { role: 'proposer', fields: [{ name: 'answer', kind: 'textarea' }] },
  liability: { role: 'evaluator', fields: [{ name: 'liability', kind: 'select', options: ['none', 'excluded', 'exempted', 'reduced', 'upheld'] }, { name: 'reason', kind: 'textarea', path: 'reasons' }] },
  'abuse-referrals': { role: 'evaluator', fields: [{ name: 'ground', kind: 'select', options: ['self-interest', 'corruption', 'negativity', 'discipline-violation'], path: 'grounds' }, { name: 'description', kind: 'textarea' }] },
  close: { role: 'evaluator', fields: [] },
};

/** The body of a command from its form's values; the values themselves otherwise. */
const BODIES: Readonly<Partial<Record<Command, (v: Values) => unknown>>> = {
  assessment: (v) => ({
    outcome: v.outcome, notable: v.notable, assessment: v.assessment,
    damage: v.damageCaused ? { caused: true, estimate: v.damageEstimate === '' ? undefined : Number(v.damageEstimate), description: v.damageDescription || undefined } : { caused: false },
    causes: v.cause ? [{ description: v.cause, kind: v.causeKind }] : [],
    motive: Object.fromEntries(MOTIVES.map((m) => [m, v[m] === true])),
  }),
  liability: (v) => ({ liability: v.liability, reasons: [v.reason] }),
  'abuse-referrals': (v) => ({ grounds: [v.ground], description: v.description }),
  close: () => undefined,
};

/** The evaluation: results, the party committee, the draft assessment and the collective's vote, the cadre's answer, liability. */
export function Evaluation({ proposalId }: { proposalId: string }) {
  const { record: evaluation, history, title, commands, issue: post, t, format, session, me } = useProposalRecord<EvaluationView>('evaluations', proposalId);
  const e = evaluation.data;
  if (!e) return <Loading error={evaluation.error} />;
  const issue = (c: Command, values: Values = {}) => void post(c, (BODIES[c] ?? ((v: Values) => v))(values));
  const vote = e.collectiveVote;
  const tally = e.tallies.at(-1);
  const mayVote = vote && !tally && vote.memberIds.includes(me) && (session.role === 'collective' || session.role === 'unit-head');
  const mayTally = vote && !tally && vote.headId === me && session.role === 'unit-head';
  const findings = e.assessment ?? vote;
  const closed = e.status === 'closed';
  const next = nextStep(e);
  const shown = (c: Command) => !closed && session.role === COMMANDS[c].role && (COMMANDS[c].role !== 'proposer' || e.proposerId === me)
    && (c !== 'results' || !e.results) && (c !== 'answer' || (!!e.assessment && !e.answer)) && (c !== 'liability' || (!!e.assessment && !e.liability))
    && (c !== 'assessment' || (!e.assessment && !vote)) && (c !== 'close' || !!e.liability)
    && (c !== 'consult' || e.consultations.length === 0);

  return (
    <section aria-labelledby="evaluation-title">
      <RecordHead id="evaluation-title" title={t('evaluation.title', { title })} status={`evaluation-${e.status}`} error={commands.error}
        links={[['pilot', `#/pilots/${proposalId}`], ['recognition', `#/recognitions/${proposalId}`], ['audit', `#/audit/evaluation-${proposalId}`]]}>
        {e.reportDueBy && t('evaluation.reportDue', { date: format.date(e.reportDueBy) })}
        {e.evaluationDueBy && <> · {t('evaluation.evaluationDue', { date: format.date(e.evaluationDueBy) })}</>}
      </RecordHead>
      <dl className="report card">
        <div><dt>{t('evaluation.results')}</dt><dd>{e.results ? t('evaluation.reportedOn', { date: format.date(e.results.reportedAt) }) : t('common.none')}</dd></div>
        {e.consultations.map((c) => (
          <div key={c.consultedAt}><dt>{t('evaluation.consulted', { unit: session.unitName(c.committeeUnitId) })}</dt><dd>{t(`options.opinion.${c.opinion}`)}: {c.summary}</dd></div>
        ))}
        {findings && (
          <>
            <div><dt>{t('evaluation.outcome')}</dt><dd>{t(`options.outcome.${findings.outcome}`)}{findings.notable && ` · ${t('evaluation.notable')}`}</dd></div>
            <div><dt>{t('evaluation.causes')}</dt><dd>{findings.causes?.map((c) => `${t(`options.causeKind.${c.kind}`)}: ${c.description}`).join('; ') || t('common.none')}</dd></div>
            <div><dt>{t('evaluation.motives')}</dt><dd>{findings.motive ? MOTIVES.map((m) => `${t(`evaluation.${m}`)}: ${t(findings.motive?.[m] ? 'common.yes' : 'common.no')}`).join(' · ') : t('common.none')}</dd></div>
            <div><dt>{t('evaluation.damage')}</dt><dd>{findings.damage?.caused ? `${format.vnd(findings.damage.estimate ?? 0)} ${findings.damage.description ?? ''}` : t(findings.damage ? 'common.no' : 'common.none')}</dd></div>
            <div><dt>{t('evaluation.assessment')}</dt><dd>{findings.text ?? t('common.none')}</dd></div>
          </>
        )}
        {e.answer && <div><dt>{t('evaluation.answered', { date: format.date(e.answer.answeredAt) })}</dt><dd>{e.answer.text ?? t('common.none')}</dd></div>}
        {e.liability && <div><dt>{t('evaluation.liabilityDecided', { date: format.date(e.liability.decidedAt) })}</dt><dd>{t(`options.liability.${e.liability.decision}`)}: {e.liability.reasons?.join('; ')}</dd></div>}
        {e.referrals.map((r) => (
          <div key={r.caseId}><dt>{t('evaluation.referral')}</dt><dd><a href={`#/inspection/${r.caseId}`}>{r.grounds.map((g) => t(`options.ground.${g}`)).join(', ')}</a> · {r.finding ? t(`options.finding.${r.finding}`) : t('status.open')}</dd></div>
        ))}
      </dl>

      {vote && (
        <div className="card">
          <h2>{t('evaluation.voteHeading')}</h2>
          <WideTable label={t('evaluation.voteHeading')}>
              <thead><tr><th scope="col">{t('review.members')}</th><th scope="col">{t('review.vote')}</th></tr></thead>
              <tbody>
                {vote.memberIds.map((m) => <tr key={m}><td>{session.nameOf(m)}</td><td>{vote.votes[m] ? t(`review.votes.${vote.votes[m]}`) : t('review.notVoted')}</td></tr>)}
              </tbody>
          </WideTable>
          {mayVote && <VoteButtons mine={vote.votes[me]} onVote={(v) => void post('votes', { vote: v }, (n) => n.collectiveVote?.votes[me] === v)} />}
          {mayTally && <TallyButton busy={commands.busy} onTally={(closeMeeting) => void post('tally', { closeMeeting }, (n) => n.tallies.length > e.tallies.length)} />}
        </div>
      )}
      {tally && <p><strong>{t('review.tallied', { for: format.number(tally.for), members: format.number(tally.members), result: t(`review.results.${tally.result}`) })}</strong></p>}

      {next && <NextStep step={next[0]} people={next[1]} />}
      {(Object.keys(COMMANDS) as Command[]).filter(shown).map((c) => (
        <ActionForm key={c} id={`evaluation-${c}`} ns="evaluation" heading={t(`evaluation.commands.${c}`)} fields={COMMANDS[c].fields} submit={t(`evaluation.commands.${c}`)}
          errors={commands.errors} busy={commands.busy} onSubmit={(v) => issue(c, v)}  />
      ))}
      <History events={history} />
    </section>
  );
}

/** What the evaluation waits for, and who: results, the draft and its vote, the cadre's answer, liability, then recognition. */
function nextStep(e: EvaluationView): readonly [Step, readonly string[]] | null {
  if (e.status === 'open') return ['evaluation.results', [e.proposerId]];
  const vote = e.collectiveVote;
  if (vote && e.tallies.length === 0) {
    const waiting = vote.memberIds.filter((m) => !vote.votes[m]);
    return waiting.length ? ['evaluation.vote', waiting] : ['evaluation.tally', [vote.headId]];
  }
  if (e.status === 'results-reported') return ['evaluation.assess', []];
  if (e.status === 'assessed') return e.answer ? ['evaluation.liability', []] : ['evaluation.answer', [e.proposerId]];
  const outcome = (e.assessment ?? vote)?.outcome;
  return outcome && outcome !== 'not-achieved' ? ['evaluation.recognition', []] : null;
}
