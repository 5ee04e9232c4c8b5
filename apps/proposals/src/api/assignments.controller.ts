import { Body, Get, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller, CallerController, PagedList, UuidParam } from '@dotpha/service-runtime';
import { AssignmentsService } from '../application/assignments.service';
import { AssignTaskDto, ListAssignmentsQuery } from './dto';

/** Breakthrough tasks leaders assign (DOMAIN.md §4.3, HN67-assign). */
@CallerController('assignments')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Post()
  @ApiOperation({ summary: 'Assign a breakthrough task to a unit or a cadre within the leader\'s jurisdiction (unit-head, authority, city-committee)' })
  assign(@CurrentCaller() caller: Caller, @Body() body: AssignTaskDto) {
    const { title, description, field, unitId, userId, dueDate } = body;
    return this.assignments.assign(caller, { title, description, field, unitId, userId, dueDate: dueDate ?? null });
  }

  @Get()
  @ApiOperation({ summary: 'Assignments the caller gave, received, or oversees, with the proposals and registrations answering each' })
  @PagedList('one page of the assignments the caller sees, the latest assigned first')
  list(@CurrentCaller() caller: Caller, @Query() query: ListAssignmentsQuery) {
    return this.assignments.list(caller, query);
  }

  @Get(':id')
  get(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.assignments.get(caller, id);
  }
}
