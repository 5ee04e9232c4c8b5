import { type DomainEvent, assertNever, projection } from '@dotpha/kernel';
import type { EvaluationEvent, InspectionCaseEvent } from '@dotpha/evaluation-domain';
import type { EvaluationView, InspectionCaseView, ProposalSubjectView, ReferralView, TallyView } from '../application/read-models';

function created(subject: { proposalId: string; proposerId: string; proposerUnitId: string }, at: string): EvaluationView {
  return {
    proposalId: subject.proposalId,
    proposerId: subject.proposerId,
    proposerUnitId: subject.proposerUnitId,
    status: 'none',
    pilot: null,
    people: null,
    openedAt: null,
    reportDueBy: null,
    evaluationDueBy: null,
    partyCommitteeConsultationRequired: false,
    results: null,
    consultations: [],
    collectiveVote: null,
    tallies: [],
    assessment: null,
    answer: null,
    liability: null,
    liabilityToBeRedecided: false,
    referrals: [],
    openCaseIds: [],
    abuseSubstantiated: false,
    closedAt: null,
    lastChangedAt: at,
  };
}

/** What follows from the referrals and the decision, recomputed whenever either changes. */
function withReferrals(view: EvaluationView, referrals: readonly ReferralView[]): EvaluationView {
  const abuseSubstantiated = referrals.some((r) => r.finding === 'substantiated');
  return {
    ...view,
    referrals,
    openCaseIds: referrals.filter((r) => r.finding === null).map((r) => r.caseId),
    abuseSubstantiated,
    liabilityToBeRedecided: view.liability !== null && view.liability.decision !== 'upheld' && abuseSubstantiated,
  };
}

export const evaluationsProjection = projection<EvaluationView, EvaluationEvent>({
  name: 'evaluations',
  collection: 'evaluations',
  canHandle: [
    'EvaluationOpened', 'ResultsReported', 'EvaluationPartyCommitteeConsulted', 'AssessmentProposed', 'EvaluationVoteRecorded',
    'EvaluationVoteTallied', 'OutcomeAssessed', 'AssessmentAnswered', 'LiabilityDecided', 'AbuseReferred', 'ReferralFindingRecorded',
    'EvaluationClosed',
  ],
  key: (e) => e.data.proposalId,
  apply: (current, e) => {
    const at = e.occurredAt;
    if (e.type === 'EvaluationOpened' || e.type === 'AbuseReferred') current ??= created(e.data, at);
    // Every stream starts with one of the two above, and a stream's events arrive in order.
    if (!current) throw new Error(`${e.type} of evaluation '${e.data.proposalId}' before it was opened`);
    const view = { ...current, lastChangedAt: at };
    switch (e.type) {
      case 'EvaluationOpened': {
        const d = e.data;
        return {
          ...view, status: 'open', pilot: d.pilot, people: d.people, openedAt: d.openedAt, reportDueBy: d.reportDueBy, evaluationDueBy: d.evaluationDueBy,
          partyCommitteeConsultationRequired: d.partyCommitteeConsultationRequired,
        };
      }
      case 'ResultsReported': {
        const { reportedBy, attachmentIds, late, reportedAt, evaluationDueBy } = e.data;
        return {
          ...view, status: 'results-reported', results: { reportedBy, attachmentIds, late, reportedAt },
          evaluationDueBy: evaluationDueBy ?? view.evaluationDueBy,
        };
      }
      case 'EvaluationPartyCommitteeConsulted': {
        const { committeeUnitId, opinion, summary, consultedBy, consultedAt } = e.data;
        return { ...view, consultations: [...view.consultations, { committeeUnitId, opinion, summary, consultedBy, consultedAt }] };
      }
      case 'AssessmentProposed': {
        const { round, collective, proposedBy, proposedAt, outcome, notable, damage, causes, motive, assessment } = e.data;
        return {
          ...view,
          collectiveVote: { round, ...collective, votes: {}, proposedBy, proposedAt, outcome, notable, damage, causes, motive, text: assessment },
        };
      }
      case 'EvaluationVoteRecorded': {
        const vote = view.collectiveVote;
        if (!vote || vote.round !== e.data.round) return view;
        return { ...view, collectiveVote: { ...vote, votes: { ...vote.votes, [e.data.voterId]: e.data.vote } } };
      }
      case 'EvaluationVoteTallied': {
        const d = e.data;
        const tally: TallyView = {
          round: d.round, for: d.for, against: d.against, abstain: d.abstain, members: d.members, participated: d.participated, quorum: d.quorum,
          tie: d.tie, headVote: d.headVote, result: d.result, closedMeeting: d.closedMeeting, talliedBy: d.talliedBy, talliedAt: d.talliedAt,
        };
        return { ...view, collectiveVote: null, tallies: [...view.tallies, tally] };
      }
      case 'OutcomeAssessed': {
        const { outcome, notable, damage, causes, motive, assessment, resultsReported, late, assessedBy, assessedAt, round, answerDueBy } = e.data;
        return {
          ...view,
          status: 'assessed',
          collectiveVote: null,
          answer: null,
          assessment: { outcome, notable, damage, causes, motive, text: assessment, resultsReported, late, assessedBy, assessedAt, round, answerDueBy },
        };
      }
      case 'AssessmentAnswered':
        return { ...view, answer: { text: e.data.answer, answeredBy: e.data.cadreId, answeredAt: e.data.answeredAt } };
      case 'LiabilityDecided': {
        const { liability, reasons, decidedBy, decidedAt, legalBasis, protectedPersonIds } = e.data;
        return withReferrals(
          { ...view, status: 'liability-decided', liability: { decision: liability, reasons, decidedBy, decidedAt, legalBasis, protectedPersonIds } },
          view.referrals,
        );
      }
      case 'AbuseReferred': {
        const { referralId, grounds, description, stage, referredBy, referredAt } = e.data;
        const referral: ReferralView = { referralId, caseId: referralId, grounds, description, stage, referredBy, referredAt, finding: null, foundAt: null };
        return withReferrals(view, [...view.referrals, referral]);
      }
      case 'ReferralFindingRecorded': {
        const { referralId, finding, foundAt } = e.data;
        return withReferrals(view, view.referrals.map((r) => (r.referralId === referralId ? { ...r, finding, foundAt } : r)));
      }
      case 'EvaluationClosed':
        return { ...view, status: 'closed', closedAt: e.data.closedAt };
      default:
        return assertNever(e, 'evaluation event');
    }
  },
});

export const inspectionCasesProjection = projection<InspectionCaseView, InspectionCaseEvent>({
  name: 'inspection-cases',
  collection: 'inspection-cases',
  canHandle: ['InspectionCaseOpened', 'InspectionFindingRecorded'],
  key: (e) => e.data.caseId,
  apply: (current, e) => {
    switch (e.type) {
      case 'InspectionCaseOpened': {
        const d = e.data;
        return {
          caseId: d.caseId, kind: d.kind, proposalId: d.proposalId ?? null, subjectIds: d.subjectIds, unitId: d.unitId, grounds: d.grounds,
          description: d.description, reporterId: d.reporterId, status: 'open', openedAt: d.openedAt, finding: null, reasons: [], recordedBy: null,
          recordedAt: null,
        };
      }
      case 'InspectionFindingRecorded': {
        if (!current) throw new Error(`finding on case '${e.data.caseId}' before it was opened`);
        const { finding, reasons, recordedBy, recordedAt } = e.data;
        return { ...current, status: 'found', finding, reasons, recordedBy, recordedAt };
      }
      default:
        return assertNever(e, 'inspection case event');
    }
  },
});

export const submittedProposalsProjection = projection<ProposalSubjectView, DomainEvent<'ProposalSubmitted', ProposalSubjectView>>({
  name: 'submitted-proposals',
  collection: 'submitted-proposals',
  canHandle: ['ProposalSubmitted'],
  key: (e) => e.data.proposalId,
  apply: (_, e) => {
    const { proposalId, proposerId, proposerUnitId } = e.data;
    return { proposalId, proposerId, proposerUnitId };
  },
});
