export * from './commands';
export * from './events';
export * from './evaluation.decider';
export * from './liability';
export * from './roles';
export * from './streams';
