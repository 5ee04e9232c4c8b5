// "Who acts next": each record's page says what happens next, in which role and by whom (the
// people holding it, by name), so someone new to the console knows whom to sign in as next.
import type { Role } from './api/client';
import { usePage } from './kit';

/** A step of the walk from draft to recognition: the catalogue's `next.steps.<key>`, and the role that takes it. */
export const STEPS = {
  'proposal.none': 'proposer',
  'proposal.draft': 'proposer',
  'proposal.review': 'unit-head',
  'proposal.revision': 'proposer',
  'proposal.approved': 'proposer',
  'review.consult': 'unit-head',
  'review.vote': 'collective',
  'review.tally': 'unit-head',
  'review.decide': 'unit-head',
  'review.override': 'unit-head',
  'pilot.start': 'proposer',
  'pilot.progress': 'proposer',
  'pilot.complete': 'supervisor',
  'pilot.suspended': 'supervisor',
  'pilot.ended': 'proposer',
  'evaluation.results': 'proposer',
  'evaluation.assess': 'evaluator',
  'evaluation.vote': 'collective',
  'evaluation.tally': 'unit-head',
  'evaluation.answer': 'proposer',
  'evaluation.liability': 'evaluator',
  'evaluation.recognition': 'organization-office',
  'recognition.decide': 'organization-office',
  'recognition.replicate': 'city-committee',
  'recognition.institutionalize': 'city-committee',
} as const satisfies Readonly<Record<string, Role>>;
export type Step = keyof typeof STEPS;

/**
 * What comes next on a record: each step's text, the people who take it (named; everyone holding
 * its role when the record names nobody) and, when that is not the caller, how to act as them.
 */
export function NextStep({ step, people = [] }: { step: Step; people?: readonly string[] }) {
  const { t, session, me } = usePage();
  const role: Role = STEPS[step];
  const holders = people.length ? people : (session.directory?.users.filter((u) => u.roles.includes(role)).map((u) => u.id) ?? []);
  // The head votes among the members in the role of head.
  const mine = holders.includes(me) && (session.role === role || (role === 'collective' && session.role === 'unit-head'));
  const who = holders.map((id) => session.nameOf(id)).join(', ') || t('common.none');
  return (
    <div className="next-step" role="note" aria-label={t('next.label')}>
      <p><strong>{t('next.label')}:</strong> {t(`next.steps.${step}`)}</p>
      <p className="muted">
        {mine ? t('next.you') : t(holders.includes(me) ? 'next.switchRole' : 'next.signInAs', { who, role: t(`roles.${role}`) })}
      </p>
    </div>
  );
}
