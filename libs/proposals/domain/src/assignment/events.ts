import { type DomainEvent, type Payload, defineEvent, nullable } from '@dotpha/kernel';
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

export type TaskAssigned = DomainEvent<'TaskAssigned', Payload<typeof taskAssigned>>;

export type AssignmentEvent = TaskAssigned;

export const TaskAssignedDefinition = defineEvent({
  type: 'TaskAssigned',
  version: 1,
  context: PROPOSALS_CONTEXT,
  // HN67-assign: an assignment is a leader's public act, answered by proposals other units read.
  classification: 'public',
  restricted: [],
  schema: taskAssigned,
});

export const assignmentEventDefinitions = [TaskAssignedDefinition] as const;
