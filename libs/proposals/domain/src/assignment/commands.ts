import type { Command } from '@dotpha/kernel';
import type { ProposalField } from '../fields';

/** HN67-assign: a unit, or one cadre of a unit, answers for the task. */
export interface Assignee {
  readonly unitId: string;
  /** Null when the whole unit is assigned. */
  readonly userId: string | null;
}

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
