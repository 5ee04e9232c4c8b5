/** docs/domain-conventions.md: one review per proposal, across its rounds, on `review-<proposalId>`. */
export const REVIEW_STREAM_TYPE = 'review';

export function reviewStreamId(proposalId: string): string {
  return `${REVIEW_STREAM_TYPE}-${proposalId}`;
}
