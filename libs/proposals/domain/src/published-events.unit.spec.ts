import { type Decider, EventRegistry, InvalidEventPayload, type PendingEvent, fold } from '@dotpha/kernel';
import { meta } from '@dotpha/testkit';
import { commandRoles, proposalsEventDefinitions } from './index';
import type { ProposalCommand } from './proposal/commands';
import type { ProposalEvent } from './proposal/events';
import { proposalDecider } from './proposal/proposal.decider';
import { PROPOSAL_ID, PROPOSER_UNIT, asProposer, bySystem, content, drafted, fullReport, submitted } from './proposal/proposal.fixtures';
import type { RegistrationCommand } from './registration/commands';
import type { RegistrationEvent } from './registration/events';
import { registrationDecider } from './registration/registration.decider';

const registry = new EventRegistry(proposalsEventDefinitions);

function pending(event: ProposalEvent | RegistrationEvent): PendingEvent {
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
function run<S, C, E extends ProposalEvent | RegistrationEvent>(decider: Decider<S, C, E>, commands: readonly C[]): E[] {
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
      { type: 'SubmitProposal', data: proposal, metadata: asProposer() },
      {
        type: 'RecordReviewOutcome',
        data: { ...proposal, outcome: 'review-opened', round: 1, at: '2026-03-03T01:00:00Z' },
        metadata: bySystem(),
      },
      { type: 'WithdrawProposal', data: { ...proposal, reason: 'Chuyển công tác' }, metadata: asProposer() },
    ];
    const agencyYear = { unitId: 'tm-so-khcn', year: 2026 };
    const initiative = (initiativeId: string, title: string) =>
      ({ ...agencyYear, initiativeId, title, field: 'other', summary: 'Tóm tắt' }) as const;
    const registrationCommands: RegistrationCommand[] = [
      { type: 'RegisterInitiative', data: initiative('i-1', 'Sàn công nghệ'), metadata: meta() },
      { type: 'RegisterInitiative', data: initiative('i-2', 'Phòng thí nghiệm mở'), metadata: meta() },
      { type: 'ApproveRegistration', data: { ...agencyYear, initiativeId: 'i-1' }, metadata: meta() },
      { type: 'RejectRegistration', data: { ...agencyYear, initiativeId: 'i-2', reasons: 'Trùng nhiệm vụ' }, metadata: meta() },
    ];
    const events = [...run(proposalDecider, proposalCommands), ...run(registrationDecider, registrationCommands)];
    expect(events.map((e) => e.type)).toEqual([
      'ProposalDrafted',
      'ProposalRevised',
      'ProposalSubmitted',
      'ProposalReviewOutcomeRecorded',
      'ProposalWithdrawn',
      'InitiativeRegistered',
      'InitiativeRegistered',
      'RegistrationApproved',
      'RegistrationRejected',
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
    });
  });
});
