import type { Command } from '@dotpha/kernel';
import type { AbuseGround, InspectionFinding } from './commands';

/** C14-2.4e: an abuse referral; D73-6b: a report of a prohibited act against innovation. */
export type InspectionCaseKind = 'abuse-referral' | 'prohibited-act';

/**
 * D73-6 / D73-6b (Decree 73 Art. 6 as summarised by legal news sites): obstructing, pressuring or
 * retaliating against an innovator, refusing an assigned task, and shirking or passing on
 * responsibility in approval. Using the policy for corruption is an abuse referral instead.
 */
export const PROHIBITED_ACTS = [
  'obstructing-innovator',
  'pressuring-innovator',
  'retaliating-against-innovator',
  'refusing-assigned-task',
  'shirking-approval',
] as const;
export type ProhibitedAct = (typeof PROHIBITED_ACTS)[number];

export type CaseGround = AbuseGround | ProhibitedAct;

export type OpenInspectionCase = Command<
  'OpenInspectionCase',
  {
    /** For an abuse referral, the referral's id. */
    readonly caseId: string;
    readonly kind: InspectionCaseKind;
    /** The proposal concerned: always for a referral, optionally for a prohibited act. */
    readonly proposalId?: string;
    /** Whom the case is about. */
    readonly subjectIds: readonly string[];
    /** The unit where it happened, counted in the periodic reports (C14-2.5d). */
    readonly unitId: string;
    readonly grounds: readonly CaseGround[];
    readonly description: string;
  }
>;

export type RecordFinding = Command<
  'RecordFinding',
  { readonly caseId: string; readonly finding: InspectionFinding; readonly reasons: readonly string[] }
>;

export type InspectionCaseCommand = OpenInspectionCase | RecordFinding;
export type InspectionCaseCommandType = InspectionCaseCommand['type'];
