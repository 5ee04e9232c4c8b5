import { type Decider, InvalidInput, assertNever } from '@dotpha/kernel';
import type { CadreRecordCommand } from './commands';
import type { CadreRecordEvent } from './events';

export type CadreRecordEntryKind = 'liability' | 'abuse-referral' | 'recognition';

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
 * What a cadre's record shows across proposals: every liability decision, abuse referral and
 * recognition. Each fact arrives from another context's event, possibly more than once.
 */
export const cadreRecordDecider: Decider<CadreRecordState, CadreRecordCommand, CadreRecordEvent> = {
  initialState: () => ({ userId: null, entries: [] }),
  evolve: (state, event) => {
    const entry = entryOf(event);
    return { userId: state.userId ?? event.data.userId, entries: [...state.entries, entry] };
  },
  decide: (command, state) => {
    const { proposalId, proposerId, proposerUnitId, holder } = command.data;
    const { userId, unitId, as } = holder ?? { userId: proposerId, unitId: proposerUnitId, as: 'proposer' as const };
    if (state.userId !== null && state.userId !== userId) {
      throw new InvalidInput(`this is the record of '${state.userId}', the fact is about '${userId}'`);
    }
    const entry = { userId, proposalId, proposerUnitId, unitId, as, recordedAt: command.metadata.now.toISOString() };
    const event = ((): CadreRecordEvent => {
      switch (command.type) {
        case 'RecordLiability':
          return { type: 'LiabilityRecorded', data: { ...entry, liability: command.data.liability, decidedAt: command.data.decidedAt } };
        case 'RecordAbuseReferral':
          return { type: 'AbuseReferralRecorded', data: { ...entry, grounds: command.data.grounds, referredAt: command.data.referredAt } };
        case 'RecordRecognition':
          return { type: 'RecognitionRecorded', data: { ...entry, awards: command.data.awards, grantedAt: command.data.grantedAt } };
        default:
          return assertNever(command, 'cadre record command');
      }
    })();
    const { kind, at } = entryOf(event);
    // Same fact delivered again. A later decision on the same proposal is a new fact, kept beside the first.
    if (state.entries.some((e) => e.kind === kind && e.proposalId === proposalId && e.at === at)) return [];
    return [event];
  },
};

function entryOf(event: CadreRecordEvent): CadreRecordEntry {
  const { proposalId } = event.data;
  switch (event.type) {
    case 'LiabilityRecorded':
      return { kind: 'liability', proposalId, at: event.data.decidedAt, event };
    case 'AbuseReferralRecorded':
      return { kind: 'abuse-referral', proposalId, at: event.data.referredAt, event };
    case 'RecognitionRecorded':
      return { kind: 'recognition', proposalId, at: event.data.grantedAt, event };
    default:
      return assertNever(event, 'cadre record event');
  }
}
