import type { Role } from '@dotpha/org';
import { type Caller, type Disclosure, disclosureTo } from '@dotpha/service-runtime';
import type {
  AnswerView, AssessmentView, CollectiveVoteView, ConsultationView, EvaluationView, LiabilityView, ReferralView,
} from './read-models';

/** The body that evaluates holds a full-record right over the evaluations it may read. */
const EVALUATION_DECIDER_ROLES: readonly Role[] = ['evaluator'];

/**
 * The rule of disclosure (@dotpha/service-runtime disclosure.ts) on an evaluation: the free text
 * that judges a person (DOMAIN.md §5, the events' `restricted` fields) is read in clear by the
 * people it is about (the cadre and whom the plan protects: co-proposers, implementers, the
 * approving head), by the collective that votes on the assessment, by the evaluator, and by the
 * inspector and the organisation office; redacted for everyone else who may read it.
 */
export function evaluationDisclosure(caller: Caller, view: Pick<EvaluationView, 'proposerId'> & Partial<Pick<EvaluationView, 'people' | 'collectiveVote'>>): Disclosure {
  const people = view.people ?? null;
  const vote = view.collectiveVote ?? null;
  return disclosureTo(caller, {
    people: [view.proposerId, ...(people ? [...people.coProposerIds, ...people.implementerIds, people.approvingHeadId] : [])],
    deciders: vote ? [vote.headId, ...vote.memberIds] : [],
    deciderRoles: EVALUATION_DECIDER_ROLES,
  });
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

/** The view fields that come from restricted event fields (summary, assessment, causes, answer, reasons, description). */
export const EVALUATION_RESTRICTED_VIEW_FIELDS = [
  'consultations[].summary', 'collectiveVote.text', 'collectiveVote.causes', 'assessment.text', 'assessment.causes', 'answer.text',
  'liability.reasons', 'referrals[].description',
];
