import type { Command } from '@dotpha/kernel';
import type { ProposalField } from '../fields';

/** Identifies one initiative in its stream `registration-<unitId>-<year>`. */
export interface InitiativeKey {
  readonly unitId: string;
  readonly year: number;
  readonly initiativeId: string;
}

export type RegisterInitiative = Command<
  'RegisterInitiative',
  InitiativeKey & { readonly title: string; readonly field: ProposalField; readonly summary: string }
>;
export type ApproveRegistration = Command<'ApproveRegistration', InitiativeKey & { readonly reasons?: string }>;
export type RejectRegistration = Command<'RejectRegistration', InitiativeKey & { readonly reasons: string }>;

export type RegistrationCommand = RegisterInitiative | ApproveRegistration | RejectRegistration;
