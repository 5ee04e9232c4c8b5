import { type CommandMetadata, IllegalTransition, InvalidInput, NotFound, RuleViolation, deciderOf } from '@dotpha/kernel';
import { requireOneOf, requireText } from '../input';
import { PROPOSAL_FIELDS } from '../fields';
import type { ApproveRegistration, InitiativeKey, RegisterInitiative, RegistrationCommand, RejectRegistration } from './commands';
import type { RegistrationEvent } from './events';
import { type RegisteredInitiative, type RegistrationState, evolveRegistration, initialRegistrationState } from './registration.state';

function registerInitiative(command: RegisterInitiative, state: RegistrationState): readonly RegistrationEvent[] {
  const { unitId, year, initiativeId, title, field, summary } = command.data;
  checkKey(command.data, state);
  const thisYear = command.metadata.now.getUTCFullYear();
  if (year < thisYear || year > thisYear + 1) {
    throw new RuleViolation('HCM3815-1', `initiatives are registered for the current or the coming year, not ${year}`, { year });
  }
  const existing = state.initiatives.find((i) => i.initiativeId === initiativeId);
  if (existing) throw new IllegalTransition(`initiative '${initiativeId}'`, existing.status, command.type);
  const { assignmentId, proposalIds = [] } = command.data;
  if (assignmentId !== undefined) requireText(assignmentId, 'assignmentId');
  proposalIds.forEach((proposalId, i) => requireText(proposalId, `proposalIds[${i}]`));
  if (new Set(proposalIds).size !== proposalIds.length) {
    throw new InvalidInput('proposalIds must not repeat a proposal', { field: 'proposalIds' });
  }
  return [
    {
      type: 'InitiativeRegistered',
      data: {
        unitId,
        year,
        initiativeId,
        title: requireText(title, 'title'),
        field: requireOneOf(field, PROPOSAL_FIELDS, 'field'),
        summary: requireText(summary, 'summary'),
        // HN67-assign: the task the initiative answers and the proposals that fulfil it.
        ...(assignmentId === undefined ? {} : { assignmentId }),
        proposalIds,
        registeredBy: command.metadata.actor.userId,
        registeredAt: command.metadata.now.toISOString(),
      },
    },
  ];
}

/** The registered initiative a direction is decided on; its registrant never decides it. */
function undecided(command: ApproveRegistration | RejectRegistration, state: RegistrationState): RegisteredInitiative {
  const { initiativeId } = command.data;
  checkKey(command.data, state);
  const initiative = state.initiatives.find((i) => i.initiativeId === initiativeId);
  if (!initiative) throw new NotFound('initiative', initiativeId);
  if (initiative.status !== 'registered') {
    throw new IllegalTransition(`initiative '${initiativeId}'`, initiative.status, command.type);
  }
  // HCM3815-1: the research direction is approved by the city committee, not by whoever asked for it.
  if (initiative.registeredBy === command.metadata.actor.userId) {
    throw new RuleViolation('HCM3815-1', 'a registrant never approves or rejects their own registration', {
      initiativeId,
      registeredBy: initiative.registeredBy,
    });
  }
  return initiative;
}

function approveRegistration(command: ApproveRegistration, state: RegistrationState): readonly RegistrationEvent[] {
  undecided(command, state);
  const { unitId, year, initiativeId, reasons } = command.data;
  const decision = { unitId, year, initiativeId, ...decidedBy(command.metadata) };
  return [{ type: 'RegistrationApproved', data: reasons ? { ...decision, reasons } : decision }];
}

function rejectRegistration(command: RejectRegistration, state: RegistrationState): readonly RegistrationEvent[] {
  undecided(command, state);
  const { unitId, year, initiativeId } = command.data;
  const decision = { unitId, year, initiativeId, ...decidedBy(command.metadata) };
  return [{ type: 'RegistrationRejected', data: { ...decision, reasons: requireText(command.data.reasons, 'reasons') } }];
}

function decidedBy(metadata: CommandMetadata) {
  return { decidedBy: metadata.actor.userId, decidedAt: metadata.now.toISOString() };
}

/** The stream is per unit and year: a command for another one was sent to the wrong stream. */
function checkKey(key: InitiativeKey, state: RegistrationState): void {
  requireText(key.unitId, 'unitId');
  requireText(key.initiativeId, 'initiativeId');
  if (!Number.isInteger(key.year)) throw new InvalidInput('year must be an integer', { year: key.year });
  if (state.unitId !== null && (state.unitId !== key.unitId || state.year !== key.year)) {
    throw new InvalidInput(`this stream holds the registrations of '${state.unitId}' for ${state.year}`, {
      unitId: key.unitId,
      year: key.year,
    });
  }
}

export const registrationDecider = deciderOf<RegistrationState, RegistrationCommand, RegistrationEvent>({
  initialState: initialRegistrationState,
  evolve: evolveRegistration,
  commands: {
    RegisterInitiative: registerInitiative,
    ApproveRegistration: approveRegistration,
    RejectRegistration: rejectRegistration,
  },
});
