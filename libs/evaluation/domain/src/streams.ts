/** docs/domain-conventions.md: one evaluation per proposal, on `evaluation-<proposalId>`. */
export const EVALUATION_STREAM_TYPE = 'evaluation';

export function evaluationStreamId(proposalId: string): string {
  return `${EVALUATION_STREAM_TYPE}-${proposalId}`;
}

/** C14-2.4e, D73-6b: one inspection case per referral or report, on `inspection-case-<caseId>`. */
export const INSPECTION_CASE_STREAM_TYPE = 'inspection-case';

export function inspectionCaseStreamId(caseId: string): string {
  return `${INSPECTION_CASE_STREAM_TYPE}-${caseId}`;
}
