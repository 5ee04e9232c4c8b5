import { assertNever } from '@dotpha/kernel';
import type { CadreRecordEvent } from './events';

export type CadreRecordEntryKind = 'liability' | 'abuse-referral' | 'referral-finding' | 'recognition';

export interface CadreRecordEntry {
  readonly kind: CadreRecordEntryKind;
  readonly proposalId: string;
  /** When the fact arose in its own context; with kind and proposal it identifies the fact. */
  readonly at: string;
  readonly event: CadreRecordEvent;
}

export interface CadreRecordState {
  readonly userId: string | null;
  readonly entries: readonly CadreRecordEntry[];
}

export const initialCadreRecordState = (): CadreRecordState => ({ userId: null, entries: [] });

export function evolveCadreRecord(state: CadreRecordState, event: CadreRecordEvent): CadreRecordState {
  return { userId: state.userId ?? event.data.userId, entries: [...state.entries, entryOf(event)] };
}

export function entryOf(event: CadreRecordEvent): CadreRecordEntry {
  const { proposalId } = event.data;
  switch (event.type) {
    case 'LiabilityRecorded':
      return { kind: 'liability', proposalId, at: event.data.decidedAt, event };
    case 'AbuseReferralRecorded':
      return { kind: 'abuse-referral', proposalId, at: event.data.referredAt, event };
    case 'AbuseReferralFindingRecorded':
      return { kind: 'referral-finding', proposalId, at: event.data.foundAt, event };
    case 'RecognitionRecorded':
      return { kind: 'recognition', proposalId, at: event.data.grantedAt, event };
    default:
      return assertNever(event, 'cadre record event');
  }
}

/** The referral of the record still waiting for the finding on `caseId`. */
export function referralFor(state: CadreRecordState, proposalId: string, caseId: string): CadreRecordEvent<'AbuseReferralRecorded'> | undefined {
  const referrals: CadreRecordEvent<'AbuseReferralRecorded'>[] = [];
  const findings = new Set<string>();
  const answered = new Set<string>();
  for (const { event } of state.entries) {
    if (event.data.proposalId !== proposalId) continue;
    if (event.type === 'AbuseReferralRecorded') referrals.push(event);
    if (event.type === 'AbuseReferralFindingRecorded') {
      findings.add(event.data.caseId);
      if (event.data.referralId === null) answered.add(event.data.referredAt);
    }
  }
  if (findings.has(caseId)) return undefined;
  const named = referrals.find((r) => r.data.caseId === caseId || r.data.referralId === caseId);
  if (named) return named;
  return referrals.find((r) => r.data.referralId === null && r.data.caseId === null && !answered.has(r.data.referredAt));
}
