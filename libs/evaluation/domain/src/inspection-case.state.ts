import { assertNever } from '@dotpha/kernel';
import type { InspectionFinding } from './commands';
import type { CaseGround, InspectionCaseKind } from './inspection-case.commands';
import type { InspectionCaseEvent } from './inspection-case.events';

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

export function evolveInspectionCase(state: InspectionCaseState, event: InspectionCaseEvent): InspectionCaseState {
  switch (event.type) {
    case 'InspectionCaseOpened': {
      const { caseId, kind, proposalId, subjectIds, unitId, grounds, reporterId } = event.data;
      return { status: 'open', record: { caseId, kind, proposalId: proposalId ?? null, subjectIds, unitId, grounds, reporterId }, finding: null };
    }
    case 'InspectionFindingRecorded':
      return { ...state, status: 'found', finding: event.data.finding };
    default:
      return assertNever(event, 'inspection case event');
  }
}
