import { IllegalTransition, InvalidInput, NotFound, RuleViolation } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { RegistrationCommand } from './commands';
import type { RegistrationEvent } from './events';
import { registrationDecider } from './registration.decider';

const spec = DeciderSpecification.for(registrationDecider);
const UNIT = 'tm-so-khcn';
const AT = '2026-03-02T08:00:00.000Z';
const agencyHead = meta({ userId: 'u-skhcn-giam-doc', role: 'unit-head', at: AT });
const cityCommittee = meta({ userId: 'u-ubnd-pct-2', role: 'city-committee', at: '2026-03-20T03:00:00.000Z' });
const initiative = {
  title: 'Sàn giao dịch công nghệ tỉnh',
  field: 'socio-economic',
  summary: 'Kết nối viện, trường với doanh nghiệp.',
} as const;

const register = (initiativeId = 'i-1', overrides: Record<string, unknown> = {}): RegistrationCommand => ({
  type: 'RegisterInitiative',
  data: { unitId: UNIT, year: 2026, initiativeId, ...initiative, ...overrides },
  metadata: agencyHead,
});
const registered = (initiativeId = 'i-1'): RegistrationEvent<'InitiativeRegistered'> => ({
  type: 'InitiativeRegistered',
  data: { unitId: UNIT, year: 2026, initiativeId, ...initiative, proposalIds: [], registeredBy: 'u-skhcn-giam-doc', registeredAt: AT },
});
const approve = (initiativeId = 'i-1', reasons?: string): RegistrationCommand => ({
  type: 'ApproveRegistration',
  data: { unitId: UNIT, year: 2026, initiativeId, ...(reasons ? { reasons } : {}) },
  metadata: cityCommittee,
});
const reject = (reasons: string, initiativeId = 'i-1'): RegistrationCommand => ({
  type: 'RejectRegistration',
  data: { unitId: UNIT, year: 2026, initiativeId, reasons },
  metadata: cityCommittee,
});
const approved = (initiativeId = 'i-1'): RegistrationEvent<'RegistrationApproved'> => ({
  type: 'RegistrationApproved',
  data: { unitId: UNIT, year: 2026, initiativeId, decidedBy: 'u-ubnd-pct-2', decidedAt: '2026-03-20T03:00:00.000Z' },
});

describe('annual initiative registration', () => {
  it('HCM3815-1: an agency registers an initiative for the year', () => {
    spec.given([]).when(register()).then([registered()]);
  });

  it('HCM3815-1: an agency may register more than one initiative a year', () => {
    spec.given([registered('i-1')]).when(register('i-2')).then([registered('i-2')]);
  });

  it('HCM3815-1: registrations are for the current or the coming year', () => {
    expect(spec.given([]).when(register('i-1', { year: 2027 })).events()).toHaveLength(1);
    spec.given([]).when(register('i-1', { year: 2025 })).thenThrows(RuleViolation, { clause: 'HCM3815-1', year: 2025 });
    spec.given([]).when(register('i-1', { year: 2028 })).thenThrows(RuleViolation, { clause: 'HCM3815-1' });
  });

  it('HCM3815-1: the city committee approves the research direction', () => {
    spec.given([registered()]).when(approve()).then([approved()]);
    const [withReasons] = spec.given([registered()]).when(approve('i-1', 'Phù hợp định hướng chuyển đổi số')).events();
    expect(withReasons.data).toMatchObject({ reasons: 'Phù hợp định hướng chuyển đổi số' });
  });

  it('HCM3815-1: the city committee rejects a research direction, with reasons', () => {
    spec
      .given([registered()])
      .when(reject('Trùng với nhiệm vụ đã giao Sở Công Thương'))
      .then([
        {
          type: 'RegistrationRejected',
          data: { ...approved().data, reasons: 'Trùng với nhiệm vụ đã giao Sở Công Thương' },
        },
      ]);
    spec.given([registered()]).when(reject('')).thenThrows(InvalidInput);
  });

  it('a research direction is decided once', () => {
    spec.given([registered(), approved()]).when(reject('Đổi ý')).thenThrows(IllegalTransition, { from: 'approved' });
    spec.given([registered(), approved()]).when(approve()).thenThrows(IllegalTransition, { from: 'approved' });
  });

  it('an initiative is registered once and decided only once registered', () => {
    spec.given([registered()]).when(register()).thenThrows(IllegalTransition, { from: 'registered' });
    spec.given([registered('i-1')]).when(approve('i-9')).thenThrows(NotFound);
  });

  it('a command for another agency or year does not belong in this stream', () => {
    spec.given([registered()]).when(register('i-2', { unitId: 'tm-so-tai-chinh' })).thenThrows(InvalidInput);
    spec.given([registered()]).when(register('i-2', { year: 2027 })).thenThrows(InvalidInput);
  });

  it('HCM3815-1: a registrant never approves or rejects their own registration', () => {
    // Wrong before this change: the registrant, also a member of the city committee, approved it.
    const ownDecision = meta({ userId: 'u-skhcn-giam-doc', role: 'city-committee', at: '2026-03-20T03:00:00.000Z' });
    spec.given([registered()]).when({ ...approve(), metadata: ownDecision }).thenThrows(RuleViolation, { clause: 'HCM3815-1' });
    spec.given([registered()]).when({ ...reject('Tự rút'), metadata: ownDecision }).thenThrows(RuleViolation, { clause: 'HCM3815-1' });
  });

  it('HN67-assign: a registration names the assigned task it answers and the proposals that fulfil it', () => {
    const answering = { assignmentId: 'a-2026-07', proposalIds: ['p-1', 'p-2'] };
    const [event] = spec.given([]).when(register('i-1', answering)).events();
    expect(event.data).toMatchObject(answering);
    spec.given([]).when(register('i-1', { proposalIds: ['p-1', 'p-1'] })).thenThrows(InvalidInput);
    spec.given([]).when(register('i-1', { assignmentId: '' })).thenThrows(InvalidInput);
  });

  it('refuses malformed registrations', () => {
    for (const overrides of [{ title: ' ' }, { summary: '' }, { field: 'sports' }, { year: 2026.5 }, { unitId: '' }]) {
      spec.given([]).when(register('i-1', overrides)).thenThrows(InvalidInput);
    }
  });
});
