/** The policy areas of DOMAIN.md §4.2, shared by registrations and proposals. */
export const PROPOSAL_FIELDS = ['party-building', 'socio-economic', 'security-defence', 'administrative-reform', 'other'] as const;
export type ProposalField = (typeof PROPOSAL_FIELDS)[number];
