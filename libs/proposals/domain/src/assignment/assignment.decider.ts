import { IllegalTransition, InvalidInput, deciderOf } from '@dotpha/kernel';
import { isIsoDate } from '@dotpha/org';
import { requireOneOf, requireText } from '../input';
import { PROPOSAL_FIELDS } from '../fields';
import type { AssignTask, AssignmentCommand } from './commands';
import { type AssignmentState, evolveAssignment, initialAssignmentState } from './assignment.state';
import type { AssignmentEvent } from './events';

/** HN67-assign: a leader assigns a breakthrough task to a unit or to one of its cadres. */
function assignTask(command: AssignTask, state: AssignmentState): readonly AssignmentEvent[] {
  if (state.status !== 'none') throw new IllegalTransition('assignment', state.status, command.type);
  const { data, metadata } = command;
  const assignedBy = metadata.actor.userId;
  const assignee = data.assignee;
  if (typeof assignee !== 'object' || assignee === null) throw new InvalidInput('an assignment names its assignee', { field: 'assignee' });
  requireText(assignee.unitId, 'assignee.unitId');
  if (assignee.userId !== null) requireText(assignee.userId, 'assignee.userId');
  if (assignee.userId === assignedBy) throw new InvalidInput('a leader does not assign a task to themselves', { field: 'assignee.userId' });
  // Compared with the UTC date: at worst a task due today in Vietnam is accepted a few hours late.
  const today = metadata.now.toISOString().slice(0, 10);
  if (data.dueDate !== null && (!isIsoDate(data.dueDate) || data.dueDate < today)) {
    throw new InvalidInput(`an assignment cannot be due on '${data.dueDate}'`, { field: 'dueDate' });
  }
  return [
    {
      type: 'TaskAssigned',
      data: {
        assignmentId: requireText(data.assignmentId, 'assignmentId'),
        title: requireText(data.title, 'title'),
        description: requireText(data.description, 'description'),
        field: requireOneOf(data.field, PROPOSAL_FIELDS, 'field'),
        assignee: { unitId: assignee.unitId, userId: assignee.userId },
        assignedBy,
        assignedByUnitId: requireText(data.assignedByUnitId, 'assignedByUnitId'),
        dueDate: data.dueDate,
        legalBasis: requireText(data.legalBasis, 'legalBasis'),
        assignedAt: metadata.now.toISOString(),
      },
    },
  ];
}

/**
 * HN67-assign: whether a cadre of `proposerUnitId` may answer the task with a proposal: the
 * assigned cadre, or any cadre of the assigned unit or of a unit it manages.
 */
export function mayAnswer(
  task: Pick<AssignmentEvent<'TaskAssigned'>['data'], 'assignee'>,
  proposer: { readonly proposerId: string; readonly unitsOfAssignee: readonly string[]; readonly proposerUnitId: string },
): boolean {
  if (task.assignee.userId !== null) return task.assignee.userId === proposer.proposerId;
  return proposer.unitsOfAssignee.includes(proposer.proposerUnitId);
}

export const assignmentDecider = deciderOf<AssignmentState, AssignmentCommand, AssignmentEvent>({
  initialState: initialAssignmentState,
  evolve: evolveAssignment,
  commands: {
    AssignTask: assignTask,
  },
});
