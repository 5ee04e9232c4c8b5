import { Forbidden, IllegalTransition, InvalidInput, deciderOf } from '@dotpha/kernel';
import { namedOnce, says } from './input';
import {
  PROHIBITED_ACTS,
  type CaseGround,
  type InspectionCaseCommand,
  type OpenInspectionCase,
  type RecordFinding,
} from './inspection-case.commands';
import type { InspectionCaseEvent } from './inspection-case.events';
import { type InspectionCaseState, evolveInspectionCase, initialInspectionCaseState } from './inspection-case.state';
import { abuseGrounds } from './schema';

const WHAT = 'InspectionCase';

function openInspectionCase(command: OpenInspectionCase, state: InspectionCaseState): readonly InspectionCaseEvent[] {
  const { data, metadata } = command;
  const reporterId = metadata.actor.userId;
  // The referral delivered again.
  if (state.record) {
    if (state.record.caseId === data.caseId && state.record.kind === data.kind) return [];
    throw new IllegalTransition(WHAT, state.status, command.type);
  }
  const allowed: readonly CaseGround[] = data.kind === 'abuse-referral' ? abuseGrounds : PROHIBITED_ACTS;
  if (!namedOnce(data.grounds) || !data.grounds.every((g) => allowed.includes(g))) {
    throw new InvalidInput(`name each ground of ${data.kind === 'abuse-referral' ? 'the referral' : 'the report'} once, from: ${allowed.join(', ')}`, {
      field: 'grounds',
    });
  }
  if (data.kind === 'abuse-referral' && data.proposalId === undefined) throw new InvalidInput('an abuse referral is about a proposal');
  if (!namedOnce(data.subjectIds)) throw new InvalidInput('name each person the case is about once', { field: 'subjectIds' });
  if (data.subjectIds.includes(reporterId)) throw new InvalidInput('a report is about someone else', { field: 'subjectIds' });
  if (!says(data.description)) throw new InvalidInput('describe what happened', { field: 'description' });
  return [
    {
      type: 'InspectionCaseOpened',
      data: {
        caseId: data.caseId,
        kind: data.kind,
        ...(data.proposalId !== undefined ? { proposalId: data.proposalId } : {}),
        subjectIds: data.subjectIds,
        unitId: data.unitId,
        grounds: data.grounds,
        description: data.description,
        reporterId,
        openedAt: metadata.now.toISOString(),
      },
    },
  ];
}

function recordFinding(command: RecordFinding, state: InspectionCaseState): readonly InspectionCaseEvent[] {
  const { record } = state;
  const { data, metadata } = command;
  const by = metadata.actor.userId;
  if (state.status !== 'open' || !record) throw new IllegalTransition(WHAT, state.status, command.type);
  if (data.caseId !== record.caseId) throw new InvalidInput(`this is case '${record.caseId}'`);
  // C14-2.4e: no one finds on an allegation about themself, nor on their own allegation.
  if (record.subjectIds.includes(by)) throw new Forbidden('a person the case is about does not record its finding');
  if (record.reporterId === by) throw new Forbidden('the reporter does not record the finding on their own report');
  if (!data.reasons.some(says)) throw new InvalidInput('a finding states its reasons');
  const { caseId, kind, proposalId, subjectIds, unitId } = record;
  return [
    {
      type: 'InspectionFindingRecorded',
      data: {
        caseId,
        kind,
        ...(proposalId !== null ? { proposalId } : {}),
        subjectIds,
        unitId,
        finding: data.finding,
        reasons: data.reasons,
        recordedBy: by,
        recordedAt: metadata.now.toISOString(),
      },
    },
  ];
}

/**
 * C14-2.4e, D73-6b: a case before the inspection body. A referral of abuse is an allegation and a
 * report of a prohibited act is one too: each waits for the inspector's finding, which is recorded once.
 */
export const inspectionCaseDecider = deciderOf<InspectionCaseState, InspectionCaseCommand, InspectionCaseEvent>({
  initialState: initialInspectionCaseState,
  evolve: evolveInspectionCase,
  commands: {
    OpenInspectionCase: openInspectionCase,
    RecordFinding: recordFinding,
  },
});
