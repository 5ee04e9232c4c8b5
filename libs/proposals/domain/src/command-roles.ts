import type { Role } from '@dotpha/org';
import type { AssignmentCommand } from './assignment/commands';
import type { ProposalCommand } from './proposal/commands';
import type { RegistrationCommand } from './registration/commands';

export type ProposalsCommandType = ProposalCommand['type'] | RegistrationCommand['type'] | AssignmentCommand['type'];

/** Who may issue each command (DOMAIN.md §2); the application layer enforces it with jurisdiction. */
export const commandRoles: Readonly<Record<ProposalsCommandType, readonly Role[]>> = {
  RegisterInitiative: ['unit-head'],
  ApproveRegistration: ['city-committee'],
  RejectRegistration: ['city-committee'],
  DraftProposal: ['proposer'],
  ReviseProposal: ['proposer'],
  SubmitProposal: ['proposer'],
  WithdrawProposal: ['proposer'],
  // Only the hand-off handler issues it, on facts the approvals context has published: no user may.
  RecordReviewOutcome: [],
  // HN67-assign: leaders assign breakthrough tasks, within their jurisdiction.
  AssignTask: ['unit-head', 'authority', 'city-committee'],
};
