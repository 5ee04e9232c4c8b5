import type { EventDefinition, RecordedEvent } from '@dotpha/kernel';
import type { Role } from '@dotpha/org';
import type { Caller } from '@dotpha/service-runtime';
import type {
  AnswerView, AssessmentView, CollectiveVoteView, ConsultationView, EvaluationView, LiabilityView, ReferralView,
} from '../infrastructure/projections';

/**
 * Who reads the free text that judges a person (DOMAIN.md §5, the events' `restricted` fields):
 * the bodies that evaluate, inspect and keep cadre records, the operator, and the cadre themself.
 */
const READERS_OF_RESTRICTED: readonly Role[] = ['evaluator', 'inspector', 'organization-office', 'admin'];

export function readsRestricted(caller: Caller, proposerId: string): boolean {
  return READERS_OF_RESTRICTED.includes(caller.role) || caller.user.id === proposerId;
}

/** An evaluation as those who may not read the restricted text see it. */
export interface PublicEvaluationView
  extends Omit<EvaluationView, 'consultations' | 'collectiveVote' | 'assessment' | 'answer' | 'liability' | 'referrals'> {
  readonly consultations: readonly Omit<ConsultationView, 'summary'>[];
  readonly collectiveVote: Omit<CollectiveVoteView, 'text' | 'causes'> | null;
  readonly assessment: Omit<AssessmentView, 'text' | 'causes'> | null;
  readonly answer: Omit<AnswerView, 'text'> | null;
  readonly liability: Omit<LiabilityView, 'reasons'> | null;
  readonly referrals: readonly Omit<ReferralView, 'description'>[];
}

function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key as K))) as Omit<T, K>;
}

/** The view without what the restricted event fields put in it. */
export function withoutRestricted(view: EvaluationView): PublicEvaluationView {
  return {
    ...view,
    consultations: view.consultations.map((c) => omit(c, 'summary')),
    collectiveVote: view.collectiveVote && omit(view.collectiveVote, 'text', 'causes'),
    assessment: view.assessment && omit(view.assessment, 'text', 'causes'),
    answer: view.answer && omit(view.answer, 'text'),
    liability: view.liability && omit(view.liability, 'reasons'),
    referrals: view.referrals.map((r) => omit(r, 'description')),
  };
}

/** An event with its restricted fields left out, saying which: its hash no longer recomputes. */
export function redactedEvent(event: RecordedEvent, definition: EventDefinition): RecordedEvent & { readonly redacted?: readonly string[] } {
  const restricted = (definition.restricted ?? []).filter((field) => field in (event.data as object));
  if (restricted.length === 0) return event;
  return { ...event, data: omit(event.data as Record<string, unknown>, ...restricted), redacted: restricted };
}
