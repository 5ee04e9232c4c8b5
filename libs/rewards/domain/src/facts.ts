import type { Command, People } from '@dotpha/kernel';
import type { AbuseGround } from './schema';

/** The shapes of the published schemas (./schema.ts). */
export type { AbuseGround, Awards, CommendationLevel } from './schema';

/**
 * The fields of AbuseReferred that rewards relies on. Both aggregates learn of a referral from
 * the same fact: the recognition is barred (C14-2.4d) and the cadre's record shows it.
 */
export interface AbuseReferralFact {
  readonly proposalId: string;
  readonly proposerId: string;
  readonly proposerUnitId: string;
  /** C14-2.4e: the referral, and the inspection case it opened (evaluation opens it under the referral's id). */
  readonly referralId: string;
  readonly caseId: string;
  readonly grounds: readonly AbuseGround[];
  readonly referredAt: string;
}

/**
 * D73-10b: whose cadre record a fact lands on. Absent, it is the proposer's (the only person
 * recorded before D73-10b); otherwise one of the people the approved plan names, in their own unit.
 */
export interface RecordHolder {
  readonly holder?: { readonly userId: string; readonly unitId: string; readonly as: StandingInProposal };
}

/** A recognition ignores `holder`: the bar is on the proposal. */
export type RecordAbuseReferral = Command<'RecordAbuseReferral', AbuseReferralFact & RecordHolder>;

/** C14-2.4e: what the inspector found on a referral's case (InspectionFindingRecorded, evaluation). */
export type ReferralFinding = 'substantiated' | 'dismissed';
export const REFERRAL_FINDINGS: readonly ReferralFinding[] = ['substantiated', 'dismissed'];

/**
 * The fields of InspectionFindingRecorded (or of ReferralFindingRecorded, its echo on the
 * evaluation stream) that rewards relies on: the finding on the case a referral opened.
 */
export interface ReferralFindingFact {
  readonly proposalId: string;
  readonly caseId: string;
  readonly finding: ReferralFinding;
  /** When the inspector recorded the finding on the case. */
  readonly foundAt: string;
}

/**
 * Issued when the finding arrives: on the recognition it lifts (dismissed) or confirms
 * (substantiated) the bar of that referral; on a cadre record (`holderId`, the record's owner)
 * the referral entry shows its finding. A finding on a case the aggregate never heard of changes nothing.
 */
export type RecordReferralFinding = Command<'RecordReferralFinding', ReferralFindingFact & { readonly holderId?: string }>;

/**
 * D73-10b: protection and recognition reach everyone the approved plan names, not only the
 * proposer: the co-proposers, the implementers named on the plan and the head who approved it.
 * The same shape as `people` in approvals', proposals' and monitoring's events (plan of issue 11).
 */
export type ProposalPeople = People;

/**
 * How a person stands to a proposal, as their record shows it; 'named' when a decision names the
 * person (e.g. among the protected persons) without saying how they stand.
 */
export type StandingInProposal = 'proposer' | 'co-proposer' | 'implementer' | 'approving-head' | 'named';
export const STANDINGS: readonly StandingInProposal[] = ['proposer', 'co-proposer', 'implementer', 'approving-head', 'named'];

export const proposerOnly = (proposerId: string): ProposalPeople => ({ proposerId, coProposerIds: [], implementerIds: [], approvingHeadId: null });

/** Everyone named, once each, the proposer first. */
export function peopleIds(people: ProposalPeople): string[] {
  const ids = [people.proposerId, ...people.coProposerIds, ...people.implementerIds, ...(people.approvingHeadId ? [people.approvingHeadId] : [])];
  return [...new Set(ids)];
}

/** The first standing that names the person (a proposer who also implements is the proposer). */
export function standingOf(people: ProposalPeople, userId: string): StandingInProposal | null {
  if (people.proposerId === userId) return 'proposer';
  if (people.coProposerIds.includes(userId)) return 'co-proposer';
  if (people.implementerIds.includes(userId)) return 'implementer';
  if (people.approvingHeadId === userId) return 'approving-head';
  return null;
}

const ids = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []);

/**
 * Reads `people` from another context's payload, whatever version wrote it: a missing or
 * malformed field falls back to the proposer alone (events written before D73-10b name no one else).
 */
export function peopleFrom(value: unknown, proposerId: string): ProposalPeople {
  const raw = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return {
    proposerId: typeof raw['proposerId'] === 'string' && raw['proposerId'] ? raw['proposerId'] : proposerId,
    coProposerIds: ids(raw['coProposerIds']),
    implementerIds: ids(raw['implementerIds']),
    approvingHeadId: typeof raw['approvingHeadId'] === 'string' && raw['approvingHeadId'] ? raw['approvingHeadId'] : null,
  };
}

/** Joins what two sources know of the people of one proposal; `a` wins on the single-valued fields. */
export function mergePeople(a: ProposalPeople, b: ProposalPeople): ProposalPeople {
  return {
    proposerId: a.proposerId,
    coProposerIds: [...new Set([...a.coProposerIds, ...b.coProposerIds])],
    implementerIds: [...new Set([...a.implementerIds, ...b.implementerIds])],
    approvingHeadId: a.approvingHeadId ?? b.approvingHeadId,
  };
}
