import { IllegalTransition, InvalidInput } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import { assignmentDecider, mayAnswer } from './assignment.decider';
import type { AssignTask } from './commands';
import type { AssignmentEvent } from './events';

const spec = DeciderSpecification.for(assignmentDecider);
const AT = '2026-03-02T08:00:00.000Z';
const DIRECTOR = 'u-skhcn-giam-doc';
const leader = meta({ userId: DIRECTOR, role: 'unit-head', at: AT });

const assign = (overrides: Partial<AssignTask['data']> = {}): AssignTask => ({
  type: 'AssignTask',
  data: {
    assignmentId: 'a-1',
    title: 'Rút ngắn thời gian cấp phép hạ tầng viễn thông',
    description: 'Nghiên cứu, đề xuất cơ chế cấp phép một cửa liên thông.',
    field: 'administrative-reform',
    assignee: { unitId: 'tm-skhcn-cds', userId: null },
    assignedByUnitId: 'tm-so-khcn',
    dueDate: '2026-06-30',
    legalBasis: 'Kết luận 14-KL/TW',
    ...overrides,
  },
  metadata: leader,
});

const assigned = (overrides: Partial<AssignmentEvent<'TaskAssigned'>['data']> = {}): AssignmentEvent<'TaskAssigned'> => {
  const { assignmentId, title, description, field, assignee, assignedByUnitId, dueDate, legalBasis } = assign().data;
  return {
    type: 'TaskAssigned',
    data: { assignmentId, title, description, field, assignee, assignedBy: DIRECTOR, assignedByUnitId, dueDate, legalBasis, assignedAt: AT, ...overrides },
  };
};

describe('assigned breakthrough tasks', () => {
  it('HN67-assign: a leader assigns a breakthrough task to a unit, naming the legal basis', () => {
    spec.given([]).when(assign()).then([assigned()]);
  });

  it('HN67-assign: a leader assigns a task to one cadre, with or without a due date', () => {
    const assignee = { unitId: 'tm-skhcn-cds', userId: 'u-cds-chuyen-vien' };
    spec.given([]).when(assign({ assignee, dueDate: null })).then([assigned({ assignee, dueDate: null })]);
  });

  it('HN67-assign: a task is assigned once; not to the leader themselves, nor due in the past or on no date', () => {
    spec.given([assigned()]).when(assign()).thenThrows(IllegalTransition, { from: 'assigned' });
    spec.given([]).when(assign({ assignee: { unitId: 'tm-so-khcn', userId: DIRECTOR } })).thenThrows(InvalidInput);
    spec.given([]).when(assign({ dueDate: '2026-03-01' })).thenThrows(InvalidInput);
    spec.given([]).when(assign({ dueDate: '2026-02-30' })).thenThrows(InvalidInput);
    for (const bad of [{ title: ' ' }, { description: '' }, { field: 'sports' as never }, { legalBasis: '' }, { assignee: { unitId: '', userId: null } }]) {
      spec.given([]).when(assign(bad)).thenThrows(InvalidInput);
    }
  });

  it('HN67-assign: the assigned cadre answers a cadre task; any cadre of the assigned unit (or below it) a unit task', () => {
    const unitTask = assigned().data;
    const cadreTask = assigned({ assignee: { unitId: 'tm-skhcn-cds', userId: 'u-cds-chuyen-vien' } }).data;
    const under = ['tm-skhcn-cds'];
    expect(mayAnswer(unitTask, { proposerId: 'u-cds-pho-phong', proposerUnitId: 'tm-skhcn-cds', unitsOfAssignee: under })).toBe(true);
    expect(mayAnswer(unitTask, { proposerId: 'u-stc-chuyen-vien', proposerUnitId: 'tm-so-tai-chinh', unitsOfAssignee: under })).toBe(false);
    expect(mayAnswer(cadreTask, { proposerId: 'u-cds-chuyen-vien', proposerUnitId: 'tm-skhcn-cds', unitsOfAssignee: under })).toBe(true);
    expect(mayAnswer(cadreTask, { proposerId: 'u-cds-pho-phong', proposerUnitId: 'tm-skhcn-cds', unitsOfAssignee: under })).toBe(false);
  });
});
