export * from './sample-events';
export * from './event-store.contract';
export * from './servers';
export * from './event-bus.contract';
export * from './decider-spec';
export * from './read-model-store.contract';
export * from './tokens';
export * from './mongo-fixture';
