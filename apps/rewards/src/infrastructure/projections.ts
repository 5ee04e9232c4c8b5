import { type DomainEvent, assertNever, projection } from '@dotpha/kernel';
import {
  type AbuseGround, type Awards, type CadreRecordEvent, type InstitutionalizationLevel, type Proportionality, type ProposalPeople,
  type RecognitionEvent, type RecognitionStatus, type RecordedLiability, type ReferralFinding, type StandingInProposal, peopleFrom,
} from '@dotpha/rewards-domain';

/** C14-2.4e: a referral of the proposal, the bar it put on the recognition, and the finding on its case. */
export interface RecognitionReferralView {
  /** Null on bars recorded before C14-2.4e. */
  readonly referralId: string | null;
  readonly caseId: string | null;
  readonly grounds: readonly AbuseGround[];
  readonly referredAt: string;
  readonly afterGrant: boolean;
  readonly barredAt: string;
  /** Null while the inspection case is open: the recognition is suspended. */
  readonly finding: ReferralFinding | null;
  readonly foundAt: string | null;
}

/** The bar in force, from the referrals not dismissed: suspended while a case is open, for good once substantiated. */
export interface RecognitionBarView {
  readonly grounds: readonly AbuseGround[];
  /** The earliest referral in force. */
  readonly referredAt: string;
  readonly afterGrant: boolean;
  readonly barredAt: string;
  /** C14-2.4d: a referral was substantiated; never lifted. */
  readonly final: boolean;
  /** The cases of the referrals in force (null for a bar recorded before C14-2.4e). */
  readonly caseIds: readonly (string | null)[];
}

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

/** A recognition as the organization office, the proposer and the units above them follow it. */
export interface RecognitionView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  /** 'none' when an abuse referral came before any recommendation. */
  readonly status: RecognitionStatus;
  readonly outcome: 'achieved' | 'partially-achieved' | null;
  readonly notable: boolean | null;
  /** D73-10c: a partially achieved outcome may only be praised (biểu dương). */
  readonly praiseOnly: boolean;
  /** D73-10b: everyone the recognition reaches. */
  readonly people: ProposalPeople | null;
  readonly recommendedAt: string | null;
  /** C14-2.4e: null when no referral bars the recognition (none made, or every one dismissed). */
  readonly barred: RecognitionBarView | null;
  /** C14-2.4e: every referral of the proposal, with its finding. */
  readonly referrals: readonly RecognitionReferralView[];
  readonly grant: { readonly awards: Awards; readonly proportionality: Proportionality; readonly grantedBy: string; readonly grantedAt: string } | null;
  readonly decline: { readonly reasons: readonly string[]; readonly declinedBy: string; readonly declinedAt: string } | null;
  readonly replications: readonly {
    readonly replicationId: string;
    readonly targetUnitIds: readonly string[];
    readonly reviewPeriod: string;
    readonly reasons: readonly string[];
    readonly recommendedBy: string;
    readonly recommendedAt: string;
  }[];
  readonly institutionalizations: readonly {
    readonly institutionalizationId: string;
    readonly level: InstitutionalizationLevel;
    readonly addressedTo: string;
    readonly instrument: string;
    readonly reasons: readonly string[];
    readonly proposedBy: string;
    readonly proposedAt: string;
  }[];
  readonly lastChangedAt: string;
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

/** A review step with a due date (HN24-shirk): who must act and by when, while no decision is taken. */
export interface DueStep {
  readonly dueBy: string;
  /** The head who chairs the review (D73-8.1a), or the cadre who must report results. */
  readonly responsibleIds: readonly string[];
  readonly round: number | null;
}

/**
 * What the periodic review (C14-2.5a, C14-2.5d) needs of a proposal: its unit and field, each
 * step of its life cycle with when it happened, and the steps now due (HN24-shirk).
 */
export interface ProposalFactsView {
  readonly proposalId: string;
  readonly title: string | null;
  /** null until the submission reaches rewards: counted under 'unknown'. */
  readonly field: string | null;
  readonly unitId: string | null;
  readonly proposerId: string | null;
  readonly submittedAt: string | null;
  readonly approved: { readonly decision: 'implementation' | 'pilot'; readonly at: string } | null;
  readonly rejectedAt: string | null;
  readonly pilotEnd: { readonly ending: 'completed' | 'terminated'; readonly at: string } | null;
  readonly outcome: { readonly outcome: 'achieved' | 'partially-achieved' | 'not-achieved'; readonly at: string } | null;
  readonly liabilities: readonly { readonly liability: string; readonly at: string }[];
  readonly approvingHeadId: string | null;
  /** The review waiting for a decision; null once decided, closed or never opened. */
  readonly openReview: DueStep | null;
  /** The results report the implementer owes (Decree 73: 5 working days after the end). */
  readonly openResultsReport: DueStep | null;
  /** The evaluation the collective owes (7 working days from receiving the report). */
  readonly openEvaluation: DueStep | null;
}

const PROPOSAL_FACT_EVENTS = [
  'ProposalSubmitted', 'ReviewOpened', 'ReviewEscalated', 'RevisionRequested', 'ProposalRejected', 'ProposalApproved', 'ReviewClosed',
  'PilotCompleted', 'PilotTerminated', 'EvaluationOpened', 'ResultsReported', 'OutcomeAssessed', 'LiabilityDecided', 'EvaluationClosed',
] as const;

type Data = Readonly<Record<string, unknown>>;
/** Another context's event, read field by field. */
type Foreign<T extends string> = DomainEvent<T, Data>;
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

export const emptyProposalFacts = (proposalId: string): ProposalFactsView => ({
  proposalId, title: null, field: null, unitId: null, proposerId: null, submittedAt: null, approved: null, rejectedAt: null, pilotEnd: null,
  outcome: null, liabilities: [], approvingHeadId: null, openReview: null, openResultsReport: null, openEvaluation: null,
});

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

/** D73-6, D73-6b: inspection cases, for the prohibited-act reports counted per unit. */
export interface InspectionCaseFactsView {
  readonly caseId: string;
  readonly kind: string;
  readonly unitId: string | null;
  readonly proposalId: string | null;
  readonly subjectIds: readonly string[];
  readonly openedAt: string;
  readonly finding: { readonly finding: string; readonly at: string } | null;
}

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

interface RecordEntry {
  readonly proposalId: string;
  /** The proposal's unit when the fact arose. */
  readonly proposerUnitId: string;
  /** D73-10b: the cadre's own unit when the fact arose, and how they stand to the proposal. */
  readonly unitId: string;
  readonly as: StandingInProposal;
  readonly recordedAt: string;
}

/** A cadre's record across proposals (DOMAIN.md §4.5–4.6): what protects them and what was found. */
export interface CadreRecordView {
  readonly userId: string;
  /** Every unit the cadre belonged to when a fact of the record arose: the heads above them may read it. */
  readonly unitIds: readonly string[];
  readonly liabilities: readonly (RecordEntry & { readonly liability: RecordedLiability; readonly decidedAt: string })[];
  /** C14-2.4e: each referral with the finding on its inspection case, null while the case is open. */
  readonly abuseReferrals: readonly (RecordEntry & {
    readonly referralId: string | null;
    readonly caseId: string | null;
    readonly grounds: readonly AbuseGround[];
    readonly referredAt: string;
    readonly finding: ReferralFinding | null;
    readonly foundAt: string | null;
  })[];
  readonly recognitions: readonly (RecordEntry & { readonly awards: Awards; readonly grantedAt: string })[];
  readonly totalBonusPoints: number;
  /** HP-points count in the annual evaluation of the year they were granted. */
  readonly bonusPointsByYear: Readonly<Record<string, number>>;
  readonly lastChangedAt: string | null;
}

export const emptyCadreRecord = (userId: string): CadreRecordView => ({
  userId, unitIds: [], liabilities: [], abuseReferrals: [], recognitions: [], totalBonusPoints: 0, bonusPointsByYear: {}, lastChangedAt: null,
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
