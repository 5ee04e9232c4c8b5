/** The actors of DOMAIN.md §2. A user may hold several; any cadre acting on their own proposal is a `proposer`. */
export const ROLES = [
  'proposer',
  'unit-head',
  'collective',
  'authority',
  'supervisor',
  'evaluator',
  'inspector',
  'organization-office',
  'city-committee',
  'analyst',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}
