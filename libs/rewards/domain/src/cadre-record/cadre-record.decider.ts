import { InvalidInput, deciderOf } from '@dotpha/kernel';
import type { RecordAbuseReferral, RecordReferralFinding } from '../facts';
import { type CadreRecordState, entryOf, evolveCadreRecord, initialCadreRecordState, referralFor } from './cadre-record.state';
import type { CadreRecordCommand, RecordLiability, RecordRecognition } from './commands';
import type { CadreRecordEvent } from './events';

function recordLiability(command: RecordLiability, state: CadreRecordState): readonly CadreRecordEvent[] {
  const { liability, decidedAt } = command.data;
  return once(state, { type: 'LiabilityRecorded', data: { ...entryFields(command, state), liability, decidedAt } });
}

function recordAbuseReferral(command: RecordAbuseReferral, state: CadreRecordState): readonly CadreRecordEvent[] {
  const { referralId, caseId, grounds, referredAt } = command.data;
  return once(state, { type: 'AbuseReferralRecorded', data: { ...entryFields(command, state), referralId, caseId, grounds, referredAt } });
}

function recordRecognition(command: RecordRecognition, state: CadreRecordState): readonly CadreRecordEvent[] {
  const { awards, grantedAt } = command.data;
  return once(state, { type: 'RecognitionRecorded', data: { ...entryFields(command, state), awards, grantedAt } });
}

/**
 * C14-2.4e: the finding lands beside the referral it answers, on the record that holds it. A
 * referral recorded before C14-2.4e names no case: a finding on a case the record never named is
 * taken as the finding on the earliest such referral of the proposal still without one. A finding
 * for a referral the record does not hold, or delivered again, changes nothing.
 */
function recordReferralFinding(command: RecordReferralFinding, state: CadreRecordState): readonly CadreRecordEvent[] {
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

/**
 * What a cadre's record shows across proposals: every liability decision, abuse referral (with
 * the finding on its inspection case, C14-2.4e) and recognition. Each fact arrives from another
 * context's event, possibly more than once.
 */
export const cadreRecordDecider = deciderOf<CadreRecordState, CadreRecordCommand, CadreRecordEvent>({
  initialState: initialCadreRecordState,
  evolve: evolveCadreRecord,
  commands: {
    RecordLiability: recordLiability,
    RecordAbuseReferral: recordAbuseReferral,
    RecordRecognition: recordRecognition,
    RecordReferralFinding: recordReferralFinding,
  },
});

/** Whose record the fact lands on (D73-10b: the proposer's unless the command names a holder), and when it was recorded. */
function entryFields(command: RecordLiability | RecordAbuseReferral | RecordRecognition, state: CadreRecordState) {
  const { proposalId, proposerId, proposerUnitId, holder } = command.data;
  const { userId, unitId, as } = holder ?? { userId: proposerId, unitId: proposerUnitId, as: 'proposer' as const };
  sameHolder(state, userId);
  return { userId, proposalId, proposerUnitId, unitId, as, recordedAt: command.metadata.now.toISOString() };
}

/** Same fact delivered again. A later decision on the same proposal is a new fact, kept beside the first. */
function once(state: CadreRecordState, event: CadreRecordEvent): readonly CadreRecordEvent[] {
  const { kind, proposalId, at } = entryOf(event);
  if (state.entries.some((e) => e.kind === kind && e.proposalId === proposalId && e.at === at && sameReferral(e.event, event))) return [];
  return [event];
}

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
