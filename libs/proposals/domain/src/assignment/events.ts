import { type EventsOf, defineEvents, definitionsOf, nullable } from '@dotpha/kernel';
import { PROPOSAL_FIELDS } from '../fields';
import { LIMITS, enumSchema, idSchema, isoDateSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import { assigneeSchema } from './commands';

const taskAssigned = objectSchema({
  assignmentId: idSchema,
  title: textSchema(LIMITS.shortText, 1),
  description: textSchema(LIMITS.longText, 1),
  field: enumSchema(PROPOSAL_FIELDS),
  assignee: assigneeSchema,
  assignedBy: idSchema,
  assignedByUnitId: idSchema,
  dueDate: nullable(isoDateSchema),
  legalBasis: textSchema(LIMITS.shortText, 1),
  assignedAt: timestampSchema,
});

type Assignment = EventsOf<typeof assignmentEvents>;
/** Each event of the table: `AssignmentEvent` is any of them, `AssignmentEvent<'TaskAssigned'>` one. */
export type AssignmentEvent<T extends keyof Assignment = keyof Assignment> = Assignment[T];

export const assignmentEvents = defineEvents(PROPOSALS_CONTEXT, {
  // HN67-assign: an assignment is a leader's public act, answered by proposals other units read.
  TaskAssigned: { version: 1, classification: 'public', restricted: [], schema: taskAssigned },
});
export const assignmentEventDefinitions = definitionsOf(assignmentEvents);
