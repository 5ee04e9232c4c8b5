import { type RegistrationFacts, applyRegistrationEvent, emptyRegistration, isRegistrationEvent } from '../ingest/facts';
import { sampleEvent } from '../ingest/sample-events';
import { registrationFigures } from './figures.service';

/** A registration's events as an instance publishes them: registered, then approved or rejected (or still open). */
function registration(instance: string, unitId: string, year: number, n: number, decision?: 'RegistrationApproved' | 'RegistrationRejected') {
  const initiativeId = `i-${unitId}-${year}-${n}`;
  const data = { unitId, year, initiativeId };
  const events = [sampleEvent('InitiativeRegistered', instance, initiativeId, 1, `${year}-01-1${n}T00:00:00Z`, { ...data, field: 'other', registeredAt: `${year}-01-1${n}T00:00:00Z` })];
  if (decision) events.push(sampleEvent(decision, instance, initiativeId, 2, `${year}-02-0${n + 1}T00:00:00Z`, { ...data, decidedAt: `${year}-02-0${n + 1}T00:00:00Z` }));
  return events;
}

const events = [
  // hcm owes two a year (its policy): unit A reaches it in 2026, B has one of two rejected, C registers only one; A registers one in 2027.
  ...registration('hcm', 'hcm-a', 2026, 1, 'RegistrationApproved'), ...registration('hcm', 'hcm-a', 2026, 2),
  ...registration('hcm', 'hcm-b', 2026, 1, 'RegistrationApproved'), ...registration('hcm', 'hcm-b', 2026, 2, 'RegistrationRejected'),
  ...registration('hcm', 'hcm-c', 2026, 1),
  ...registration('hcm', 'hcm-a', 2027, 1, 'RegistrationApproved'),
  // hn owes one: D reaches it (still open counts), E's only one is rejected.
  ...registration('hn', 'hn-d', 2026, 1), ...registration('hn', 'hn-e', 2026, 1, 'RegistrationRejected'),
];

function factsOf(delivered: typeof events): RegistrationFacts[] {
  const facts = new Map<string, RegistrationFacts>();
  for (const event of delivered) {
    if (!isRegistrationEvent(event)) continue;
    const { unitId, year, initiativeId } = event.data;
    const current = facts.get(initiativeId) ?? emptyRegistration(event.instance, initiativeId, unitId, year);
    if (!current.seen.includes(event.eventId)) facts.set(initiativeId, applyRegistrationEvent(current, event));
  }
  return [...facts.values()];
}

const QUOTA: Record<string, number> = { hcm: 2, hn: 1 };

describe('registrations against the instance\'s quota, per instance and year (national figures)', () => {
  const expected = [
    { instance: 'hcm', year: 2026, quota: 2, registrations: 5, approved: 2, rejected: 1, unitsRegistering: 3, unitsMeetingQuota: 1 },
    { instance: 'hcm', year: 2027, quota: 2, registrations: 1, approved: 1, rejected: 0, unitsRegistering: 1, unitsMeetingQuota: 0 },
    { instance: 'hn', year: 2026, quota: 1, registrations: 2, approved: 0, rejected: 1, unitsRegistering: 2, unitsMeetingQuota: 1 },
  ];

  it('HCM3815-1: several units and years of two instances, each against its own quota; a rejected registration does not count towards it', () => {
    expect(registrationFigures(factsOf(events), (i) => QUOTA[i])).toEqual(expected);
  });

  it('HCM3815-1: the same figures whatever order the events come in and however often one comes again', () => {
    expect(registrationFigures(factsOf([...events].reverse()), (i) => QUOTA[i])).toEqual(expected);
    expect(registrationFigures(factsOf([...events, ...events.slice(2, 6)]), (i) => QUOTA[i])).toEqual(expected);
  });
});
