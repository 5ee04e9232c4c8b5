import { DEFAULT_LEGAL_BASIS } from '@dotpha/org';
import { type Decider, EventRegistry, InvalidEventPayload, type PendingEvent, fold } from '@dotpha/kernel';
import { meta } from '@dotpha/testkit';
import { commandRoles, proposalsEventDefinitions } from './index';
import type { ProposalCommand } from './proposal/commands';
import type { ProposalEvent } from './proposal/events';
import { proposalDecider } from './proposal/proposal.decider';
import type { AssignmentCommand } from './assignment/commands';
import { assignmentDecider } from './assignment/assignment.decider';
import {
  CO_PROPOSER, PROPOSAL_ID, PROPOSER, PROPOSER_UNIT, approvalFacts, asProposer, bySystem, content, drafted, fullReport, submitted,
} from './proposal/proposal.fixtures';
import type { RegistrationCommand } from './registration/commands';
import type { RegistrationEvent } from './registration/events';
import type { AssignmentEvent } from './assignment/events';
import { registrationDecider } from './registration/registration.decider';

const registry = new EventRegistry(proposalsEventDefinitions);

function pending(event: ProposalEvent | RegistrationEvent | AssignmentEvent): PendingEvent {
  return {
    ...event,
    eventId: 'e-1',
    occurredAt: '2026-03-02T08:00:00.000Z',
    actor: { userId: 'u', role: 'proposer' },
    correlationId: 'c',
    causationId: null,
  };
}

/** Runs commands one after another through a decider, as a command handler would, and returns every event. */
function run<S, C, E extends ProposalEvent | RegistrationEvent | AssignmentEvent>(decider: Decider<S, C, E>, commands: readonly C[]): E[] {
  const events: E[] = [];
  for (const command of commands) events.push(...decider.decide(command, fold(decider, events)));
  return events;
}

describe('the published events of the proposals context', () => {
  it('compile as strict JSON Schemas, one definition per type, all in the proposals context', () => {
    expect(registry.definitions().map((d) => d.type)).toEqual([
      'InitiativeRegistered',
      'RegistrationApproved',
      'RegistrationRejected',
      'ProposalDrafted',
      'ProposalRevised',
      'ProposalSubmitted',
      'ProposalWithdrawn',
      'ProposalReviewOutcomeRecorded',
      'TaskAssigned',
    ]);
    expect(new Set(proposalsEventDefinitions.map((d) => d.context))).toEqual(new Set(['proposals']));
  });

  it('accept every event the deciders decide', () => {
    const proposal = { proposalId: PROPOSAL_ID };
    const proposalCommands: ProposalCommand[] = [
      {
        type: 'DraftProposal',
        data: { ...proposal, proposerUnitId: PROPOSER_UNIT, ...content({ report: { necessity: 'Cần thiết' } }) },
        metadata: asProposer(),
      },
      { type: 'ReviseProposal', data: { ...proposal, ...content() }, metadata: asProposer() },
      {
        type: 'SubmitProposal',
        data: { ...proposal, coverage: 'all-staff', proposerCovered: false, legalBasis: 'Kết luận 14-KL/TW' },
        metadata: asProposer(),
      },
      {
        type: 'RecordReviewOutcome',
        data: { ...proposal, outcome: 'review-opened', round: 1, at: '2026-03-03T01:00:00Z' },
        metadata: bySystem(),
      },
      { type: 'WithdrawProposal', data: { ...proposal, reason: 'Chuyển công tác' }, metadata: asProposer() },
    ];
    // A second proposal goes as far as an approval, with its co-proposer and assignment.
    const approvedOne = { proposalId: 'p-2026-002' };
    const approvedCommands: ProposalCommand[] = [
      {
        type: 'DraftProposal',
        data: { ...approvedOne, proposerUnitId: PROPOSER_UNIT, ...content({ coProposerIds: [CO_PROPOSER], assignmentId: 'a-1' }) },
        metadata: asProposer(),
      },
      {
        type: 'SubmitProposal',
        data: { ...approvedOne, coverage: 'leaders-and-managers', proposerCovered: true, legalBasis: 'Nghị định 73/2023/NĐ-CP' },
        metadata: asProposer(),
      },
      { type: 'RecordReviewOutcome', data: { ...approvedOne, outcome: 'review-opened', round: 1, at: '2026-03-03T01:00:00Z' }, metadata: bySystem() },
      {
        type: 'RecordReviewOutcome',
        data: { ...approvedOne, outcome: 'approved-pilot', round: 1, at: '2026-03-04T01:00:00Z', approval: approvalFacts() },
        metadata: bySystem(),
      },
    ];
    const assignmentCommands: AssignmentCommand[] = [
      {
        type: 'AssignTask',
        data: {
          assignmentId: 'a-1',
          title: 'Giảm thời gian cấp phép xây dựng',
          description: 'Đề xuất cơ chế cấp phép nhanh',
          field: 'administrative-reform',
          assignee: { unitId: PROPOSER_UNIT, userId: null },
          assignedByUnitId: 'tm-so-khcn',
          dueDate: null,
          legalBasis: 'Kết luận 14-KL/TW',
        },
        metadata: meta({ userId: 'u-skhcn-giam-doc', role: 'unit-head' }),
      },
    ];
    const agencyYear = { unitId: 'tm-so-khcn', year: 2026 };
    const initiative = (initiativeId: string, title: string) =>
      ({ ...agencyYear, initiativeId, title, field: 'other', summary: 'Tóm tắt' }) as const;
    const registrationCommands: RegistrationCommand[] = [
      { type: 'RegisterInitiative', data: initiative('i-1', 'Sàn công nghệ'), metadata: meta() },
      { type: 'RegisterInitiative', data: { ...initiative('i-2', 'Phòng thí nghiệm mở'), assignmentId: 'a-1', proposalIds: ['p-2026-002'] }, metadata: meta() },
      { type: 'ApproveRegistration', data: { ...agencyYear, initiativeId: 'i-1' }, metadata: meta({ userId: 'u-ubnd-pct-1' }) },
      { type: 'RejectRegistration', data: { ...agencyYear, initiativeId: 'i-2', reasons: 'Trùng nhiệm vụ' }, metadata: meta({ userId: 'u-ubnd-pct-1' }) },
    ];
    const events = [
      ...run(proposalDecider, proposalCommands),
      ...run(proposalDecider, approvedCommands),
      ...run(registrationDecider, registrationCommands),
      ...run(assignmentDecider, assignmentCommands),
    ];
    expect(events.map((e) => e.type)).toEqual([
      'ProposalDrafted',
      'ProposalRevised',
      'ProposalSubmitted',
      'ProposalReviewOutcomeRecorded',
      'ProposalWithdrawn',
      'ProposalDrafted',
      'ProposalSubmitted',
      'ProposalReviewOutcomeRecorded',
      'ProposalReviewOutcomeRecorded',
      'InitiativeRegistered',
      'InitiativeRegistered',
      'RegistrationApproved',
      'RegistrationRejected',
      'TaskAssigned',
    ]);
    expect(() => registry.validateAppend(events.map(pending))).not.toThrow();
  });

  it('HN67-report, D73-7: the schema also refuses a submitted report with a section missing', () => {
    const { resources: _resources, ...report } = fullReport();
    const incomplete = { type: 'ProposalSubmitted', data: { ...submitted().data, report } } as unknown as ProposalEvent;
    expect(() => registry.validateAppend([pending(incomplete)])).toThrow(InvalidEventPayload);
    const noResourceKind = submitted(1, { report: { ...fullReport(), resources: {} } });
    expect(() => registry.validateAppend([pending(noResourceKind)])).toThrow(InvalidEventPayload);
  });

  it('bounds the length of texts and the size of lists', () => {
    const longTitle = drafted({ title: 'x'.repeat(501) });
    const manyAttachments = drafted({ attachments: Array.from({ length: 51 }, (_, i) => ({ name: `Tệp ${i}`, uri: `doc://${i}` })) });
    const extraField = { ...drafted(), data: { ...drafted().data, proposerName: 'Giáp Thị Quỳnh' } } as ProposalEvent;
    for (const event of [longTitle, manyAttachments, extraField]) {
      expect(() => registry.validateAppend([pending(event)])).toThrow(InvalidEventPayload);
    }
  });

  it('ProposalSubmitted carries the hand-off fields of docs/domain-conventions.md as required', () => {
    const required = registry.definition('ProposalSubmitted').schema.required as string[];
    expect(required).toEqual(
      expect.arrayContaining([
        ...['proposalId', 'revision', 'proposerId', 'proposerUnitId', 'title', 'field', 'problemType', 'isScheme'],
        ...['report', 'scopeUnitIds', 'submittedAt'],
      ]),
    );
  });

  it('§5: personal data is marked restricted, ids stay public, and every restricted field exists', () => {
    for (const definition of proposalsEventDefinitions) {
      const fields = Object.keys(definition.schema.properties as object);
      expect(definition.restricted.every((field) => fields.includes(field))).toBe(true);
      expect(definition.restricted.filter((field) => field.endsWith('Id'))).toEqual([]);
    }
    expect(registry.definition('ProposalSubmitted').restricted).toEqual(['report', 'attachments']);
    expect(registry.definition('ProposalWithdrawn').restricted).toEqual(['reason']);
  });

  it('every command has its roles (DOMAIN.md §2); the review outcome is the hand-off handler\'s alone', () => {
    expect(commandRoles).toEqual({
      RegisterInitiative: ['unit-head'],
      ApproveRegistration: ['city-committee'],
      RejectRegistration: ['city-committee'],
      DraftProposal: ['proposer'],
      ReviseProposal: ['proposer'],
      SubmitProposal: ['proposer'],
      WithdrawProposal: ['proposer'],
      RecordReviewOutcome: [],
      AssignTask: ['unit-head', 'authority', 'city-committee'],
    });
  });

  /** A stored event as the code before this change wrote it: version 1. */
  const stored = (type: string, data: Record<string, unknown>) =>
    registry.upcast({ ...pending({ type, data } as never), version: 1, streamId: 's', streamType: 't', streamPosition: 1, recordedAt: '', instance: 'tm', prevHash: '', hash: '' } as never) as unknown as ProposalEvent & { version: number };

  it('D73-10b, D73-2: version 1 proposal events read as version 2: no co-proposers, the all-staff legal basis', () => {
    const { coProposerIds: _c, ...draftedV1 } = drafted().data;
    const { coProposerIds: _s, legalBasis: _l, ...submittedV1 } = submitted().data;
    const readDrafted = stored('ProposalDrafted', draftedV1);
    const readSubmitted = stored('ProposalSubmitted', submittedV1);
    expect(readDrafted).toMatchObject({ version: 2, data: { coProposerIds: [] } });
    expect(readSubmitted).toMatchObject({ version: 2, data: { coProposerIds: [], legalBasis: DEFAULT_LEGAL_BASIS['all-staff'] } });
    expect(readSubmitted.data).not.toHaveProperty('assignmentId');
    const { coProposerIds: _r, ...revisedV1 } = { proposalId: PROPOSAL_ID, ...content(), revisedAt: '2026-03-02T08:00:00.000Z' };
    expect(stored('ProposalRevised', revisedV1)).toMatchObject({ version: 2, data: { coProposerIds: [] } });
    // And the decider folds them as before.
    const state = fold(proposalDecider, [readDrafted, readSubmitted]);
    expect(state).toMatchObject({ status: 'submitted', proposerId: PROPOSER, content: { coProposerIds: [] } });
  });

  it('SAGA-withdraw: a version 1 review outcome reads as version 2 without an approval', () => {
    const v1 = { proposalId: PROPOSAL_ID, outcome: 'approved-pilot', round: 1, at: '2026-03-05T09:00:00.000Z' };
    const read = stored('ProposalReviewOutcomeRecorded', v1);
    expect(read).toMatchObject({ version: 2, data: v1 });
    expect(read.data).not.toHaveProperty('approval');
  });

  it('HN67-assign: a version 1 registration reads as naming no proposals', () => {
    const v1 = {
      unitId: 'tm-so-khcn', year: 2026, initiativeId: 'i-1', title: 'Sàn công nghệ', field: 'other', summary: 'Tóm tắt',
      registeredBy: 'u-skhcn-giam-doc', registeredAt: '2026-03-02T08:00:00.000Z',
    };
    expect(stored('InitiativeRegistered', v1)).toMatchObject({ version: 2, data: { ...v1, proposalIds: [] } });
  });
});
