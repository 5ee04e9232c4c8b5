import type { PublishedEvent } from '../contract/published-events.generated';
import { type ProposalFacts, applyProposalEvent, emptyProposal, isProposalEvent } from './facts';

let n = 0;
const event = (type: string, data: Record<string, unknown>) =>
  ({ eventId: `e-${++n}`, type, version: 1, instance: 'hn', streamId: `s-${data.proposalId}`, recordedAt: '2026-03-02T00:00:00Z', data: { proposalId: 'p1', ...data } }) as unknown as PublishedEvent;

const walk = [
  event('ProposalSubmitted', { proposerUnitId: 'hn-so-tc', field: 'administrative-reform', problemType: 'procedure', isScheme: false, revision: 1, submittedAt: '2026-03-06T02:00:00Z' }),
  // Submitted on Friday 6 March, decided on Wednesday 11 March: Monday, Tuesday, Wednesday = 3 working days.
  event('ProposalApproved', { proposerUnitId: 'hn-so-tc', decision: 'pilot', overdue: true, decidedAt: '2026-03-11T09:00:00Z' }),
  event('PilotPlanned', { plannedAt: '2026-03-11T09:00:00Z' }),
  event('PilotStarted', { startedAt: '2026-03-12T09:00:00Z' }),
  event('PilotCompleted', { endedAt: '2026-06-12T09:00:00Z' }),
  event('OutcomeAssessed', { outcome: 'achieved', round: 1, late: false }),
  event('LiabilityDecided', { liability: 'none' }),
  event('RecognitionGranted', { grantedAt: '2026-07-01T00:00:00Z' }),
];

const replayed = (events: readonly PublishedEvent[]): ProposalFacts =>
  events.reduce((facts, e) => (isProposalEvent(e) ? applyProposalEvent(facts, e) : facts), emptyProposal('hn', 'p1'));

const figures = ({ seen: _seen, rev: _rev, ...facts }: ProposalFacts) => facts;

describe('a proposal\'s facts from its public events', () => {
  it('follow the proposal to its recognition: status, quarter, lead time in working days, overdue steps, counts', () => {
    const facts = replayed(walk);
    expect(facts).toMatchObject({ status: 'recognized', field: 'administrative-reform', unitId: 'hn-so-tc', decision: 'approved-pilot', pilotEnd: 'completed', outcome: 'achieved', liability: 'none' });
    expect(facts.period).toEqual({ year: 2026, quarter: '2026-Q1', month: '2026-03' });
    expect(facts.leadWorkingDays).toBe(3);
    expect(facts.overdue).toEqual({ decision: 1 });
    expect(facts.counts).toMatchObject({ proposals: 1, approved: 1, decided: 1, leadWorkingDays: 3, pilotsPlanned: 1, pilotsCompleted: 1, pilotsRunning: 0, outcomeAchieved: 1, liabilityNone: 1, recognitions: 1, overdueSteps: 1 });
  });

  it('come out the same in any order the five topics deliver them', () => {
    const expected = figures(replayed(walk));
    for (const order of [[...walk].reverse(), [walk[3], walk[1], walk[7], walk[0], walk[5], walk[2], walk[6], walk[4]]]) {
      expect(figures(replayed(order))).toEqual(expected);
    }
  });

  it('keep only what the figures and the export need: no field the event carried beyond them', () => {
    const submitted = event('ProposalSubmitted', { proposerUnitId: 'u', field: 'other', problemType: 'x', isScheme: false, revision: 1, submittedAt: '2026-01-05T00:00:00Z', title: 'PLANTED-TITLE', proposerId: 'PLANTED-USER' });
    expect(JSON.stringify(replayed([submitted]))).not.toMatch(/PLANTED/);
  });
});
