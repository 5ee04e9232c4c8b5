import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { Forbidden, NotFound } from '@dotpha/kernel';
import { type Pilot, type PilotCommand, commandRoles, pilotDecider } from '@dotpha/monitoring-domain';
import { OrgChart } from '@dotpha/org';
import {
  type Caller, type Disclosure, type ListPage, ServiceKernel, commandMetadata, disclose, discloseView, disclosureTo, requireJurisdiction, requireRole,
} from '@dotpha/service-runtime';
import { PILOTS_COLLECTION, type PilotRecord } from './pilot-record';
import { PILOT_STREAM_TYPE, pilotStreamId } from '@dotpha/monitoring-domain';
import { type PilotView, pilotView } from './pilot-view';
import { type PilotFilter, pilotListQuery } from './pilot-list';

type CommandInput = Omit<PilotCommand, 'metadata'>;
/** What a caller gives for a command: its data without the pilot, the ids made here and the instance's policy. */
type Input<T extends PilotCommand['type'], Made extends string> = Omit<Extract<PilotCommand, { type: T }>['data'], 'proposalId' | Made>;

@Injectable()
export class PilotsService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  start(caller: Caller, proposalId: string) {
    return this.run(caller, { type: 'StartPilot', data: { proposalId } });
  }

  reportProgress(caller: Caller, proposalId: string, input: Input<'ReportProgress', 'reportId' | 'kpiTolerance'>) {
    return this.add(caller, 'reportId', (reportId) => ({ type: 'ReportProgress', data: { ...input, proposalId, reportId, kpiTolerance: this.kpiTolerance } }));
  }

  recordCheck(caller: Caller, proposalId: string, input: Input<'RecordCheck', 'checkId'>) {
    return this.add(caller, 'checkId', (checkId) => ({ type: 'RecordCheck', data: { ...input, proposalId, checkId } }));
  }

  flagIssue(caller: Caller, proposalId: string, input: Input<'FlagIssue', 'flagId'>) {
    return this.add(caller, 'flagId', (flagId) => ({ type: 'FlagIssue', data: { ...input, proposalId, flagId } }));
  }

  provideSupport(caller: Caller, proposalId: string, input: Input<'ProvideSupport', 'supportId'>) {
    return this.add(caller, 'supportId', (supportId) => ({ type: 'ProvideSupport', data: { ...input, proposalId, supportId } }));
  }

  adjust(caller: Caller, proposalId: string, input: Input<'AdjustPilot', 'adjustmentId'>) {
    return this.add(caller, 'adjustmentId', (adjustmentId) => ({ type: 'AdjustPilot', data: { ...input, proposalId, adjustmentId } }));
  }

  suspend(caller: Caller, proposalId: string, reasons: readonly string[]) {
    return this.run(caller, { type: 'SuspendPilot', data: { proposalId, reasons } });
  }

  resume(caller: Caller, proposalId: string, reasons: readonly string[]) {
    return this.run(caller, { type: 'ResumePilot', data: { proposalId, reasons } });
  }

  terminate(caller: Caller, proposalId: string, reasons: readonly string[]) {
    return this.run(caller, { type: 'TerminatePilot', data: { proposalId, reasons, kpiTolerance: this.kpiTolerance } });
  }

  complete(caller: Caller, proposalId: string) {
    return this.run(caller, { type: 'CompletePilot', data: { proposalId, kpiTolerance: this.kpiTolerance } });
  }

  async get(caller: Caller, proposalId: string): Promise<PilotView> {
    const record = await this.visible(caller, proposalId);
    return discloseView(pilotView(record, this.kpiTolerance, this.kernel.now()), pilotDisclosure(caller, record), PILOT_RESTRICTED_VIEW_FIELDS);
  }

  /** One page of the pilots the caller sees (seesPilot as a query on the read model: pilot-list.ts). */
  async list(caller: Caller, query: PilotFilter): Promise<ListPage<PilotView>> {
    const page = await this.kernel.readModels.page<PilotRecord>(PILOTS_COLLECTION, pilotListQuery(this.org, caller, query));
    const now = this.kernel.now();
    const items = page.items
      .map((d) => ({ record: d.data, view: pilotView(d.data, this.kpiTolerance, now) }))
      .filter(({ view }) => query.offTarget === undefined || view.offTarget === query.offTarget)
      .map(({ record, view }) => discloseView(view, pilotDisclosure(caller, record), PILOT_RESTRICTED_VIEW_FIELDS));
    return { ...page, items };
  }

  async history(caller: Caller, proposalId: string) {
    const record = await this.visible(caller, proposalId);
    return disclose(this.kernel.contract, await this.kernel.history(pilotStreamId(proposalId)), pilotDisclosure(caller, record));
  }

  private get kpiTolerance(): number {
    return this.kernel.config.policy.kpiTolerance;
  }

  /** A pilot outside the caller's reach reads exactly like an unknown one. */
  private async visible(caller: Caller, proposalId: string): Promise<PilotRecord> {
    const doc = await this.kernel.readModels.get<PilotRecord>(PILOTS_COLLECTION, proposalId);
    if (!doc || !seesPilot(this.org, caller, doc.data)) throw new NotFound('pilot', proposalId);
    return doc.data;
  }

  /** A command that adds an item with an id of its own (a report, check, flag, support, adjustment): answered with the id. */
  private add(caller: Caller, idName: string, command: (id: string) => CommandInput) {
    const id = randomUUID();
    return this.run(caller, command(id), { [idName]: id });
  }

  private async run(caller: Caller, command: CommandInput, ids: Record<string, string> = {}) {
    const allowed = commandRoles[command.type];
    requireRole(caller, allowed, command.type);
    const { proposalId } = command.data;
    const streamId = pilotStreamId(proposalId);
    // Judged on the stream the command is decided on, not the read model: who may act must not
    // depend on how far the projection has got.
    const result = await this.kernel.execute(pilotDecider, PILOT_STREAM_TYPE, streamId, (state) => {
      // A pilot the caller may not read is refused exactly like an unknown one.
      if (state.status === 'none') throw new NotFound('pilot', proposalId);
      const { pilot } = state;
      if (!seesPilot(this.org, caller, { proposerId: pilot.proposerId, supervisorId: pilot.supervisorId, proposerUnitId: pilot.proposerUnitId, pilot })) {
        throw new NotFound('pilot', proposalId);
      }
      this.requireStanding(caller, pilot, allowed, command.type);
      return { ...command, metadata: commandMetadata(caller, this.kernel.now()) } as PilotCommand;
    });
    return { proposalId, ...ids, streamId: result.streamId, position: result.position };
  }

  /**
   * A role says what may be done, the plan on which pilot: a supervisor acts only on the pilot
   * that names them, leaders only within their jurisdiction, and anyone else only as the pilot's
   * own proposer (any cadre may act as proposer, but of their own proposal).
   */
  private requireStanding(caller: Caller, pilot: Pilot, allowed: readonly string[], what: string): void {
    const { id } = caller.user;
    if (caller.role === 'supervisor' && allowed.includes('supervisor')) {
      if (id !== pilot.supervisorId) throw new Forbidden(`only the supervisor named in the plan may ${what} on this pilot`);
    } else if (caller.role !== 'proposer' && allowed.includes(caller.role)) {
      requireJurisdiction(this.org, caller, pilot.proposerUnitId, 'pilot', pilot.proposalId);
    } else if (id !== pilot.proposerId) {
      throw new Forbidden(`only the proposer of this pilot may ${what}`);
    }
  }
}

/**
 * Its proposer, the supervisor the plan names (who may sit outside the unit's line), leaders over
 * its unit, and the people it protects (D73-10b: co-proposers, implementers, the approving head):
 * the queries, the commands and the audit trail (monitoringService.readAccess) read by this one predicate.
 */
export function seesPilot(org: OrgChart, caller: Caller, record: Pick<PilotRecord, 'proposerId' | 'supervisorId' | 'proposerUnitId' | 'pilot'>): boolean {
  const { id } = caller.user;
  const people = record.pilot.people;
  const shared = people !== undefined && (people.coProposerIds.includes(id) || people.implementerIds.includes(id) || people.approvingHeadId === id);
  return id === record.proposerId || id === record.supervisorId || shared || org.inJurisdiction(id, record.proposerUnitId);
}

/** The view fields that come from restricted event fields: what a flag says (IssueFlagged.description). */
export const PILOT_RESTRICTED_VIEW_FIELDS = ['openFlags[].description'];

/**
 * The rule of disclosure (disclosure.ts) on a pilot: in clear for the people it is about (the
 * proposer and whom it protects: co-proposers, implementers, the approving head) and the
 * supervisor the plan names; redacted for a colleague or a leader who takes no part.
 */
export function pilotDisclosure(caller: Caller, record: Pick<PilotRecord, 'proposerId' | 'supervisorId' | 'pilot'>): Disclosure {
  const people = record.pilot.people;
  return disclosureTo(caller, {
    people: [record.proposerId, ...(people ? [...people.coProposerIds, ...people.implementerIds, people.approvingHeadId] : [])],
    deciders: [record.supervisorId],
  });
}
