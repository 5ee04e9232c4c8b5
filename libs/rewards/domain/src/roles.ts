import type { CadreRecordCommandType } from './cadre-record/commands';
import type { PeriodicReportCommandType } from './periodic-report/commands';
import type { RecognitionCommandType } from './recognition/commands';

/** The roles of DOMAIN.md §2 that act in rewards. */
export type RewardsRole = 'supervisor' | 'authority' | 'evaluator' | 'inspector' | 'organization-office' | 'city-committee' | 'unit-head';

export type RewardsCommandType = RecognitionCommandType | CadreRecordCommandType | PeriodicReportCommandType;

/** AbuseReferred may come from whoever referred it (evaluation's ReferAbuse). */
const referrers: readonly RewardsRole[] = ['evaluator', 'supervisor', 'authority', 'inspector'];

/**
 * Who may issue each command; the application enforces it. Commands issued when another
 * context's event arrives (RecommendRecognition, RecordAbuseReferral, RecordReferralFinding,
 * RecordLiability, RecordRecognition) run as the actor of that event.
 */
export const commandRoles: Readonly<Record<RewardsCommandType, readonly RewardsRole[]>> = {
  RecommendRecognition: ['evaluator'],
  RecordAbuseReferral: referrers,
  // C14-2.4e: the inspection body records the finding on the case (InspectionFindingRecorded).
  RecordReferralFinding: ['inspector'],
  GrantRecognition: ['organization-office'],
  DeclineRecognition: ['organization-office'],
  // C14-2.5a/b: the levels that review periodically and can spread or regulate a model.
  RecommendReplication: ['authority', 'city-committee', 'organization-office'],
  ProposeInstitutionalization: ['authority', 'city-committee'],
  RecordLiability: ['evaluator'],
  RecordRecognition: ['organization-office'],
  // C14-2.5d: the organisation office, or the head of the unit whose report it is.
  SendPeriodicReport: ['organization-office', 'unit-head'],
};
