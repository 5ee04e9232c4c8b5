import { proposalEventDefinitions } from './proposal/events';
import { assignmentEventDefinitions } from './assignment/events';
import { registrationEventDefinitions } from './registration/events';

export * from './streams';
export * from './fields';
export { LIMITS } from './schema';
export * from './command-roles';
export * from './registration/commands';
export * from './registration/events';
export * from './registration/registration.state';
export * from './registration/registration.decider';
export * from './registration/registration-shortfalls';
export * from './people';
export * from './assignment/commands';
export * from './assignment/events';
export * from './assignment/assignment.state';
export * from './assignment/assignment.decider';
export * from './proposal/lifecycle';
export * from './proposal/approval';
export * from './proposal/report';
export * from './proposal/content';
export * from './proposal/commands';
export * from './proposal/events';
export * from './proposal/proposal.state';
export * from './proposal/proposal.decider';

/** Every event this context writes, for the service's EventRegistry. */
export const proposalsEventDefinitions = [
  ...registrationEventDefinitions,
  ...proposalEventDefinitions,
  ...assignmentEventDefinitions,
] as const;
