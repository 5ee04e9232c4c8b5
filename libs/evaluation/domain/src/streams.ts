/** docs/domain-conventions.md: one evaluation per proposal, on `evaluation-<proposalId>`. */
export const EVALUATION_STREAM_TYPE = 'evaluation';

export function evaluationStreamId(proposalId: string): string {
  return `${EVALUATION_STREAM_TYPE}-${proposalId}`;
}
