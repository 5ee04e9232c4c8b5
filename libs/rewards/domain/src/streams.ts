/** docs/domain-conventions.md: a recognition per proposal and a record per cadre. */
export const RECOGNITION_STREAM_TYPE = 'recognition';
export const CADRE_STREAM_TYPE = 'cadre';

export const recognitionStreamId = (proposalId: string): string => `${RECOGNITION_STREAM_TYPE}-${proposalId}`;
export const cadreStreamId = (userId: string): string => `${CADRE_STREAM_TYPE}-${userId}`;
