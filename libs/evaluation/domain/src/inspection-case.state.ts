import type { InspectionFinding } from './commands';
import type { CaseGround, InspectionCaseKind } from './inspection-case.commands';

export type InspectionCaseStatus = 'none' | 'open' | 'found';

export interface InspectionCaseRecord {
  readonly caseId: string;
  readonly kind: InspectionCaseKind;
  readonly proposalId: string | null;
  readonly subjectIds: readonly string[];
  readonly unitId: string;
  readonly grounds: readonly CaseGround[];
  readonly reporterId: string;
}

export interface InspectionCaseState {
  readonly status: InspectionCaseStatus;
  readonly record: InspectionCaseRecord | null;
  readonly finding: InspectionFinding | null;
}

export const initialInspectionCaseState = (): InspectionCaseState => ({ status: 'none', record: null, finding: null });
