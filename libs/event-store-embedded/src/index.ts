export * from './embedded-event-store';
export * from './memory-read-model-store';
export * from './level-dead-letter-log';
