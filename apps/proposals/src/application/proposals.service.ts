import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import { NotFound } from '@dotpha/kernel';
import { OrgChart } from '@dotpha/org';
import {
  type ProposalCommand, type ProposalDrafted, type ProposalStatus, type ReportDraft, PROPOSAL_STREAM_TYPE, commandRoles,
  proposalDecider, proposalStreamId,
} from '@dotpha/proposals-domain';
import { type Caller, ServiceKernel, commandMetadata, requireJurisdiction, requireRole } from '@dotpha/service-runtime';
import type { ProposalView } from '../infrastructure/projections';
import type { ProposalContentDto } from '../api/dto';

/** A proposal in a list: its content stays on the proposal's own page. */
export type ProposalSummary = Omit<ProposalView, 'report' | 'attachments'>;

@Injectable()
export class ProposalsService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  draft(caller: Caller, dto: ProposalContentDto) {
    const proposalId = randomUUID();
    return this.run(caller, proposalId, {
      type: 'DraftProposal',
      data: { proposalId, proposerUnitId: caller.unitId, ...content(dto) },
    });
  }

  revise(caller: Caller, proposalId: string, dto: ProposalContentDto) {
    return this.run(caller, proposalId, { type: 'ReviseProposal', data: { proposalId, ...content(dto) } });
  }

  submit(caller: Caller, proposalId: string) {
    return this.run(caller, proposalId, { type: 'SubmitProposal', data: { proposalId } });
  }

  withdraw(caller: Caller, proposalId: string, reason?: string) {
    return this.run(caller, proposalId, { type: 'WithdrawProposal', data: { proposalId, ...(reason ? { reason } : {}) } });
  }

  /** A proposal the caller may not see reads exactly like an unknown one. */
  async get(caller: Caller, proposalId: string): Promise<ProposalView> {
    const doc = await this.kernel.readModels.get<ProposalView>('proposals', proposalId);
    if (!doc || !this.visible(caller, doc.data)) throw new NotFound('proposal', proposalId);
    return doc.data;
  }

  async list(caller: Caller, status?: ProposalStatus): Promise<ProposalSummary[]> {
    const docs = await this.kernel.readModels.find<ProposalView>('proposals', status ? { status } : undefined);
    return docs
      .map((d) => d.data)
      .filter((p) => this.visible(caller, p))
      .map(({ report: _report, attachments: _attachments, ...summary }) => summary);
  }

  async history(caller: Caller, proposalId: string) {
    await this.get(caller, proposalId);
    return this.kernel.history(proposalStreamId(proposalId));
  }

  /**
   * The proposer sees their own proposals. Anyone else sees them only once submitted (a draft is
   * the proposer's working copy, addressed to no one), only within their jurisdiction (§3), and
   * only acting in a role above the proposer's: a colleague acting as proposer sees none.
   */
  private visible(caller: Caller, proposal: ProposalView): boolean {
    if (!proposal.status) return false;
    if (proposal.proposerId === caller.user.id) return true;
    return caller.role !== 'proposer' && proposal.revision > 0 && this.org.inJurisdiction(caller.user.id, proposal.proposerUnitId);
  }

  private async run(caller: Caller, proposalId: string, command: Omit<ProposalCommand, 'metadata'>) {
    requireRole(caller, commandRoles[command.type], command.type);
    if (command.type !== 'DraftProposal') {
      // The stream, not the read model, says whose unit it is: the read model may lag behind.
      const [first] = await this.kernel.store.readStream(proposalStreamId(proposalId), 1);
      if (!first) throw new NotFound('proposal', proposalId);
      requireJurisdiction(this.org, caller, (first as ProposalDrafted).data.proposerUnitId);
    }
    const result = await this.kernel.execute(proposalDecider, PROPOSAL_STREAM_TYPE, proposalStreamId(proposalId), {
      ...command,
      metadata: commandMetadata(caller, this.kernel.now()),
    } as ProposalCommand);
    return { proposalId, streamId: result.streamId, position: result.position };
  }
}

function content(dto: ProposalContentDto) {
  return {
    title: dto.title,
    field: dto.field,
    problemType: dto.problemType,
    isScheme: dto.isScheme,
    // Plain data without the unset fields of the DTO classes: a re-save of the same form must compare equal.
    report: (dto.report ? instanceToPlain(dto.report, { exposeUnsetFields: false }) : {}) as ReportDraft,
    attachments: (dto.attachments ?? []).map(({ name, uri }) => ({ name, uri })),
    scopeUnitIds: dto.scopeUnitIds ?? [],
  };
}
