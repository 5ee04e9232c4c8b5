import { type Projection, type RecordedEvent, assertNever } from '@dotpha/kernel';
import type { ProposalSubmitted } from '@dotpha/proposals-domain';
import type {
  AbuseGround, Awards, CadreRecordEvent, InstitutionalizationLevel, Proportionality, RecognitionEvent, RecognitionStatus,
  RecordedLiability,
} from '@dotpha/rewards-domain';

/** A recognition as the organization office, the proposer and the units above them follow it. */
export interface RecognitionView {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  /** 'none' when an abuse referral came before any recommendation. */
  readonly status: RecognitionStatus;
  readonly outcome: 'achieved' | 'partially-achieved' | null;
  readonly notable: boolean | null;
  readonly recommendedAt: string | null;
  readonly barred: { readonly grounds: readonly AbuseGround[]; readonly referredAt: string; readonly afterGrant: boolean; readonly barredAt: string } | null;
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
  'RecognitionRecommended', 'RecognitionBarred', 'RecognitionGranted', 'RecognitionDeclined', 'ReplicationRecommended', 'InstitutionalizationProposed',
];

export const recognitionsProjection: Projection<RecognitionView> = {
  name: 'recognitions',
  collection: 'recognitions',
  handles: RECOGNITION_EVENTS,
  key: (e) => (e.data as { proposalId: string }).proposalId,
  apply: (current, recorded) => {
    const e = recorded as unknown as RecordedEvent & RecognitionEvent;
    const base: RecognitionView = current ?? {
      proposalId: e.data.proposalId, proposerId: '', proposerUnitId: '', status: 'none', outcome: null, notable: null, recommendedAt: null,
      barred: null, grant: null, decline: null, replications: [], institutionalizations: [], lastChangedAt: e.occurredAt,
    };
    const next = { ...base, lastChangedAt: e.occurredAt };
    switch (e.type) {
      case 'RecognitionRecommended': {
        const { proposerId, proposerUnitId, outcome, notable, recommendedAt } = e.data;
        return { ...next, proposerId, proposerUnitId, status: 'recommended', outcome, notable, recommendedAt };
      }
      case 'RecognitionBarred': {
        const { proposerId, proposerUnitId, grounds, referredAt, afterGrant, barredAt } = e.data;
        return { ...next, proposerId: base.proposerId || proposerId, proposerUnitId: base.proposerUnitId || proposerUnitId, barred: { grounds, referredAt, afterGrant, barredAt } };
      }
      case 'RecognitionGranted': {
        const { awards, proportionality, grantedBy, grantedAt } = e.data;
        return { ...next, status: 'granted', grant: { awards, proportionality, grantedBy, grantedAt } };
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
};

/** What rewards needs of a proposal for the periodic review (C14-2.5a): its field. */
export interface ProposalFactsView {
  readonly proposalId: string;
  readonly title: string;
  readonly field: string;
}

export const proposalFactsProjection: Projection<ProposalFactsView> = {
  name: 'proposal-facts',
  collection: 'proposal-facts',
  handles: ['ProposalSubmitted'],
  key: (e) => (e.data as { proposalId: string }).proposalId,
  apply: (_current, e) => {
    const { proposalId, title, field } = (e as unknown as ProposalSubmitted).data;
    return { proposalId, title, field };
  },
};

interface RecordEntry {
  readonly proposalId: string;
  /** The cadre's unit when the fact arose. */
  readonly proposerUnitId: string;
  readonly recordedAt: string;
}

/** A cadre's record across proposals (DOMAIN.md §4.5–4.6): what protects them and what was found. */
export interface CadreRecordView {
  readonly userId: string;
  /** Every unit the cadre belonged to when a fact of the record arose: the heads above them may read it. */
  readonly unitIds: readonly string[];
  readonly liabilities: readonly (RecordEntry & { readonly liability: RecordedLiability; readonly decidedAt: string })[];
  readonly abuseReferrals: readonly (RecordEntry & { readonly grounds: readonly AbuseGround[]; readonly referredAt: string })[];
  readonly recognitions: readonly (RecordEntry & { readonly awards: Awards; readonly grantedAt: string })[];
  readonly totalBonusPoints: number;
  /** HP-points count in the annual evaluation of the year they were granted. */
  readonly bonusPointsByYear: Readonly<Record<string, number>>;
  readonly lastChangedAt: string | null;
}

export const emptyCadreRecord = (userId: string): CadreRecordView => ({
  userId, unitIds: [], liabilities: [], abuseReferrals: [], recognitions: [], totalBonusPoints: 0, bonusPointsByYear: {}, lastChangedAt: null,
});

export const cadreRecordsProjection: Projection<CadreRecordView> = {
  name: 'cadre-records',
  collection: 'cadre-records',
  handles: ['LiabilityRecorded', 'AbuseReferralRecorded', 'RecognitionRecorded'] satisfies CadreRecordEvent['type'][],
  key: (e) => (e.data as { userId: string }).userId,
  apply: (current, recorded) => {
    const e = recorded as unknown as RecordedEvent & CadreRecordEvent;
    const { userId, proposalId, proposerUnitId, recordedAt } = e.data;
    const base = current ?? emptyCadreRecord(userId);
    const next = {
      ...base,
      unitIds: base.unitIds.includes(proposerUnitId) ? base.unitIds : [...base.unitIds, proposerUnitId],
      lastChangedAt: e.occurredAt,
    };
    const entry = { proposalId, proposerUnitId, recordedAt };
    switch (e.type) {
      case 'LiabilityRecorded':
        return { ...next, liabilities: [...base.liabilities, { ...entry, liability: e.data.liability, decidedAt: e.data.decidedAt }] };
      case 'AbuseReferralRecorded':
        return { ...next, abuseReferrals: [...base.abuseReferrals, { ...entry, grounds: e.data.grounds, referredAt: e.data.referredAt }] };
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
};
