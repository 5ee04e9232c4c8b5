/** The bounded context, i.e. the topic family these events are published on. */
export const PROPOSALS_CONTEXT = 'proposals';

export const REGISTRATION_STREAM_TYPE = 'registration';
export const PROPOSAL_STREAM_TYPE = 'proposal';
export const ASSIGNMENT_STREAM_TYPE = 'assignment';

export function registrationStreamId(unitId: string, year: number): string {
  return `${REGISTRATION_STREAM_TYPE}-${unitId}-${year}`;
}

export function proposalStreamId(proposalId: string): string {
  return `${PROPOSAL_STREAM_TYPE}-${proposalId}`;
}

/** HN67-assign: one stream per assigned task. */
export function assignmentStreamId(assignmentId: string): string {
  return `${ASSIGNMENT_STREAM_TYPE}-${assignmentId}`;
}
