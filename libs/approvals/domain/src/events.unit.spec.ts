import { EventRegistry, type PendingEvent } from '@dotpha/kernel';
import { type ReviewEvent, type ReviewEventType, approvalsEventDefinitions } from './events';
import {
  approved,
  approvedByCollective,
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
