import { type Command, type Payload, nullable } from '@dotpha/kernel';
import type { ProposalField } from '../fields';
import { idSchema, objectSchema } from '../schema';

/** HN67-assign: a unit, or one cadre of a unit (null when the whole unit is assigned), answers for the task. */
export const assigneeSchema = objectSchema({ unitId: idSchema, userId: nullable(idSchema) });
export type Assignee = Payload<typeof assigneeSchema>;

/**
 * A leader assigns a breakthrough task (giao nhiệm vụ, đặt hàng). The application checks the role
 * and that the assignee is within the leader's jurisdiction, and fills the units from the org chart.
 */
export type AssignTask = Command<
  'AssignTask',
  {
    readonly assignmentId: string;
    readonly title: string;
    readonly description: string;
    readonly field: ProposalField;
    readonly assignee: Assignee;
    readonly assignedByUnitId: string;
    /** YYYY-MM-DD: when an answering proposal is expected; null when open. */
    readonly dueDate: string | null;
    /** D73-2: the legal basis the instance runs under. */
    readonly legalBasis: string;
  }
>;

export type AssignmentCommand = AssignTask;
