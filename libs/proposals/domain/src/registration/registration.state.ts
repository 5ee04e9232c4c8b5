import { assertNever } from '@dotpha/kernel';
import type { ProposalField } from '../fields';
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

export const initialRegistrationState = (): RegistrationState => ({ unitId: null, year: null, initiatives: [] });

export function evolveRegistration(state: RegistrationState, event: RegistrationEvent): RegistrationState {
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
