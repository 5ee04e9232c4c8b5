import { type DomainEvent, assertNever, projection } from '@dotpha/kernel';
import { type CadreRecordEvent, type RecognitionEvent, peopleFrom } from '@dotpha/rewards-domain';
import {
  type CadreRecordView, type InspectionCaseFactsView, type ProposalFactsView, type RecognitionBarView, type RecognitionReferralView,
  type RecognitionView, emptyCadreRecord, emptyProposalFacts,
} from '../application/read-models';

function barOf(referrals: readonly RecognitionReferralView[]): RecognitionBarView | null {
  const inForce = referrals.filter((r) => r.finding !== 'dismissed');
  const [first] = inForce;
  if (!first) return null;
  return {
    grounds: [...new Set(inForce.flatMap((r) => r.grounds))],
    referredAt: first.referredAt,
    afterGrant: inForce.some((r) => r.afterGrant),
    barredAt: first.barredAt,
    final: inForce.some((r) => r.finding === 'substantiated'),
    caseIds: inForce.map((r) => r.caseId),
  };
}

const RECOGNITION_EVENTS: readonly RecognitionEvent['type'][] = [
  'RecognitionRecommended', 'RecognitionBarred', 'RecognitionBarLifted', 'RecognitionBarConfirmed', 'RecognitionGranted', 'RecognitionDeclined', 'ReplicationRecommended', 'InstitutionalizationProposed',
];

export const recognitionsProjection = projection<RecognitionView, RecognitionEvent>({
  name: 'recognitions',
  collection: 'recognitions',
  canHandle: RECOGNITION_EVENTS,
  key: (e) => e.data.proposalId,
  apply: (current, e) => {
    const base: RecognitionView = current ?? {
      proposalId: e.data.proposalId, proposerId: '', proposerUnitId: '', status: 'none', outcome: null, notable: null, praiseOnly: false, people: null, recommendedAt: null,
      barred: null, referrals: [], grant: null, decline: null, replications: [], institutionalizations: [], lastChangedAt: e.occurredAt,
    };
    const next = { ...base, referrals: base.referrals ?? [], lastChangedAt: e.occurredAt };
    switch (e.type) {
      case 'RecognitionRecommended': {
        const { proposerId, proposerUnitId, outcome, notable, people, recommendedAt } = e.data;
        return { ...next, proposerId, proposerUnitId, status: 'recommended', outcome, notable, praiseOnly: outcome !== 'achieved', people, recommendedAt };
      }
      case 'RecognitionBarred': {
        const { proposerId, proposerUnitId, referralId, caseId, grounds, referredAt, afterGrant, barredAt } = e.data;
        const referrals = [...next.referrals, { referralId, caseId, grounds, referredAt, afterGrant, barredAt, finding: null, foundAt: null }];
        return { ...next, proposerId: base.proposerId || proposerId, proposerUnitId: base.proposerUnitId || proposerUnitId, referrals, barred: barOf(referrals) };
      }
      case 'RecognitionBarLifted':
      case 'RecognitionBarConfirmed': {
        const { referralId, caseId, finding, foundAt } = e.data;
        // The bar the finding ends: the referral it names, or (null) the earliest open bar recorded before C14-2.4e.
        const ended = next.referrals.find((r) => r.finding === null && (referralId === null ? r.referralId === null : r.referralId === referralId));
        const referrals = next.referrals.map((r) => (r === ended ? { ...r, caseId, finding, foundAt } : r));
        return { ...next, referrals, barred: barOf(referrals) };
      }
      case 'RecognitionGranted': {
        const { awards, proportionality, grantedBy, grantedAt, people } = e.data;
        return { ...next, status: 'granted', people, grant: { awards, proportionality, grantedBy, grantedAt } };
      }
      case 'RecognitionDeclined': {
        const { reasons, declinedBy, declinedAt } = e.data;
        return { ...next, status: 'declined', decline: { reasons, declinedBy, declinedAt } };
      }
      case 'ReplicationRecommended': {
        const { proposalId: _, ...replication } = e.data;
        return { ...next, replications: [...base.replications, replication] };
      }
      case 'InstitutionalizationProposed': {
        const { proposalId: _, ...institutionalization } = e.data;
        return { ...next, institutionalizations: [...base.institutionalizations, institutionalization] };
      }
      default:
        return assertNever(e, 'recognition event');
    }
  },
});

const PROPOSAL_FACT_EVENTS = [
  'ProposalSubmitted', 'ReviewOpened', 'ReviewEscalated', 'RevisionRequested', 'ProposalRejected', 'ProposalApproved', 'ReviewClosed',
  'PilotCompleted', 'PilotTerminated', 'EvaluationOpened', 'ResultsReported', 'OutcomeAssessed', 'LiabilityDecided', 'EvaluationClosed',
] as const;

type Data = Readonly<Record<string, unknown>>;
/** Another context's event, read field by field. */
type Foreign<T extends string> = DomainEvent<T, Data>;
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

/** Payloads are read field by field: the upstream contexts add versions, rewards only counts. */
export const proposalFactsProjection = projection<ProposalFactsView, Foreign<(typeof PROPOSAL_FACT_EVENTS)[number]>>({
  name: 'proposal-facts',
  collection: 'proposal-facts',
  canHandle: PROPOSAL_FACT_EVENTS,
  key: (e) => text(e.data['proposalId']) ?? undefined,
  apply: (current, e) => {
    const d = e.data;
    const base = current ?? emptyProposalFacts(String(d['proposalId']));
    const next: ProposalFactsView = {
      ...base,
      unitId: base.unitId ?? text(d['proposerUnitId']),
      proposerId: base.proposerId ?? text(d['proposerId']),
    };
    const headOf = (routing: Data) => texts([routing['headId']]);
    switch (e.type) {
      case 'ProposalSubmitted':
        // A proposal counts as submitted once, when first submitted; a revision keeps the date.
        return { ...next, title: text(d['title']), field: text(d['field']), submittedAt: base.submittedAt ?? text(d['submittedAt']) };
      case 'ReviewOpened':
      case 'ReviewEscalated':
        return { ...next, openReview: text(d['dueBy']) ? { dueBy: String(d['dueBy']), responsibleIds: headOf(d), round: Number(d['round']) || null } : null };
      case 'RevisionRequested':
      case 'ReviewClosed':
        return { ...next, openReview: null };
      case 'ProposalRejected':
        return { ...next, openReview: null, rejectedAt: text(d['rejectedAt']) ?? e.occurredAt };
      case 'ProposalApproved': {
        const decision = d['decision'] === 'pilot' ? 'pilot' : 'implementation';
        const headId = text((d['decidedBy'] as Data | undefined)?.['headId']);
        return { ...next, openReview: null, approved: { decision, at: text(d['decidedAt']) ?? e.occurredAt }, approvingHeadId: headId ?? base.approvingHeadId };
      }
      case 'PilotCompleted':
      case 'PilotTerminated':
        return { ...next, pilotEnd: { ending: e.type === 'PilotCompleted' ? 'completed' : 'terminated', at: text(d['endedAt']) ?? e.occurredAt } };
      case 'EvaluationOpened': {
        const people = peopleFrom(d['people'], String(d['proposerId'] ?? ''));
        const reporters = texts([d['proposerId']]);
        const approvingHeadId = people.approvingHeadId ?? base.approvingHeadId;
        return {
          ...next,
          approvingHeadId,
          openResultsReport: text(d['reportDueBy']) ? { dueBy: String(d['reportDueBy']), responsibleIds: reporters, round: null } : null,
          openEvaluation: text(d['evaluationDueBy']) ? { dueBy: String(d['evaluationDueBy']), responsibleIds: texts([approvingHeadId]), round: null } : null,
        };
      }
      case 'ResultsReported': {
        // Since TZ-working-days the evaluation is due 7 working days after RECEIVING the report.
        const due = text(d['evaluationDueBy']);
        const evaluation = base.openEvaluation ?? (due ? { dueBy: due, responsibleIds: texts([base.approvingHeadId]), round: null } : null);
        return { ...next, openResultsReport: null, openEvaluation: evaluation && due ? { ...evaluation, dueBy: due } : evaluation };
      }
      case 'OutcomeAssessed': {
        const outcome = d['outcome'] as 'achieved' | 'partially-achieved' | 'not-achieved';
        return { ...next, openResultsReport: null, openEvaluation: null, outcome: { outcome, at: text(d['assessedAt']) ?? e.occurredAt } };
      }
      case 'LiabilityDecided':
        return { ...next, liabilities: [...base.liabilities, { liability: String(d['liability']), at: text(d['decidedAt']) ?? e.occurredAt }] };
      case 'EvaluationClosed':
        return { ...next, openResultsReport: null, openEvaluation: null };
      default:
        return next;
    }
  },
});

export const inspectionCasesProjection = projection<InspectionCaseFactsView, Foreign<'InspectionCaseOpened' | 'InspectionFindingRecorded'>>({
  name: 'inspection-cases',
  collection: 'inspection-cases',
  canHandle: ['InspectionCaseOpened', 'InspectionFindingRecorded'],
  key: (e) => text(e.data['caseId']) ?? undefined,
  apply: (current, e) => {
    const d = e.data;
    const base: InspectionCaseFactsView = current ?? {
      caseId: String(d['caseId']), kind: 'unknown', unitId: null, proposalId: null, subjectIds: [], openedAt: e.occurredAt, finding: null,
    };
    if (e.type === 'InspectionCaseOpened') {
      return {
        ...base, kind: String(d['kind']), unitId: text(d['unitId']), proposalId: text(d['proposalId']), subjectIds: texts(d['subjectIds']),
        openedAt: text(d['openedAt']) ?? e.occurredAt,
      };
    }
    return { ...base, finding: { finding: String(d['finding']), at: text(d['recordedAt']) ?? e.occurredAt } };
  },
});

export const cadreRecordsProjection = projection<CadreRecordView, CadreRecordEvent>({
  name: 'cadre-records',
  collection: 'cadre-records',
  canHandle: ['LiabilityRecorded', 'AbuseReferralRecorded', 'AbuseReferralFindingRecorded', 'RecognitionRecorded'],
  key: (e) => e.data.userId,
  apply: (current, e) => {
    const { userId, proposalId, proposerUnitId, unitId, as, recordedAt } = e.data;
    const base = current ?? emptyCadreRecord(userId);
    const next = {
      ...base,
      unitIds: base.unitIds.includes(unitId) ? base.unitIds : [...base.unitIds, unitId],
      lastChangedAt: e.occurredAt,
    };
    const entry = { proposalId, proposerUnitId, unitId, as, recordedAt };
    switch (e.type) {
      case 'LiabilityRecorded':
        return { ...next, liabilities: [...base.liabilities, { ...entry, liability: e.data.liability, decidedAt: e.data.decidedAt }] };
      case 'AbuseReferralRecorded': {
        const { referralId, caseId, grounds, referredAt } = e.data;
        return { ...next, abuseReferrals: [...base.abuseReferrals, { ...entry, referralId, caseId, grounds, referredAt, finding: null, foundAt: null }] };
      }
      case 'AbuseReferralFindingRecorded': {
        const { referralId, referredAt, caseId, finding, foundAt } = e.data;
        const answers = (r: CadreRecordView['abuseReferrals'][number]) =>
          r.proposalId === proposalId && r.finding === null && (referralId === null ? r.referralId === null && r.referredAt === referredAt : r.referralId === referralId);
        const target = base.abuseReferrals.find(answers);
        return { ...next, abuseReferrals: base.abuseReferrals.map((r) => (r === target ? { ...r, caseId, finding, foundAt } : r)) };
      }
      case 'RecognitionRecorded': {
        const { awards, grantedAt } = e.data;
        const points = awards.bonusPoints ?? 0;
        const year = grantedAt.slice(0, 4);
        return {
          ...next,
          recognitions: [...base.recognitions, { ...entry, awards, grantedAt }],
          totalBonusPoints: base.totalBonusPoints + points,
          bonusPointsByYear: points ? { ...base.bonusPointsByYear, [year]: (base.bonusPointsByYear[year] ?? 0) + points } : base.bonusPointsByYear,
        };
      }
      default:
        return assertNever(e, 'cadre record event');
    }
  },
});
