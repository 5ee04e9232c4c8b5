import { EventRegistry, type PendingEvent, type RecordedEvent } from '@dotpha/kernel';
import { type ReviewEvent, type ReviewEventType, approvalsEventDefinitions } from './events';
import {
  approved,
  approvedByCollective,
  closed,
  collectiveRouting,
  consulted,
  escalated,
  opened,
  overridden,
  pilotPlan,
  rejected,
  revisionRequested,
  voted,
} from './review.fixtures';

// Adding an event to the union without publishing its definition fails to compile here.
type Unpublished = Exclude<ReviewEventType, (typeof approvalsEventDefinitions)[number]['type']>;
const everyEventPublished: [Unpublished] extends [never] ? true : never = true;

const pending = (event: ReviewEvent): PendingEvent => ({
  ...event,
  eventId: `e-${event.type}`,
  occurredAt: '2026-03-05T08:00:00.000Z',
  actor: { userId: 'u-head', role: 'unit-head' },
  correlationId: 'corr',
  causationId: null,
});

describe('approvals event contract', () => {
  // The strict registry (ajv strict mode) also proves the schemas themselves are well formed.
  const registry = new EventRegistry([...approvalsEventDefinitions]);

  it('publishes every review event in the approvals context', () => {
    expect(everyEventPublished).toBe(true);
    expect(approvalsEventDefinitions.every((d) => d.context === 'approvals')).toBe(true);
  });

  it.each<ReviewEvent>([
    opened(),
    opened(collectiveRouting),
    consulted(),
    voted('u-head', 'abstain'),
    approvedByCollective(),
    overridden(),
    escalated(),
    revisionRequested(),
    rejected(),
    approved(),
    approved({ plan: { ...pilotPlan, implementerIds: ['u-proposer', 'u-implementer'] } }),
    closed(),
    closed('approved'),
    approved({
      decision: 'implementation',
      plan: { ...pilotPlan, endDate: null, supervisorId: null, resources: [{ kind: 'people', description: 'Hai chuyên viên' }] },
    }),
  ])('the decided $type matches its published schema', (event) => {
    expect(() => registry.validateAppend([pending(event)])).not.toThrow();
  });

  it('refuses a payload off the contract', () => {
    const attestation = { ...approved().data.attestation, notContraryToLaw: false };
    const offContract = { ...approved(), data: { ...approved().data, attestation } } as unknown as ReviewEvent;
    expect(() => registry.validateAppend([pending(offContract)])).toThrow(/notContraryToLaw/);
  });

  it('lists only fields of the payload as restricted', () => {
    for (const definition of approvalsEventDefinitions) {
      const properties = Object.keys((definition.schema as { properties: object }).properties);
      expect(properties).toEqual(expect.arrayContaining([...('restricted' in definition ? definition.restricted : [])]));
    }
  });
});

describe('approvals events written before v2 stay readable', () => {
  const registry = new EventRegistry([...approvalsEventDefinitions]);
  const OLD_BASIS = 'Kết luận 14-KL/TW ngày 22/9/2021 của Bộ Chính trị';

  /** A stored v1 event: only the payload and version matter to the upcaster. */
  const stored = (type: string, data: unknown): RecordedEvent =>
    ({ ...pending({ type, data } as ReviewEvent), version: 1, streamId: 'review-p-1', streamType: 'review', streamPosition: 3, recordedAt: '2026-03-05T08:00:00.000Z', instance: 'tm', classification: 'public', prevHash: 'x', hash: 'y' }) as RecordedEvent;

  /** Reads a stored v1 event and checks the result against the current schema. */
  function read(type: string, data: unknown): Record<string, any> {
    const current = registry.upcast(stored(type, data));
    expect(current.version).toBe(registry.definition(type).version);
    expect(() => registry.validateAppend([pending(current as unknown as ReviewEvent)])).not.toThrow();
    return current.data as Record<string, any>;
  }

  // Payloads exactly as the code before this change wrote them.
  const v1DecidedBy = { unitId: 'unit-dept', reviewerId: 'u-head', collective: false, override: false, collectiveMemberIds: [] };
  // The plan had no implementers in v1 (D73-10b added them).
  const { implementerIds, ...v1Plan } = pilotPlan;
  const attestation = { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true };

  it('D73-8.1b: a v1 tally reads with who took part, its quorum, and no meeting closed', () => {
    const v1 = { proposalId: 'p-1', round: 1, for: 1, against: 1, abstain: 0, members: 3, headVote: 'for', tie: true, result: 'approved', talliedAt: '2026-03-05T08:00:00.000Z' };
    expect(read('CollectiveVoteTallied', v1)).toEqual({ ...v1, participated: 2, quorum: true, closedByHead: false });
    const few = { ...v1, for: 1, against: 0, abstain: 0, members: 4, tie: false, result: 'rejected' };
    expect(read('CollectiveVoteTallied', few)).toMatchObject({ participated: 1, quorum: false });
  });

  it('D73-2, D73-10b: a v1 approval reads with the old legal basis, no implementers, and its head where v1 shows it', () => {
    const v1 = {
      proposalId: 'p-1', round: 1, proposerId: 'u-proposer', proposerUnitId: 'unit-dept', decision: 'pilot', reasons: 'Giải quyết điểm nghẽn thủ tục',
      decidedBy: v1DecidedBy, attestation, plan: v1Plan, overdue: false, decidedAt: '2026-03-05T08:00:00.000Z',
    };
    expect(read('ProposalApproved', v1)).toEqual({
      ...v1,
      decidedBy: { ...v1DecidedBy, headId: 'u-head' },
      legalBasis: OLD_BASIS,
      plan: { ...v1Plan, implementerIds: [] },
    });
    const byCollective = { ...v1DecidedBy, reviewerId: 'u-deputy-1', collective: true, collectiveMemberIds: ['u-deputy-1', 'u-deputy-2'] };
    expect(read('ProposalApproved', { ...v1, decidedBy: byCollective }).decidedBy).toEqual({ ...byCollective, headId: null });
    const byOverride = { ...v1DecidedBy, override: true };
    expect(read('ProposalApproved', { ...v1, decidedBy: byOverride }).decidedBy.headId).toBe('u-head');
  });

  it('D73-2: a v1 rejection reads with the old legal basis', () => {
    const v1 = {
      proposalId: 'p-1', round: 1, proposerId: 'u-proposer', proposerUnitId: 'unit-dept', reasons: 'Chưa đủ căn cứ',
      decidedBy: v1DecidedBy, overdue: false, rejectedAt: '2026-03-05T08:00:00.000Z',
    };
    expect(read('ProposalRejected', v1)).toEqual({ ...v1, decidedBy: { ...v1DecidedBy, headId: 'u-head' }, legalBasis: OLD_BASIS });
  });
});
