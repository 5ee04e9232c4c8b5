import type { RegistrationEvent } from './events';
import { registrationShortfalls } from './registration-shortfalls';

const agencies = [{ id: 'tm-so-khcn' }, { id: 'tm-so-tai-chinh' }, { id: 'tm-so-xay-dung' }, { id: 'tm-xa-an-binh' }];

function registered(unitId: string, initiativeId: string, year = 2026): RegistrationEvent {
  return {
    type: 'InitiativeRegistered',
    data: {
      unitId,
      year,
      initiativeId,
      title: `Sáng kiến ${initiativeId}`,
      field: 'administrative-reform',
      summary: 'Tóm tắt',
      proposalIds: [],
      registeredBy: 'u-head',
      registeredAt: `${year}-01-15T02:00:00.000Z`,
    },
  };
}

function rejected(unitId: string, initiativeId: string): RegistrationEvent {
  return {
    type: 'RegistrationRejected',
    data: {
      unitId,
      year: 2026,
      initiativeId,
      decidedBy: 'u-ubnd-chu-tich',
      reasons: 'Chưa rõ điểm nghẽn',
      decidedAt: '2026-02-01T02:00:00.000Z',
    },
  };
}

describe('agencies with no registration this year', () => {
  it('HCM3815-1: lists the agencies that registered no initiative this year, in the given order', () => {
    const events = [registered('tm-so-khcn', 'i-1'), registered('tm-xa-an-binh', 'i-2')];
    expect(registrationShortfalls(agencies, events, 2026, 1)).toEqual([
      { unitId: 'tm-so-tai-chinh', registered: 0, missing: 1 },
      { unitId: 'tm-so-xay-dung', registered: 0, missing: 1 },
    ]);
  });

  it('HCM3815-1: a rejected research direction does not count towards the minimum', () => {
    const events = agencies.map((a) => registered(a.id, `i-${a.id}`));
    expect(registrationShortfalls(agencies, [...events, rejected('tm-so-xay-dung', 'i-tm-so-xay-dung')], 2026, 1)).toEqual([
      { unitId: 'tm-so-xay-dung', registered: 0, missing: 1 },
    ]);
  });

  it('HCM3815-1: the minimum is the instance policy; registrations of other years do not count', () => {
    const events = [
      registered('tm-so-khcn', 'i-1'),
      registered('tm-so-khcn', 'i-2'),
      registered('tm-so-tai-chinh', 'i-3'),
      registered('tm-so-xay-dung', 'i-4', 2025),
    ];
    expect(registrationShortfalls(agencies, events, 2026, 2)).toEqual([
      { unitId: 'tm-so-tai-chinh', registered: 1, missing: 1 },
      { unitId: 'tm-so-xay-dung', registered: 0, missing: 2 },
      { unitId: 'tm-xa-an-binh', registered: 0, missing: 2 },
    ]);
    expect(registrationShortfalls(agencies, [], 2026, 0)).toEqual([]);
  });
});
