import { Forbidden, IllegalTransition, InvalidInput } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { InspectionCaseCommand, OpenInspectionCase } from './inspection-case.commands';
import type { InspectionCaseEvent } from './inspection-case.events';
import { inspectionCaseDecider } from './inspection-case.decider';

const spec = DeciderSpecification.for(inspectionCaseDecider);
const AT = '2026-09-09T03:00:00.000Z';
const reporter = meta({ userId: 'u-reporter', at: AT });
const inspector = (userId = 'u-inspector') => meta({ role: 'inspector', userId, at: AT });

const report: OpenInspectionCase['data'] = {
  caseId: 'case-1',
  kind: 'prohibited-act',
  subjectIds: ['u-director'],
  unitId: 'unit-dept',
  grounds: ['obstructing-innovator', 'retaliating-against-innovator'],
  description: 'Giám đốc không cho trình đề xuất và điều chuyển người đề xuất',
};
const fileReport = (data: Partial<OpenInspectionCase['data']> = {}): InspectionCaseCommand => ({
  type: 'OpenInspectionCase', data: { ...report, ...data }, metadata: reporter,
});
const opened: InspectionCaseEvent<'InspectionCaseOpened'> = { type: 'InspectionCaseOpened', data: { ...report, reporterId: 'u-reporter', openedAt: AT } };
const referral: InspectionCaseEvent<'InspectionCaseOpened'> = {
  type: 'InspectionCaseOpened',
  data: {
    caseId: 'ref-1', kind: 'abuse-referral', proposalId: 'p-1', subjectIds: ['u-proposer'], unitId: 'unit-ward', grounds: ['corruption'],
    description: 'Nhận quà của nhà thầu', reporterId: 'u-evaluator', openedAt: AT,
  },
};
const find = (finding: 'substantiated' | 'dismissed', by = inspector(), caseId = 'case-1'): InspectionCaseCommand => ({
  type: 'RecordFinding', data: { caseId, finding, reasons: ['Đã xác minh'] }, metadata: by,
});

describe('Inspection case: D73-6b prohibited acts reported to the inspection body', () => {
  it('D73-6b: any cadre reports obstructing, pressuring or retaliating against an innovator; a case opens for the inspector', () => {
    spec.given([]).when(fileReport()).then([opened]);
  });

  it.each(['pressuring-innovator', 'refusing-assigned-task', 'shirking-approval'] as const)('D73-6: %s is a prohibited act that can be reported', (act) => {
    const [event] = spec.given([]).when(fileReport({ grounds: [act], proposalId: 'p-9' })).events();
    expect(event.data).toMatchObject({ grounds: [act], proposalId: 'p-9', kind: 'prohibited-act' });
  });

  it('D73-6b: a report names acts, not abuse grounds, each once; the people it is about, not the reporter', () => {
    spec.given([]).when(fileReport({ grounds: ['corruption'] })).thenThrows(InvalidInput, { field: 'grounds' });
    spec.given([]).when(fileReport({ grounds: [] })).thenThrows(InvalidInput);
    spec.given([]).when(fileReport({ grounds: ['obstructing-innovator', 'obstructing-innovator'] })).thenThrows(InvalidInput);
    spec.given([]).when(fileReport({ subjectIds: [] })).thenThrows(InvalidInput, { field: 'subjectIds' });
    spec.given([]).when(fileReport({ subjectIds: ['u-reporter'] })).thenThrows(InvalidInput, { field: 'subjectIds' });
    spec.given([]).when(fileReport({ description: '   ' })).thenThrows(InvalidInput);
  });

  it('C14-2.4e: an abuse referral is a case about a proposal, on abuse grounds', () => {
    const command: InspectionCaseCommand = {
      type: 'OpenInspectionCase',
      data: { caseId: 'ref-1', kind: 'abuse-referral', proposalId: 'p-1', subjectIds: ['u-proposer'], unitId: 'unit-ward', grounds: ['corruption'], description: 'Nhận quà của nhà thầu' },
      metadata: meta({ role: 'evaluator', userId: 'u-evaluator', at: AT }),
    };
    spec.given([]).when(command).then([referral]);
    spec.given([referral]).when(command).then([]);
    spec.given([]).when({ ...command, data: { ...command.data, proposalId: undefined } }).thenThrows(InvalidInput);
    spec.given([]).when({ ...command, data: { ...command.data, grounds: ['obstructing-innovator'] } }).thenThrows(InvalidInput);
  });
});

describe('Inspection case: C14-2.4e the inspector finds', () => {
  it.each(['substantiated', 'dismissed'] as const)('C14-2.4e: the inspector records the finding: %s', (finding) => {
    const expected: InspectionCaseEvent<'InspectionFindingRecorded'> = {
      type: 'InspectionFindingRecorded',
      data: { caseId: 'case-1', kind: 'prohibited-act', subjectIds: ['u-director'], unitId: 'unit-dept', finding, reasons: ['Đã xác minh'], recordedBy: 'u-inspector', recordedAt: AT },
    };
    spec.given([opened]).when(find(finding)).then([expected]);
  });

  it('C14-2.4e: the finding on a referral carries the proposal, for the evaluation to learn it', () => {
    const [event] = spec.given([referral]).when(find('dismissed', inspector(), 'ref-1')).events();
    expect(event.data).toMatchObject({ caseId: 'ref-1', kind: 'abuse-referral', proposalId: 'p-1', subjectIds: ['u-proposer'], finding: 'dismissed' });
  });

  it('C14-2.4e: a finding is recorded once, on an open case, with its reasons', () => {
    const [recorded] = spec.given([opened]).when(find('dismissed')).events();
    spec.given([opened, recorded]).when(find('substantiated')).thenThrows(IllegalTransition);
    spec.given([]).when(find('dismissed')).thenThrows(IllegalTransition);
    spec.given([opened]).when({ type: 'RecordFinding', data: { caseId: 'case-1', finding: 'dismissed', reasons: [' '] }, metadata: inspector() }).thenThrows(InvalidInput);
  });

  it('C14-2.4e: neither a person the case is about nor its reporter records the finding', () => {
    spec.given([opened]).when(find('dismissed', inspector('u-director'))).thenThrows(Forbidden);
    spec.given([opened]).when(find('substantiated', inspector('u-reporter'))).thenThrows(Forbidden);
  });
});
