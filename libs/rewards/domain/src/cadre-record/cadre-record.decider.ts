import { type Decider, InvalidInput, assertNever } from '@dotpha/kernel';
import type { RecordReferralFinding } from '../facts';
import type { CadreRecordCommand } from './commands';
import type { AbuseReferralRecorded, CadreRecordEvent } from './events';

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

/**
 * What a cadre's record shows across proposals: every liability decision, abuse referral (with
 * the finding on its inspection case, C14-2.4e) and recognition. Each fact arrives from another
 * context's event, possibly more than once.
 */
export const cadreRecordDecider: Decider<CadreRecordState, CadreRecordCommand, CadreRecordEvent> = {
  initialState: () => ({ userId: null, entries: [] }),
  evolve: (state, event) => {
    const entry = entryOf(event);
    return { userId: state.userId ?? event.data.userId, entries: [...state.entries, entry] };
  },
  decide: (command, state) => {
    if (command.type === 'RecordReferralFinding') return recordFinding(command, state);
    const { proposalId, proposerId, proposerUnitId, holder } = command.data;
    const { userId, unitId, as } = holder ?? { userId: proposerId, unitId: proposerUnitId, as: 'proposer' as const };
    sameHolder(state, userId);
    const entry = { userId, proposalId, proposerUnitId, unitId, as, recordedAt: command.metadata.now.toISOString() };
    const event = ((): CadreRecordEvent => {
      switch (command.type) {
        case 'RecordLiability':
          return { type: 'LiabilityRecorded', data: { ...entry, liability: command.data.liability, decidedAt: command.data.decidedAt } };
        case 'RecordAbuseReferral': {
          const { referralId, caseId, grounds, referredAt } = command.data;
          return { type: 'AbuseReferralRecorded', data: { ...entry, referralId, caseId, grounds, referredAt } };
        }
        case 'RecordRecognition':
          return { type: 'RecognitionRecorded', data: { ...entry, awards: command.data.awards, grantedAt: command.data.grantedAt } };
        default:
          return assertNever(command, 'cadre record command');
      }
    })();
    const { kind, at } = entryOf(event);
    // Same fact delivered again. A later decision on the same proposal is a new fact, kept beside the first.
    if (state.entries.some((e) => e.kind === kind && e.proposalId === proposalId && e.at === at && sameReferral(e.event, event))) return [];
    return [event];
  },
};

function sameHolder(state: CadreRecordState, userId: string): void {
  if (state.userId !== null && state.userId !== userId) {
    throw new InvalidInput(`this is the record of '${state.userId}', the fact is about '${userId}'`);
  }
}

/** Two referrals of one proposal made at the same instant are still two referrals (C14-2.4e). */
function sameReferral(a: CadreRecordEvent, b: CadreRecordEvent): boolean {
  if (a.type !== 'AbuseReferralRecorded' || b.type !== 'AbuseReferralRecorded') return true;
  return a.data.referralId === null || b.data.referralId === null || a.data.referralId === b.data.referralId;
}

/**
 * C14-2.4e: the finding lands beside the referral it answers, on the record that holds it. A
 * referral recorded before C14-2.4e names no case: a finding on a case the record never named is
 * taken as the finding on the earliest such referral of the proposal still without one. A finding
 * for a referral the record does not hold, or delivered again, changes nothing.
 */
function recordFinding(command: RecordReferralFinding, state: CadreRecordState): readonly CadreRecordEvent[] {
  const { proposalId, caseId, finding, foundAt, holderId } = command.data;
  if (holderId !== undefined) sameHolder(state, holderId);
  const referral = referralFor(state, proposalId, caseId);
  if (!referral) return [];
  const { userId, proposerUnitId, unitId, as, referralId, referredAt } = referral.data;
  return [
    {
      type: 'AbuseReferralFindingRecorded',
      data: {
        userId, proposalId, proposerUnitId, unitId, as, referralId, referredAt, caseId, finding, foundAt,
        recordedAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

/** The referral of the record still waiting for the finding on `caseId`. */
export function referralFor(state: CadreRecordState, proposalId: string, caseId: string): AbuseReferralRecorded | undefined {
  const referrals: AbuseReferralRecorded[] = [];
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

function entryOf(event: CadreRecordEvent): CadreRecordEntry {
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
