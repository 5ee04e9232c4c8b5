import { assertNever } from '@dotpha/kernel';
import type { AssignmentEvent } from './events';

/** One assigned task, stream `assignment-<assignmentId>`. */
export type AssignmentState = { readonly status: 'none' } | { readonly status: 'assigned'; readonly task: AssignmentEvent<'TaskAssigned'>['data'] };

export const initialAssignmentState = (): AssignmentState => ({ status: 'none' });

export function evolveAssignment(state: AssignmentState, event: AssignmentEvent): AssignmentState {
  switch (event.type) {
    case 'TaskAssigned':
      return { status: 'assigned', task: event.data };
    default:
      return assertNever(event.type, 'assignment event');
  }
}
