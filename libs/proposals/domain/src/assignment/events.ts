import { type EventOf, eventDefiner, nullable } from '@dotpha/kernel';
import { PROPOSAL_FIELDS } from '../fields';
import { LIMITS, enumSchema, idSchema, isoDateSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import { assigneeSchema } from './commands';

const proposalsEvent = eventDefiner(PROPOSALS_CONTEXT);

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

export type AssignmentEvent = EventOf<(typeof assignmentEventDefinitions)[number]>;

export const TaskAssignedDefinition = proposalsEvent('TaskAssigned', {
  version: 1,
  // HN67-assign: an assignment is a leader's public act, answered by proposals other units read.
  classification: 'public',
  restricted: [],
  schema: taskAssigned,
});
export type TaskAssigned = EventOf<typeof TaskAssignedDefinition>;

export const assignmentEventDefinitions = [TaskAssignedDefinition] as const;
