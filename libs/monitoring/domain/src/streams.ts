/** docs/domain-conventions.md: one pilot per approved proposal, on `pilot-<proposalId>`. */
export const PILOT_STREAM_TYPE = 'pilot';

export function pilotStreamId(proposalId: string): string {
  return `${PILOT_STREAM_TYPE}-${proposalId}`;
}
