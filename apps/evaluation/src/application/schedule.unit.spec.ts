import type { PilotEnd } from '@dotpha/monitoring-domain';
import { policyFrom } from '@dotpha/org';
import { answerDeadline, evaluationDeadline, evaluationOpening } from './schedule';

const policy = policyFrom({});

function end(endedAt: string, people?: object): PilotEnd {
  return {
    proposalId: 'p-1', proposerId: 'u-proposer', proposerUnitId: 'unit-1', kind: 'pilot', supervisorId: 'u-s', endedAt, kpiTolerance: 0.1,
    kpiResults: [], milestones: [], flags: 0, openFlags: 0, legalBasis: policy.legalBasis, ...(people ? { people } : {}),
  } as PilotEnd;
}

describe('evaluation schedule', () => {
  it('D73-eval: results due 5 working days after the end, the evaluation 7 after that until a report is received', () => {
    const opening = evaluationOpening(end('2026-09-01T03:00:00.000Z'), 'completed', policy);
    expect(opening).toMatchObject({ reportDueBy: '2026-09-08T16:59:59.999Z', evaluationDueBy: '2026-09-17T16:59:59.999Z' });
  });

  it('D73-eval: the evaluation counts 7 working days from RECEIPT of the report, not from its due date (wrong before)', () => {
    // Pilot ended Tuesday 1 September; the report was received the next day, well before its due date.
    expect(evaluationDeadline('2026-09-02T03:00:00.000Z', policy)).toBe('2026-09-11T16:59:59.999Z');
    // The old code counted from the due date (8 September) whatever the receipt: 17 September.
    expect(evaluationDeadline('2026-09-02T03:00:00.000Z', policy)).not.toBe('2026-09-17T16:59:59.999Z');
  });

  it('TZ-working-days: a report received on a Friday morning in Vietnam (Thursday UTC) counts from Friday', () => {
    // 2026-09-10T23:30Z is Friday 11 September 06:30 in Hà Nội: 7 working days → Tuesday 22 September.
    expect(evaluationDeadline('2026-09-10T23:30:00.000Z', policy)).toBe('2026-09-22T16:59:59.999Z');
  });

  it('TZ-working-days: deadlines end at the end of the local working day, holidays skipped', () => {
    const withHoliday = policyFrom({ publicHolidays: ['2026-09-02'] });
    // Tuesday 1 September + 5 working days, 2 September (National Day) off: Wednesday 9 September, 23:59:59.999 in Vietnam.
    expect(evaluationOpening(end('2026-09-01T03:00:00.000Z'), 'completed', withHoliday).reportDueBy).toBe('2026-09-09T16:59:59.999Z');
    expect(evaluationDeadline('2026-09-02T03:00:00.000Z', policyFrom({ timeZone: 'UTC' }))).toBe('2026-09-11T23:59:59.999Z');
  });

  it('C14-2.4f: the cadre has 5 working days by default to answer, from the assessment', () => {
    expect(answerDeadline('2026-09-14T03:00:00.000Z', policy)).toBe('2026-09-21T16:59:59.999Z');
    expect(answerDeadline('2026-09-14T03:00:00.000Z', policyFrom({ deadlines: { answer: 2 } }))).toBe('2026-09-16T16:59:59.999Z');
  });

  it('D73-10b: the people of the plan come from the pilot event; the proposer alone when it names none', () => {
    const people = { proposerId: 'u-proposer', coProposerIds: ['u-co'], implementerIds: ['u-i'], approvingHeadId: 'u-head' };
    expect(evaluationOpening(end('2026-09-01T03:00:00.000Z', people), 'completed', policy).people).toEqual(people);
    expect(evaluationOpening(end('2026-09-01T03:00:00.000Z'), 'terminated', policy).people).toEqual({
      proposerId: 'u-proposer', coProposerIds: [], implementerIds: [], approvingHeadId: null,
    });
  });
});
