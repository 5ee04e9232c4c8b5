import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InvalidInput, NotFound, RuleViolation } from '@dotpha/kernel';
import { OrgChart, type ProposalRouting, type Role, isCovered } from '@dotpha/org';
import {
  type Proposal, type ProposalCommand, type ProposalState, type AssignmentEvent, PROPOSAL_STREAM_TYPE, assignmentDecider,
  assignmentStreamId, commandRoles, mayAnswer, proposalDecider, proposalStreamId,
} from '@dotpha/proposals-domain';
import {
  type Caller, type Disclosure, type ListPage, ServiceKernel, commandMetadata, disclose, discloseView, disclosureTo, requireJurisdiction, requireRole,
} from '@dotpha/service-runtime';
import type { ProposalView } from './read-models';
import { type ProposalFilter, proposalListQuery } from './proposal-list';

/** A proposal's content as its proposer writes it, drafted or revised. */
export type ProposalContent = Omit<Extract<ProposalCommand, { type: 'ReviseProposal' }>['data'], 'proposalId'>;

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

  async draft(caller: Caller, content: ProposalContent) {
    const proposalId = randomUUID();
    requireRole(caller, commandRoles.DraftProposal, 'DraftProposal');
    const task = await this.task(content.assignmentId);
    this.checkPeopleAndAssignment(content, task, caller.user.id, caller.unitId);
    const result = await this.kernel.execute(proposalDecider, PROPOSAL_STREAM_TYPE, proposalStreamId(proposalId), {
      type: 'DraftProposal',
      data: { proposalId, proposerUnitId: caller.unitId, ...content },
      metadata: commandMetadata(caller, this.kernel.now()),
    });
    return { proposalId, streamId: result.streamId, position: result.position };
  }

  async revise(caller: Caller, proposalId: string, content: ProposalContent) {
    const task = await this.task(content.assignmentId);
    return this.run(caller, proposalId, 'ReviseProposal', (proposal) => {
      this.checkPeopleAndAssignment(content, task, proposal.proposerId, proposal.proposerUnitId);
      return { proposalId, ...content };
    });
  }

  /** D73-2: the instance's coverage, whether the org chart covers the caller under it, and its legal basis. */
  submit(caller: Caller, proposalId: string) {
    const { policy } = this.kernel.config;
    return this.run(caller, proposalId, 'SubmitProposal', () => ({
      proposalId, coverage: policy.coverage, proposerCovered: isCovered(caller.user.id, this.org, policy), legalBasis: policy.legalBasis,
    }));
  }

  withdraw(caller: Caller, proposalId: string, reason?: string) {
    return this.run(caller, proposalId, 'WithdrawProposal', () => ({ proposalId, ...(reason ? { reason } : {}) }));
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

  /** One page of the proposals the caller sees (seesProposal, as a query on the read model: proposal-list.ts). */
  async list(caller: Caller, filter: ProposalFilter): Promise<ListPage<ProposalSummary>> {
    const page = await this.kernel.readModels.page<ProposalView>('proposals', proposalListQuery(this.org, caller, filter));
    return { ...page, items: page.items.map(({ data: { report: _report, attachments: _attachments, ...summary } }) => summary) };
  }

  async history(caller: Caller, proposalId: string) {
    const proposal = await this.visibleView(caller, proposalId);
    return disclose(this.kernel.contract, await this.kernel.history(proposalStreamId(proposalId)), proposalDisclosure(caller, proposal));
  }

  /** The task an answered assignment holds: undefined when none is named, null when there is no such assignment. */
  private async task(assignmentId: string | undefined): Promise<AssignmentEvent<'TaskAssigned'>['data'] | null | undefined> {
    if (assignmentId === undefined) return undefined;
    const assignment = await this.kernel.state(assignmentDecider, assignmentStreamId(assignmentId));
    return assignment.status === 'none' ? null : assignment.task;
  }

  /**
   * What the decider cannot see from its own stream: co-proposers are users of this instance
   * (D73-10b), and an answered assignment exists and was given to the proposer or their unit
   * (HN67-assign).
   */
  private checkPeopleAndAssignment(content: ProposalContent, task: AssignmentEvent<'TaskAssigned'>['data'] | null | undefined, proposerId: string, proposerUnitId: string): void {
    const known = new Set(this.org.users.map((u) => u.id));
    const unknown = (content.coProposerIds ?? []).filter((id) => !known.has(id));
    if (unknown.length > 0) throw new InvalidInput('every co-proposer is a user of this instance', { field: 'coProposerIds', unknown });
    const { assignmentId } = content;
    if (assignmentId === undefined || task === undefined) return;
    if (task === null) throw new NotFound('assignment', assignmentId);
    const unitsOfAssignee = this.org.managedUnits(task.assignee.unitId);
    if (!mayAnswer(task, { proposerId, proposerUnitId, unitsOfAssignee })) {
      throw new RuleViolation('HN67-assign', 'the assignment was given to another cadre or unit', { assignmentId });
    }
  }

  /**
   * Role, then the proposal and the jurisdiction over its unit, on the stream the command is
   * decided on (the read model may lag behind), then the command's data.
   */
  private async run<T extends Exclude<ProposalCommand['type'], 'DraftProposal'>>(
    caller: Caller,
    proposalId: string,
    type: T,
    data: (proposal: Proposal) => Extract<ProposalCommand, { type: T }>['data'],
  ) {
    requireRole(caller, commandRoles[type], type);
    const result = await this.kernel.execute(proposalDecider, PROPOSAL_STREAM_TYPE, proposalStreamId(proposalId), (state: ProposalState) => {
      if (state.status === 'none') throw new NotFound('proposal', proposalId);
      requireJurisdiction(this.org, caller, state.proposerUnitId, 'proposal', proposalId);
      return { type, data: data(state), metadata: commandMetadata(caller, this.kernel.now()) } as ProposalCommand;
    });
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
