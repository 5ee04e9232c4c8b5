export * from './mongodb-event-store';
export type { CommitDocument } from './commit-store';
export * from './mongodb-read-model-store';
export { type LogChunk, encodeLogEvents } from './log-scan';
