export * from './embedded-event-store';
export * from './memory-read-model-store';
