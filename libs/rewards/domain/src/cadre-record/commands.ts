import type { Command } from '@dotpha/kernel';
import type { Awards, RecordAbuseReferral, RecordHolder, RecordReferralFinding } from '../facts';

export const RECORDED_LIABILITIES = ['none', 'excluded', 'exempted', 'reduced', 'upheld'] as const;
export type RecordedLiability = (typeof RECORDED_LIABILITIES)[number];

/** Issued when LiabilityDecided (evaluation) arrives, once per protected person. */
export type RecordLiability = Command<
  'RecordLiability',
  RecordHolder & {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly liability: RecordedLiability;
    readonly decidedAt: string;
  }
>;

/** Issued when RecognitionGranted arrives, once per person it reaches. */
export type RecordRecognition = Command<
  'RecordRecognition',
  RecordHolder & {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly awards: Awards;
    readonly grantedAt: string;
  }
>;

export type CadreRecordCommand = RecordLiability | RecordAbuseReferral | RecordReferralFinding | RecordRecognition;
export type CadreRecordCommandType = CadreRecordCommand['type'];
