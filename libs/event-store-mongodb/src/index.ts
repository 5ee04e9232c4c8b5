export * from './mongodb-event-store';
export * from './mongodb-read-model-store';
export { assertStreamId } from './stream-id';
export { type LogChunk, encodeLogEvents } from './log-scan';
