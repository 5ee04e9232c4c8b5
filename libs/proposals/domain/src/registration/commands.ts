import { type Command, type PayloadOf, Type } from '@dotpha/kernel';
import type { ProposalField } from '../fields';
import { idSchema } from '../schema';

/** Identifies one initiative in its stream `registration-<unitId>-<year>`. */
export const initiativeKeyProperties = {
  unitId: idSchema,
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  initiativeId: idSchema,
};
export type InitiativeKey = PayloadOf<typeof initiativeKeyProperties>;

export type RegisterInitiative = Command<
  'RegisterInitiative',
  InitiativeKey & {
    readonly title: string;
    readonly field: ProposalField;
    readonly summary: string;
    /** HN67-assign: the assigned task this initiative answers (the application checks it exists). */
    readonly assignmentId?: string;
    /** HN67-assign: proposals of the unit that fulfil the initiative. */
    readonly proposalIds?: readonly string[];
  }
>;
export type ApproveRegistration = Command<'ApproveRegistration', InitiativeKey & { readonly reasons?: string }>;
export type RejectRegistration = Command<'RejectRegistration', InitiativeKey & { readonly reasons: string }>;

export type RegistrationCommand = RegisterInitiative | ApproveRegistration | RejectRegistration;
