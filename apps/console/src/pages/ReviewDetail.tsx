import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Schemas, answer, api } from '../api/client';
import type { ProposalView, ReviewView } from '../api/views';
import { useFormat } from '../format';
import { ActionForm, type FieldSpec, TallyButton, VoteButtons } from '../kit';
import { until } from '../router';
import { useSession } from '../session';
import { NextStep, type Step } from '../next-step';
import { DateInput, Field, type FieldErrors, Problem, Status, WideTable, fieldErrorsOf } from '../ui';

type Approval = Schemas['ApproveDto'];
const OVERRIDE: readonly FieldSpec[] = [{ name: 'writtenAuthorization', kind: 'textarea' }];
/** The head's other decisions on an open round, each with its reasons in writing (approvals' commandRoles). */
const DECISIONS = ['request-revision', 'escalate', 'reject'] as const;
const REASONS: readonly FieldSpec[] = [{ name: 'reasons', kind: 'textarea' }];

const today = () => new Date().toISOString().slice(0, 10);

/** One review: consultation, each member's vote, the tally and the head's decision with the plan. */
export function ReviewDetail({ proposalId }: { proposalId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const [review, setReview] = useState<ReviewView | null>(null);
  const [proposal, setProposal] = useState<ProposalView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [opinion, setOpinion] = useState('');
  const [approval, setApproval] = useState<Approval>({
    decision: 'pilot', reasons: '',
    attestation: { notContraryToConstitution: false, notContraryToPartyCharter: false, notContraryToLaw: false },
    plan: { scope: '', startDate: today(), endDate: '', kpis: [{ id: 'k1', name: '', unit: '', target: 0, direction: 'at-least' }], milestones: [{ id: 'm1', name: '', dueDate: '' }], resources: [{ kind: 'funding', description: '' }], supervisorId: '' },
  });
  const path = { params: { path: { proposalId } } };
  const read = () => answer<ReviewView>(api.GET('/api/v1/reviews/{proposalId}', path));
  useEffect(() => {
    read().then(setReview, setError);
    answer<ProposalView>(api.GET('/api/v1/proposals/{id}', { params: { path: { id: proposalId } } })).then(setProposal, () => undefined);
  }, [proposalId, session.role]);

  /** Runs a command, then reads until the review shows it (the read model follows within moments). */
  const command = async (run: () => Promise<unknown>, done: (r: ReviewView) => boolean) => {
    setError(null);
    setErrors({});
    try {
      await run();
      setReview(await until(read, done));
    } catch (e) {
      setError(e);
      setErrors(fieldErrorsOf(e, '').fields);
    }
  };

  if (!review) return <><Problem error={error} /><p>{t('common.loading')}</p></>;
  const me = session.user?.id ?? '';
  const isHead = me === review.headId && session.role === 'unit-head';
  const open = review.status === 'open';
  const decides = open && !review.outcome && (isHead || (review.reviewerIds.includes(me) && session.role === 'authority'));
  // The collective's approval binds the decision (D73-8.1b): then only an escalation is left besides approving.
  const decisions = DECISIONS.filter((d) => d === 'escalate' || (review.tally?.result !== 'approved' && !review.headOverride));
  const next = nextStep(review);
  const isMember = review.collectiveMemberIds.includes(me) && (session.role === 'collective' || session.role === 'unit-head');
  const myVote = review.votes.find((v) => v.memberId === me)?.vote;
  const plan = approval.plan;
  const setPlan = (change: Partial<Approval['plan']>) => setApproval({ ...approval, plan: { ...plan, ...change } });
  const kpi = plan.kpis?.[0] ?? { id: 'k1', name: '', unit: '', target: 0, direction: 'at-least' as const };
  const milestone = plan.milestones?.[0] ?? { id: 'm1', name: '', dueDate: '' };
  const resource = plan.resources?.[0] ?? { kind: 'funding' as const, description: '' };
  const supervisors = session.directory?.users.filter((u) => u.roles.includes('supervisor')) ?? [];
  const approve = (event: FormEvent) => {
    event.preventDefault();
    const body: Approval = { ...approval, plan: { ...plan, endDate: plan.endDate || null, supervisorId: plan.supervisorId || null, milestones: milestone.name ? [milestone] : [], kpis: kpi.name ? [kpi] : [], resources: resource.description ? [resource] : [] } };
    void command(() => answer(api.POST('/api/v1/reviews/{proposalId}/approve', { ...path, body })), (r) => r.status !== 'open');
  };
  const planErr = (key: string) => errors[`plan.${key}`];

  return (
    <section aria-labelledby="review-title">
      <div className="page-head">
        <h1 id="review-title">{t('review.title')}</h1>
        <Status status={review.status} />
      </div>
      <p className={review.overdue ? 'banner error' : 'banner'}>{t('review.due', { date: format.date(review.dueBy) })}</p>
      <Problem error={error} />
      {next && <NextStep step={next[0]} people={next[1]} />}
      {proposal && (
        <div className="card">
          <h2>{t('review.proposal')}: {proposal.title}</h2>
          <p className="muted">{session.nameOf(proposal.proposerId)} · {t(`fields.${proposal.field}`)}</p>
          <p>{proposal.report?.content}</p>
          <a href={`#/proposals/${proposal.proposalId}`}>{t('detail.history')}</a>
        </div>
      )}

      <div className="card">
        <h2>{t('review.consultHeading')}</h2>
        {review.consultation ? (
          <p>{t('review.consulted', { date: format.date(review.consultation.consultedAt), opinion: review.consultation.opinion })}</p>
        ) : isHead && open ? (
          <form onSubmit={(e) => { e.preventDefault(); void command(() => answer(api.POST('/api/v1/reviews/{proposalId}/consult', { ...path, body: { opinion } })), (r) => r.consultation !== null); }}>
            <Field id="r-opinion" label={t('review.opinion')} errors={errors.opinion}>
              <textarea id="r-opinion" rows={2} value={opinion} onChange={(e) => setOpinion(e.target.value)} />
            </Field>
            <button type="submit">{t('review.consult')}</button>
          </form>
        ) : <p className="muted">{t('common.none')}</p>}
      </div>

      <div className="card">
        <h2>{t('review.voteHeading')}</h2>
        <WideTable label={t('review.voteHeading')}>
          <thead><tr><th scope="col">{t('review.members')}</th><th scope="col">{t('review.vote')}</th></tr></thead>
          <tbody>
            {review.collectiveMemberIds.map((m) => {
              const vote = review.votes.find((v) => v.memberId === m)?.vote;
              return <tr key={m}><td>{session.nameOf(m)}</td><td>{vote ? t(`review.votes.${vote}`) : t('review.notVoted')}</td></tr>;
            })}
          </tbody>
        </WideTable>
        {isMember && open && !review.tally && (
          <VoteButtons mine={myVote} onVote={(vote) => void command(() => answer(api.POST('/api/v1/reviews/{proposalId}/votes', { ...path, body: { vote } })), (r) => r.votes.some((v) => v.memberId === me && v.vote === vote))} />
        )}
        {review.tally ? (
          <p><strong>{t('review.tallied', { for: format.number(review.tally.for), members: format.number(review.tally.members), result: t(`review.results.${review.tally.result}`) })}</strong>{review.headOverride && ` ${t('review.overridden')}`}</p>
        ) : isHead && open && (
          <TallyButton busy={false} onTally={(closeMeeting) => void command(() => answer(api.POST('/api/v1/reviews/{proposalId}/tally', { ...path, body: { closeMeeting } })), (r) => r.tally !== null)} />
        )}
      </div>

      <div className="card">
        <h2>{t('review.decideHeading')}</h2>
        {review.outcome ? (
          <p><strong>{t('review.outcome', { decision: review.outcome.decision ? t(`review.decisions.${review.outcome.decision}`) : t(`status.${review.status}`) })}</strong></p>
        ) : isHead && open && review.tally?.result === 'rejected' && !review.headOverride ? (
          <ActionForm id="override" ns="review" heading={t('review.overrideHeading')} fields={OVERRIDE} submit={t('review.override')} errors={errors} busy={false}
            onSubmit={(v) => void command(() => answer(api.POST('/api/v1/reviews/{proposalId}/override', { ...path, body: { writtenAuthorization: String(v.writtenAuthorization) } })), (r) => r.headOverride)} />
        ) : isHead && open && (review.tally?.result === 'approved' || review.headOverride) ? (
          <form onSubmit={approve} noValidate>
            <Field id="a-decision" label={t('review.decision')}>
              <select id="a-decision" value={approval.decision} onChange={(e) => setApproval({ ...approval, decision: e.target.value as Approval['decision'] })}>
                {(['pilot', 'implementation'] as const).map((d) => <option key={d} value={d}>{t(`review.decisions.${d}`)}</option>)}
              </select>
            </Field>
            <Field id="a-reasons" label={t('review.reasons')} errors={errors.reasons}>
              <textarea id="a-reasons" rows={2} value={approval.reasons} onChange={(e) => setApproval({ ...approval, reasons: e.target.value })} />
            </Field>
            <fieldset>
              <legend>{t('review.attestation')}</legend>
              {(['notContraryToConstitution', 'notContraryToPartyCharter', 'notContraryToLaw'] as const).map((k) => (
                <div className="check" key={k}>
                  <input id={`a-${k}`} type="checkbox" checked={approval.attestation[k]} onChange={(e) => setApproval({ ...approval, attestation: { ...approval.attestation, [k]: e.target.checked } })} />
                  <label htmlFor={`a-${k}`}>{t(`review.${k}`)}</label>
                </div>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t('review.plan')}</legend>
              <Field id="a-scope" label={t('review.scope')} errors={planErr('scope')}>
                <input id="a-scope" type="text" value={plan.scope} onChange={(e) => setPlan({ scope: e.target.value })} />
              </Field>
              <div className="row">
                <Field id="a-start" label={t('review.startDate')} errors={planErr('startDate')}>
                  <DateInput id="a-start" value={plan.startDate} onChange={(startDate) => setPlan({ startDate })} />
                </Field>
                <Field id="a-end" label={t('review.endDate')} errors={planErr('endDate')}>
                  <DateInput id="a-end" value={plan.endDate ?? ''} onChange={(endDate) => setPlan({ endDate })} />
                </Field>
              </div>
              <div className="row">
                <Field id="a-kpi-name" label={t('review.kpiName')}><input id="a-kpi-name" type="text" value={kpi.name} onChange={(e) => setPlan({ kpis: [{ ...kpi, name: e.target.value }] })} /></Field>
                <Field id="a-kpi-target" label={t('review.kpiTarget')}><input id="a-kpi-target" type="number" value={kpi.target} onChange={(e) => setPlan({ kpis: [{ ...kpi, target: Number(e.target.value) }] })} /></Field>
                <Field id="a-kpi-unit" label={t('review.kpiUnit')}><input id="a-kpi-unit" type="text" value={kpi.unit} onChange={(e) => setPlan({ kpis: [{ ...kpi, unit: e.target.value }] })} /></Field>
                <Field id="a-kpi-direction" label={t('review.direction')}>
                  <select id="a-kpi-direction" value={kpi.direction} onChange={(e) => setPlan({ kpis: [{ ...kpi, direction: e.target.value as typeof kpi.direction }] })}>
                    {(['at-least', 'at-most'] as const).map((d) => <option key={d} value={d}>{t(`review.directions.${d}`)}</option>)}
                  </select>
                </Field>
              </div>
              <div className="row">
                <Field id="a-ms-name" label={t('review.milestoneName')}><input id="a-ms-name" type="text" value={milestone.name} onChange={(e) => setPlan({ milestones: [{ ...milestone, name: e.target.value }] })} /></Field>
                <Field id="a-ms-due" label={t('review.milestoneDue')}><DateInput id="a-ms-due" value={milestone.dueDate} onChange={(dueDate) => setPlan({ milestones: [{ ...milestone, dueDate }] })} /></Field>
              </div>
              <div className="row">
                <Field id="a-res-kind" label={t('review.resourceKind')}>
                  <select id="a-res-kind" value={resource.kind} onChange={(e) => setPlan({ resources: [{ ...resource, kind: e.target.value as typeof resource.kind }] })}>
                    {(['funding', 'people', 'equipment', 'other'] as const).map((k) => <option key={k} value={k}>{t(`review.resourceKinds.${k}`)}</option>)}
                  </select>
                </Field>
                <Field id="a-res-description" label={t('review.resourceDescription')} errors={planErr('resources')}><input id="a-res-description" type="text" value={resource.description} onChange={(e) => setPlan({ resources: [{ ...resource, description: e.target.value }] })} /></Field>
                <Field id="a-res-amount" label={t('review.amount')}><input id="a-res-amount" type="number" min={0} value={resource.amount ?? ''} onChange={(e) => setPlan({ resources: [{ ...resource, amount: e.target.value === '' ? undefined : Number(e.target.value) }] })} /></Field>
              </div>
              <Field id="a-supervisor" label={t('review.supervisor')}>
                <select id="a-supervisor" value={plan.supervisorId ?? ''} onChange={(e) => setPlan({ supervisorId: e.target.value })}>
                  <option value="">{t('common.none')}</option>
                  {supervisors.map((u) => <option key={u.id} value={u.id}>{`${u.name} · ${u.unit.name}`}</option>)}
                </select>
              </Field>
            </fieldset>
            <button type="submit" className="primary">{t('review.approve')}</button>
          </form>
        ) : <p className="muted">{t('common.none')}</p>}
        {decides && decisions.map((d) => (
          <ActionForm key={d} id={`review-${d}`} ns="review" heading={t(`review.commands.${d}`)} fields={REASONS} submit={t(`review.commands.${d}`)} errors={errors} busy={false}
            onSubmit={(v) => void command(() => answer(api.POST(`/api/v1/reviews/{proposalId}/${d}` as '/api/v1/reviews/{proposalId}/reject', { ...path, body: { reasons: String(v.reasons) } })), (r) => r.status !== 'open')} />
        ))}
      </div>
    </section>
  );
}

/** What the round waits for, and who: the head's consultation, the members' votes, the tally, the decision. */
function nextStep(review: ReviewView): readonly [Step, readonly string[]] | null {
  if (review.status !== 'open') return review.outcome?.decision ? ['proposal.approved', [review.proposerId]] : null;
  if (!review.consultation) return ['review.consult', [review.headId]];
  const voted = new Set(review.votes.map((v) => v.memberId));
  const waiting = review.collectiveMemberIds.filter((m) => !voted.has(m));
  if (!review.tally && waiting.length) return ['review.vote', waiting];
  if (!review.tally) return ['review.tally', [review.headId]];
  return [review.tally.result === 'rejected' && !review.headOverride ? 'review.override' : 'review.decide', [review.headId]];
}
