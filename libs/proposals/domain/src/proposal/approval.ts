import { InvalidInput, type JsonSchema } from '@dotpha/kernel';
import { type ProposalPeople, peopleSchema } from '../people';
import { enumSchema, idSchema, isoDateSchema, objectSchema, textSchema } from '../schema';

/**
 * SAGA-withdraw: the approval as the proposal stream records it. The proposal stream is the
 * arbiter between a withdrawal and an approval, so the contexts downstream (monitoring) plan from
 * this record, never from the approvals context's event: a pilot can only follow an approval the
 * proposal accepted, and the proposal accepts none once withdrawn.
 */
export const APPROVAL_DECISIONS = ['implementation', 'pilot'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export interface ApprovedPlanFacts {
  readonly scope: string;
  /** YYYY-MM-DD */
  readonly startDate: string;
  /** An implementation may leave its end open (C14-2.3e). */
  readonly endDate: string | null;
  readonly kpis: readonly {
    readonly id: string;
    readonly name: string;
    readonly unit: string;
    readonly target: number;
    readonly direction: 'at-least' | 'at-most';
  }[];
  readonly milestones: readonly { readonly id: string; readonly name: string; readonly dueDate: string }[];
  readonly resources: readonly {
    readonly kind: 'funding' | 'people' | 'equipment' | 'other';
    readonly description: string;
    readonly amount?: number;
  }[];
  readonly supervisorId: string | null;
  /** D73-10b: who carries the plan out, as the approval names them (may be none). */
  readonly implementerIds: readonly string[];
}

/** HCM3815-2: who decided; `headId` chaired the collective or approved (D73-8.1a). */
export interface ApprovalDecidedBy {
  readonly unitId: string;
  readonly reviewerId: string;
  readonly headId: string;
  readonly collective: boolean;
  readonly override: boolean;
  readonly collectiveMemberIds: readonly string[];
}

/** What the approvals context decided, as the hand-off handler passes it to the proposal. */
export interface ApprovalFacts {
  readonly decision: ApprovalDecision;
  readonly plan: ApprovedPlanFacts;
  readonly decidedBy: ApprovalDecidedBy;
  /** D73-2: the legal basis the decision was taken under. */
  readonly legalBasis: string;
}

export interface RecordedApproval extends ApprovalFacts {
  /** The unit the proposal was made in: whose leaders follow the pilot (§3). */
  readonly proposerUnitId: string;
  readonly people: ProposalPeople;
}

// Bounds as wide as the approvals context's own schema, so whatever it accepted is recorded here.
const text = textSchema(20_000, 1);
const ids = { type: 'array', items: idSchema, uniqueItems: true, maxItems: 500 };

const planSchema: JsonSchema = objectSchema({
  scope: text,
  startDate: isoDateSchema,
  endDate: { anyOf: [isoDateSchema, { type: 'null' }] },
  kpis: {
    type: 'array',
    maxItems: 200,
    items: objectSchema({
      id: idSchema,
      name: text,
      unit: textSchema(200),
      target: { type: 'number' },
      direction: enumSchema(['at-least', 'at-most']),
    }),
  },
  milestones: { type: 'array', maxItems: 200, items: objectSchema({ id: idSchema, name: text, dueDate: isoDateSchema }) },
  resources: {
    type: 'array',
    maxItems: 200,
    items: objectSchema(
      { kind: enumSchema(['funding', 'people', 'equipment', 'other']), description: text, amount: { type: 'number', minimum: 0 } },
      ['amount'],
    ),
  },
  supervisorId: { anyOf: [idSchema, { type: 'null' }] },
  implementerIds: { ...ids, maxItems: 50 },
});

export const recordedApprovalSchema: JsonSchema = objectSchema({
  decision: enumSchema(APPROVAL_DECISIONS),
  plan: planSchema,
  decidedBy: objectSchema({
    unitId: idSchema,
    reviewerId: idSchema,
    headId: idSchema,
    collective: { type: 'boolean' },
    override: { type: 'boolean' },
    collectiveMemberIds: ids,
  }),
  legalBasis: textSchema(500, 1),
  proposerUnitId: idSchema,
  people: peopleSchema,
});

/**
 * D73-10b: the approval with the people it protects and recognises: the proposer and
 * co-proposers as the proposal stands, the implementers the plan names, the approving head.
 */
export function recordApproval(
  approval: ApprovalFacts,
  proposal: { readonly proposerId: string; readonly proposerUnitId: string; readonly coProposerIds: readonly string[] },
): RecordedApproval {
  const { decision, plan, decidedBy, legalBasis } = approval;
  if (!(APPROVAL_DECISIONS as readonly unknown[]).includes(decision)) {
    throw new InvalidInput(`an approval decides to implement or to pilot, not '${String(decision)}'`, { decision });
  }
  if (typeof legalBasis !== 'string' || legalBasis.trim() === '') throw new InvalidInput('an approval names its legal basis (D73-2)');
  const implementerIds = [...new Set(plan.implementerIds)];
  return {
    decision,
    plan: { ...plan, implementerIds },
    decidedBy,
    legalBasis,
    proposerUnitId: proposal.proposerUnitId,
    people: {
      proposerId: proposal.proposerId,
      coProposerIds: [...proposal.coProposerIds],
      implementerIds,
      approvingHeadId: decidedBy.headId,
    },
  };
}
