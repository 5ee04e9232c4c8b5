import {
  type CommandMetadata,
  type Decider,
  IllegalTransition,
  InvalidInput,
  NotFound,
  RuleViolation,
  assertNever,
} from '@dotpha/kernel';
import { requireOneOf, requireText } from '../checks';
import { PROPOSAL_FIELDS, type ProposalField } from '../fields';
import type { ApproveRegistration, InitiativeKey, RegisterInitiative, RegistrationCommand, RejectRegistration } from './commands';
import type { RegistrationEvent } from './events';

export type InitiativeStatus = 'registered' | 'approved' | 'rejected';

export interface RegisteredInitiative {
  readonly initiativeId: string;
  readonly title: string;
  readonly field: ProposalField;
  readonly status: InitiativeStatus;
  readonly registeredBy: string;
}

/** One agency's registrations for one year (stream `registration-<unitId>-<year>`). */
export interface RegistrationState {
  readonly unitId: string | null;
  readonly year: number | null;
  readonly initiatives: readonly RegisteredInitiative[];
}

function evolve(state: RegistrationState, event: RegistrationEvent): RegistrationState {
  switch (event.type) {
    case 'InitiativeRegistered': {
      const { unitId, year, initiativeId, title, field, registeredBy } = event.data;
      return { unitId, year, initiatives: [...state.initiatives, { initiativeId, title, field, status: 'registered', registeredBy }] };
    }
    case 'RegistrationApproved':
      return withStatus(state, event.data.initiativeId, 'approved');
    case 'RegistrationRejected':
      return withStatus(state, event.data.initiativeId, 'rejected');
    default:
      return assertNever(event, 'registration event');
  }
}

function withStatus(state: RegistrationState, initiativeId: string, status: InitiativeStatus): RegistrationState {
  return { ...state, initiatives: state.initiatives.map((i) => (i.initiativeId === initiativeId ? { ...i, status } : i)) };
}

function decide(command: RegistrationCommand, state: RegistrationState): readonly RegistrationEvent[] {
  switch (command.type) {
    case 'RegisterInitiative':
      return register(command, state);
    case 'ApproveRegistration':
    case 'RejectRegistration':
      return decideDirection(command, state);
    default:
      return assertNever(command, 'registration command');
  }
}

function register(command: RegisterInitiative, state: RegistrationState): readonly RegistrationEvent[] {
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

function decideDirection(
  command: ApproveRegistration | RejectRegistration,
  state: RegistrationState,
): readonly RegistrationEvent[] {
  const { unitId, year, initiativeId } = command.data;
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
  const decision = { unitId, year, initiativeId, ...decidedBy(command.metadata) };
  if (command.type === 'RejectRegistration') {
    return [{ type: 'RegistrationRejected', data: { ...decision, reasons: requireText(command.data.reasons, 'reasons') } }];
  }
  const { reasons } = command.data;
  return [{ type: 'RegistrationApproved', data: reasons ? { ...decision, reasons } : decision }];
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

export const registrationDecider: Decider<RegistrationState, RegistrationCommand, RegistrationEvent> = {
  initialState: () => ({ unitId: null, year: null, initiatives: [] }),
  evolve,
  decide,
};
