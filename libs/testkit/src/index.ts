export * from './sample-events';
export * from './event-store.contract';
export * from './servers';
export * from './event-bus.contract';
