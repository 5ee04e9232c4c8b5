import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InvalidInput, NotFound, type PageParams, type RecordedEvent, foldStream } from '@dotpha/kernel';
import {
  INSPECTION_CASE_STREAM_TYPE, type InspectionCaseCommand, type InspectionCaseRecord, type InspectionCaseState, commandRoles,
  inspectionCaseDecider, inspectionCaseStreamId,
} from '@dotpha/evaluation-domain';
import { OrgChart } from '@dotpha/org';
import { type Caller, type ListPage, type ReadAccess, ServiceKernel, commandMetadata, disclose, discloseView, requireRole } from '@dotpha/service-runtime';
import type { InspectionCaseView } from './read-models';
import { type InspectionCaseSort, inspectionCaseListQuery } from './inspection-case-list';

/** A case as a person it is about reads it: without who reported them (D73-6b: retaliation is prohibited). */
export type SubjectCaseView = Omit<InspectionCaseView, 'reporterId'>;

type Issued = { [T in InspectionCaseCommand['type']]: Omit<Extract<InspectionCaseCommand, { type: T }>, 'metadata'> }[InspectionCaseCommand['type']];
type DataOf<T extends InspectionCaseCommand['type']> = Extract<InspectionCaseCommand, { type: T }>['data'];

/**
 * C14-2.4e, D73-6b: cases before the inspection body. Its jurisdiction is the instance: an
 * `inspector` reads every case; a reporter reads the cases they filed; a person a case is about
 * reads it without the reporter's name. Anyone else finds no such case.
 */
@Injectable()
export class InspectionCasesService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  /** D73-6b: any cadre reports a prohibited act; the case goes to the inspector. */
  async report(caller: Caller, input: Omit<DataOf<'OpenInspectionCase'>, 'caseId'>) {
    requireRole(caller, commandRoles.OpenInspectionCase, 'OpenInspectionCase');
    const known = new Set(this.org.users.map((u) => u.id));
    const unknown = input.subjectIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new InvalidInput(`unknown users: ${unknown.join(', ')}`, { field: 'subjectIds' });
    if (!this.org.units.some((u) => u.id === input.unitId)) throw new InvalidInput(`unknown unit '${input.unitId}'`, { field: 'unitId' });
    const caseId = randomUUID();
    const result = await this.execute(caller, caseId, () => ({ type: 'OpenInspectionCase', data: { caseId, ...input } }));
    return { caseId, ...result };
  }

  /** C14-2.4e: the inspector's finding; on a referral's case the evaluation learns it through the event. */
  async recordFinding(caller: Caller, caseId: string, input: Omit<DataOf<'RecordFinding'>, 'caseId'>) {
    requireRole(caller, commandRoles.RecordFinding, 'RecordFinding');
    const result = await this.execute(caller, caseId, ({ record }) => {
      if (!record) throw new NotFound('inspection case', caseId);
      return { type: 'RecordFinding', data: { caseId, finding: input.finding, reasons: input.reasons } };
    });
    return { caseId, ...result };
  }

  /** One page of the cases the caller reads (inspectionCaseAccess as a query: inspection-case-list.ts). */
  async list(caller: Caller, filter: PageParams<InspectionCaseSort>): Promise<ListPage<InspectionCaseView | SubjectCaseView>> {
    const page = await this.kernel.readModels.page<InspectionCaseView>('inspection-cases', inspectionCaseListQuery(caller, filter));
    return { ...page, items: page.items.flatMap((d) => this.reading(caller, d.data) ?? []) };
  }

  async get(caller: Caller, caseId: string): Promise<InspectionCaseView | SubjectCaseView> {
    const doc = await this.kernel.readModels.get<InspectionCaseView>('inspection-cases', caseId);
    const seen = doc && this.reading(caller, doc.data);
    if (!seen) throw new NotFound('inspection case', caseId);
    return seen;
  }

  /** The stream itself, so the trail shows what was just written. */
  async history(caller: Caller, caseId: string): Promise<readonly RecordedEvent[]> {
    const events = await this.kernel.history(inspectionCaseStreamId(caseId));
    const { record } = foldStream(inspectionCaseDecider, events);
    const access = record ? inspectionCaseAccess(caller, record) : 'none';
    if (access === 'none') throw new NotFound('inspection case', caseId);
    return disclose(this.kernel.contract, events, access);
  }

  /** `command` is made from the case's state, in the same read as the decision. */
  private async execute(caller: Caller, caseId: string, command: (state: InspectionCaseState) => Issued) {
    const result = await this.kernel.execute(inspectionCaseDecider, INSPECTION_CASE_STREAM_TYPE, inspectionCaseStreamId(caseId), (state) => ({
      ...command(state),
      metadata: commandMetadata(caller, this.kernel.now()),
    }) as InspectionCaseCommand);
    return { streamId: result.streamId, position: result.position };
  }

  private reading(caller: Caller, view: InspectionCaseView): InspectionCaseView | SubjectCaseView | null {
    const access = inspectionCaseAccess(caller, view);
    return access === 'none' ? null : discloseView<InspectionCaseView | SubjectCaseView>(view, access, []);
  }
}

/**
 * Who reads a case, and how (disclosure.ts): the inspection body and the reporter all of it; a
 * person it is about all of it but who reported them (D73-6b); anyone else nothing. The queries and
 * the audit trail (evaluationService.readAccess) read by this one rule.
 */
export function inspectionCaseAccess(caller: Caller, record: Pick<InspectionCaseRecord, 'reporterId' | 'subjectIds'>): ReadAccess {
  if (caller.role === 'inspector' || caller.user.id === record.reporterId) return 'full';
  if (record.subjectIds.includes(caller.user.id)) return { withhold: ['reporterId'] };
  return 'none';
}
