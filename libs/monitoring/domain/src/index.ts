export * from './commands';
export * from './events';
export * from './pilot.state';
export * from './pilot.decider';
export * from './pilot.queries';
export * from './progress';
export * from './roles';
export * from './streams';
