import { type DomainEvent, defineEvent } from '@dotpha/kernel';
import { PROPOSAL_FIELDS, type ProposalField } from '../fields';
import { LIMITS, enumSchema, idSchema, isoDateSchema, objectSchema, textSchema, timestampSchema } from '../schema';
import { PROPOSALS_CONTEXT } from '../streams';
import type { Assignee } from './commands';

export type TaskAssigned = DomainEvent<
  'TaskAssigned',
  {
    readonly assignmentId: string;
    readonly title: string;
    readonly description: string;
    readonly field: ProposalField;
    readonly assignee: Assignee;
    readonly assignedBy: string;
    readonly assignedByUnitId: string;
    readonly dueDate: string | null;
    readonly legalBasis: string;
    readonly assignedAt: string;
  }
>;

export type AssignmentEvent = TaskAssigned;

export const TaskAssignedDefinition = defineEvent({
  type: 'TaskAssigned',
  version: 1,
  context: PROPOSALS_CONTEXT,
  // HN67-assign: an assignment is a leader's public act, answered by proposals other units read.
  classification: 'public',
  restricted: [],
  schema: objectSchema({
    assignmentId: idSchema,
    title: textSchema(LIMITS.shortText, 1),
    description: textSchema(LIMITS.longText, 1),
    field: enumSchema(PROPOSAL_FIELDS),
    assignee: objectSchema({ unitId: idSchema, userId: { anyOf: [idSchema, { type: 'null' }] } }),
    assignedBy: idSchema,
    assignedByUnitId: idSchema,
    dueDate: { anyOf: [isoDateSchema, { type: 'null' }] },
    legalBasis: textSchema(LIMITS.shortText, 1),
    assignedAt: timestampSchema,
  }),
});

export const assignmentEventDefinitions = [TaskAssignedDefinition] as const;
