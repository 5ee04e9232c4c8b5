import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import { InvalidInput, NotFound, RuleViolation } from '@dotpha/kernel';
import { OrgChart, type ProposalRouting, type Role, isCovered } from '@dotpha/org';
import {
  type ProposalCommand, type ProposalDrafted, type ProposalStatus, type ReportDraft, type TaskAssigned, PROPOSAL_STREAM_TYPE,
  assignmentStreamId, commandRoles, mayAnswer, proposalDecider, proposalStreamId,
} from '@dotpha/proposals-domain';
import {
  type Caller, type Disclosure, ServiceKernel, commandMetadata, disclose, discloseView, disclosureTo, requireJurisdiction, requireRole,
} from '@dotpha/service-runtime';
import type { ProposalView } from '../infrastructure/projections';
import type { ProposalContentDto } from '../api/dto';

/**
 * The proposal's page: where a submission goes under the instance's policy, as the approvals
 * context routes it (C14-2.3a: the head of the proposer's unit; C14-2.3b: a head's own proposal to
 * the superior head by default, or to the unit's collective).
 */
export type ProposalPage = ProposalView & { readonly destination: ProposalRouting };

/** A proposal in a list: its content stays on the proposal's own page. */
export type ProposalSummary = Omit<ProposalView, 'report' | 'attachments'>;

@Injectable()
export class ProposalsService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  async draft(caller: Caller, dto: ProposalContentDto) {
    const proposalId = randomUUID();
    requireRole(caller, commandRoles.DraftProposal, 'DraftProposal');
    await this.checkPeopleAndAssignment(dto, caller.user.id, caller.unitId);
    return this.run(caller, proposalId, {
      type: 'DraftProposal',
      data: { proposalId, proposerUnitId: caller.unitId, ...content(dto) },
    });
  }

  async revise(caller: Caller, proposalId: string, dto: ProposalContentDto) {
    requireRole(caller, commandRoles.ReviseProposal, 'ReviseProposal');
    const drafted = await this.drafted(caller, proposalId);
    await this.checkPeopleAndAssignment(dto, drafted.data.proposerId, drafted.data.proposerUnitId);
    return this.run(caller, proposalId, { type: 'ReviseProposal', data: { proposalId, ...content(dto) } });
  }

  /** D73-2: the instance's coverage, whether the org chart covers the caller under it, and its legal basis. */
  submit(caller: Caller, proposalId: string) {
    const { policy } = this.kernel.config;
    return this.run(caller, proposalId, {
      type: 'SubmitProposal',
      data: { proposalId, coverage: policy.coverage, proposerCovered: isCovered(caller.user.id, this.org, policy), legalBasis: policy.legalBasis },
    });
  }

  withdraw(caller: Caller, proposalId: string, reason?: string) {
    return this.run(caller, proposalId, { type: 'WithdrawProposal', data: { proposalId, ...(reason ? { reason } : {}) } });
  }

  /** A proposal the caller may not see reads exactly like an unknown one. */
  async get(caller: Caller, proposalId: string): Promise<ProposalPage> {
    const proposal = await this.visibleView(caller, proposalId);
    const { proposerId, proposerUnitId } = proposal;
    const page = { ...proposal, destination: this.org.route({ proposerId, proposerUnitId }, this.kernel.config.policy) };
    return discloseView(page, proposalDisclosure(caller, proposal), PROPOSAL_RESTRICTED_VIEW_FIELDS);
  }

  private async visibleView(caller: Caller, proposalId: string): Promise<ProposalView> {
    const doc = await this.kernel.readModels.get<ProposalView>('proposals', proposalId);
    if (!doc || !seesProposal(this.org, caller, doc.data)) throw new NotFound('proposal', proposalId);
    return doc.data;
  }

  async list(caller: Caller, status?: ProposalStatus): Promise<ProposalSummary[]> {
    const docs = await this.kernel.readModels.find<ProposalView>('proposals', status ? { status } : undefined);
    return docs
      .map((d) => d.data)
      .filter((p) => seesProposal(this.org, caller, p))
      .map(({ report: _report, attachments: _attachments, ...summary }) => summary);
  }

  async history(caller: Caller, proposalId: string) {
    const proposal = await this.visibleView(caller, proposalId);
    return disclose(this.kernel.contract, await this.kernel.history(proposalStreamId(proposalId)), proposalDisclosure(caller, proposal));
  }

  /** The stream, not the read model, says whose proposal it is: the read model may lag behind. */
  private async drafted(caller: Caller, proposalId: string): Promise<ProposalDrafted> {
    const [first] = await this.kernel.store.readStream(proposalStreamId(proposalId), 1);
    if (!first) throw new NotFound('proposal', proposalId);
    const drafted = first as unknown as ProposalDrafted;
    requireJurisdiction(this.org, caller, drafted.data.proposerUnitId, 'proposal', proposalId);
    return drafted;
  }

  /**
   * What the decider cannot see from its own stream: co-proposers are users of this instance
   * (D73-10b), and an answered assignment exists and was given to the proposer or their unit
   * (HN67-assign).
   */
  private async checkPeopleAndAssignment(dto: ProposalContentDto, proposerId: string, proposerUnitId: string): Promise<void> {
    const known = new Set(this.org.users.map((u) => u.id));
    const unknown = (dto.coProposerIds ?? []).filter((id) => !known.has(id));
    if (unknown.length > 0) throw new InvalidInput('every co-proposer is a user of this instance', { field: 'coProposerIds', unknown });
    if (dto.assignmentId === undefined) return;
    const [first] = await this.kernel.store.readStream(assignmentStreamId(dto.assignmentId), 1);
    if (!first) throw new NotFound('assignment', dto.assignmentId);
    const task = (first as unknown as TaskAssigned).data;
    const unitsOfAssignee = this.org.managedUnits(task.assignee.unitId);
    if (!mayAnswer(task, { proposerId, proposerUnitId, unitsOfAssignee })) {
      throw new RuleViolation('HN67-assign', 'the assignment was given to another cadre or unit', { assignmentId: dto.assignmentId });
    }
  }

  private async run(caller: Caller, proposalId: string, command: Omit<ProposalCommand, 'metadata'>) {
    requireRole(caller, commandRoles[command.type], command.type);
    if (command.type !== 'DraftProposal') await this.drafted(caller, proposalId);
    const result = await this.kernel.execute(proposalDecider, PROPOSAL_STREAM_TYPE, proposalStreamId(proposalId), {
      ...command,
      metadata: commandMetadata(caller, this.kernel.now()),
    } as ProposalCommand);
    return { proposalId, streamId: result.streamId, position: result.position };
  }
}

/**
 * The proposer sees their own proposals. Anyone else sees them only once submitted (a draft is
 * the proposer's working copy, addressed to no one), only within their jurisdiction (§3), and
 * only acting in a role above the proposer's: a colleague acting as proposer sees none. The
 * queries and the audit trail (proposalsService.readAccess) read by this one predicate.
 */
export function seesProposal(org: OrgChart, caller: Caller, proposal: ProposalView): boolean {
  if (!proposal.status) return false;
  if (proposal.proposerId === caller.user.id) return true;
  // D73-10b: a co-proposer follows the proposal they share, once it is addressed to anyone.
  if (proposal.revision > 0 && (proposal.coProposerIds ?? []).includes(caller.user.id)) return true;
  return caller.role !== 'proposer' && proposal.revision > 0 && org.inJurisdiction(caller.user.id, proposal.proposerUnitId);
}

/** The leaders who review a proposal within their jurisdiction (C14-2.3) read its report to decide on it. */
const PROPOSAL_DECIDER_ROLES: readonly Role[] = ['unit-head', 'collective', 'authority'];

/** The view fields that come from the restricted fields of the proposal's events (report, attachments). */
export const PROPOSAL_RESTRICTED_VIEW_FIELDS = ['report', 'attachments'];

/**
 * The rule of disclosure (disclosure.ts) on a proposal: in clear for the people it is about
 * (proposer, co-proposers, whom its approval protects) and the leaders reviewing it; redacted for
 * anyone else who may read it (e.g. a supervisor or an analyst within the jurisdiction).
 */
export function proposalDisclosure(caller: Caller, proposal: ProposalView): Disclosure {
  const { people } = proposal;
  return disclosureTo(caller, {
    people: [proposal.proposerId, ...(proposal.coProposerIds ?? []), ...(people ? [...people.coProposerIds, ...people.implementerIds, people.approvingHeadId] : [])],
    deciderRoles: PROPOSAL_DECIDER_ROLES,
  });
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
    coProposerIds: dto.coProposerIds ?? [],
    ...(dto.assignmentId === undefined ? {} : { assignmentId: dto.assignmentId }),
  };
}
