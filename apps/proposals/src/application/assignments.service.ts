import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { Forbidden, InvalidInput, NotFound, type PageParams } from '@dotpha/kernel';
import { OrgChart } from '@dotpha/org';
import { ASSIGNMENT_STREAM_TYPE, type AssignTask, assignmentDecider, assignmentStreamId, commandRoles } from '@dotpha/proposals-domain';
import { type Caller, type ListPage, ServiceKernel, commandMetadata, requireRole } from '@dotpha/service-runtime';
import type { AssignmentView } from './read-models';
import { type AssignmentSort, assignmentListQuery } from './assignment-list';

/** A task as a leader gives it: to a unit, or to one cadre (whose unit the org chart says), or both when they agree. */
export type TaskRequest = Pick<AssignTask['data'], 'title' | 'description' | 'field' | 'dueDate'> & { readonly unitId?: string; readonly userId?: string };

/** HN67-assign: leaders assign breakthrough tasks to a unit or a cadre within their jurisdiction. */
@Injectable()
export class AssignmentsService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  async assign(caller: Caller, dto: TaskRequest) {
    requireRole(caller, commandRoles.AssignTask, 'AssignTask');
    const assignee = this.assignee(dto);
    // The org chart is no secret: a leader is told plainly that the unit is not theirs to task.
    if (!this.org.inJurisdiction(caller.user.id, assignee.unitId)) throw new Forbidden('a leader assigns tasks only within their jurisdiction');
    const assignmentId = randomUUID();
    const { policy } = this.kernel.config;
    const result = await this.kernel.execute(assignmentDecider, ASSIGNMENT_STREAM_TYPE, assignmentStreamId(assignmentId), {
      type: 'AssignTask',
      data: {
        assignmentId,
        title: dto.title,
        description: dto.description,
        field: dto.field,
        assignee,
        assignedByUnitId: caller.unitId,
        dueDate: dto.dueDate,
        legalBasis: policy.legalBasis,
      },
      metadata: commandMetadata(caller, this.kernel.now()),
    });
    return { assignmentId, streamId: result.streamId, position: result.position };
  }

  /** An assignment the caller may not see reads exactly like an unknown one. */
  async get(caller: Caller, assignmentId: string): Promise<AssignmentView> {
    const doc = await this.kernel.readModels.get<AssignmentView>('assignments', assignmentId);
    if (!doc || !seesAssignment(this.org, caller, doc.data)) throw new NotFound('assignment', assignmentId);
    return doc.data;
  }

  /** One page of the assignments the caller sees (seesAssignment, as a query on the read model: assignment-list.ts). */
  async list(caller: Caller, filter: PageParams<AssignmentSort>): Promise<ListPage<AssignmentView>> {
    const page = await this.kernel.readModels.page<AssignmentView>('assignments', assignmentListQuery(this.org, caller, filter));
    return { ...page, items: page.items.map((d) => d.data) };
  }

  private assignee(dto: TaskRequest): { unitId: string; userId: string | null } {
    if (dto.userId !== undefined) {
      const user = this.org.users.find((u) => u.id === dto.userId);
      if (!user) throw new InvalidInput('the assignee is not a user of this instance', { field: 'userId' });
      if (dto.unitId !== undefined && dto.unitId !== user.unitId) {
        throw new InvalidInput('the assigned cadre is not of the given unit', { field: 'unitId' });
      }
      return { unitId: user.unitId, userId: user.id };
    }
    if (dto.unitId === undefined) throw new InvalidInput('an assignment names a unit or a cadre', { field: 'unitId' });
    if (!this.org.units.some((u) => u.id === dto.unitId)) throw new InvalidInput('the assignee is not a unit of this instance', { field: 'unitId' });
    return { unitId: dto.unitId, userId: null };
  }
}

/**
 * The leader who gave it, the assigned cadre, and whoever's jurisdiction holds the assigned or the
 * assigning unit: the queries and the audit trail read by this one predicate. An assignment holds
 * no restricted text.
 */
export function seesAssignment(org: OrgChart, caller: Caller, a: AssignmentView): boolean {
  if (!a.assignee || !a.assignedByUnitId) return false;
  const { id } = caller.user;
  return a.assignedBy === id || a.assignee.userId === id || org.inJurisdiction(id, a.assignee.unitId) || org.inJurisdiction(id, a.assignedByUnitId);
}
