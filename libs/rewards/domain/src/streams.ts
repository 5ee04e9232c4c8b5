/** docs/domain-conventions.md: a recognition per proposal and a record per cadre. */
export const RECOGNITION_STREAM_TYPE = 'recognition';
export const CADRE_STREAM_TYPE = 'cadre';

export const recognitionStreamId = (proposalId: string): string => `${RECOGNITION_STREAM_TYPE}-${proposalId}`;
export const cadreStreamId = (userId: string): string => `${CADRE_STREAM_TYPE}-${userId}`;
export const REPORT_STREAM_TYPE = 'report';
/** C14-2.5d: one stream per unit and period, e.g. report-tm-so-noi-vu-H1-2026. */
export const reportStreamId = (unitId: string, periodLabel: string): string => `${REPORT_STREAM_TYPE}-${unitId}-${periodLabel}`;
