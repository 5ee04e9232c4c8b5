import type { Command } from '@dotpha/kernel';
import type { Awards, RecordAbuseReferral } from '../facts';

export type RecordedLiability = 'none' | 'excluded' | 'exempted' | 'reduced' | 'upheld';

/** Issued when LiabilityDecided (evaluation) arrives; `proposerId` is the cadre whose record it is. */
export type RecordLiability = Command<
  'RecordLiability',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly liability: RecordedLiability;
    readonly decidedAt: string;
  }
>;

/** Issued when RecognitionGranted arrives. */
export type RecordRecognition = Command<
  'RecordRecognition',
  {
    readonly proposalId: string;
    readonly proposerId: string;
    readonly proposerUnitId: string;
    readonly awards: Awards;
    readonly grantedAt: string;
  }
>;

export type CadreRecordCommand = RecordLiability | RecordAbuseReferral | RecordRecognition;
export type CadreRecordCommandType = CadreRecordCommand['type'];
