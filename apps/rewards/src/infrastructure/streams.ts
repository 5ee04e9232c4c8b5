// Stream ids of docs/domain-conventions.md. The rewards domain lib does not export them (yet).
export const RECOGNITION_STREAM_TYPE = 'recognition';
export const CADRE_STREAM_TYPE = 'cadre';

export const recognitionStreamId = (proposalId: string): string => `${RECOGNITION_STREAM_TYPE}-${proposalId}`;
export const cadreStreamId = (userId: string): string => `${CADRE_STREAM_TYPE}-${userId}`;
