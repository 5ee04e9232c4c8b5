import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { NotFound } from '@dotpha/kernel';
import { OrgChart } from '@dotpha/org';
import {
  type ProposalCommand, PROPOSAL_STREAM_TYPE, commandRoles, proposalDecider, proposalStreamId,
} from '@dotpha/proposals-domain';
import { type Caller, ServiceKernel, commandMetadata, requireJurisdiction, requireRole } from '@dotpha/service-runtime';
import type { ProposalView } from '../infrastructure/projections';
import type { ProposalContentDto } from '../api/dto';

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

  /** A proposal outside the caller's jurisdiction reads exactly like an unknown one. */
  async get(caller: Caller, proposalId: string): Promise<ProposalView> {
    const doc = await this.kernel.readModels.get<ProposalView>('proposals', String(proposalId));
    if (!doc || !this.org.inJurisdiction(caller.user.id, doc.data.proposerUnitId) && doc.data.proposerId !== caller.user.id) {
      throw new NotFound('proposal', proposalId);
    }
    return doc.data;
  }

  async list(caller: Caller): Promise<ProposalView[]> {
    const docs = await this.kernel.readModels.find<ProposalView>('proposals');
    return docs.map((d) => d.data).filter((p) => p.proposerId === caller.user.id || this.org.inJurisdiction(caller.user.id, p.proposerUnitId));
  }

  async history(caller: Caller, proposalId: string) {
    await this.get(caller, proposalId);
    return this.kernel.history(proposalStreamId(proposalId));
  }

  private async run(caller: Caller, proposalId: string, command: Omit<ProposalCommand, 'metadata'>) {
    requireRole(caller, commandRoles[command.type], command.type);
    if (command.type !== 'DraftProposal') {
      const existing = await this.kernel.readModels.get<ProposalView>('proposals', proposalId);
      const version = await this.kernel.store.streamVersion(proposalStreamId(proposalId));
      if (version === 0) throw new NotFound('proposal', proposalId);
      if (existing) requireJurisdiction(this.org, caller, existing.data.proposerUnitId);
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
    report: dto.report,
    attachments: (dto.attachments ?? []).map(({ name, uri }) => ({ name, uri })),
    scopeUnitIds: dto.scopeUnitIds ?? [],
  };
}
