import type { RecordedEvent } from '@dotpha/kernel';
import type { Role, User } from '@dotpha/org';
import type { Caller } from './actor';
import { FULL_RECORD_ROLES, disclose, discloseView, disclosureTo, redactEvent, storedStream, withoutFields } from './disclosure';

const caller = (id: string, role: Role = 'proposer'): Caller => ({ user: { id, unitId: 'u', roles: [role] } as unknown as User, role, unitId: 'u' });

const contract = {
  definition: (type: string) =>
    ({
      Consulted: { classification: 'internal', restricted: ['opinion'] },
      Opened: { classification: 'public' },
      Recorded: { classification: 'restricted' },
      RecordedListed: { classification: 'restricted', restricted: ['reasons'] },
    })[type] as { classification: 'public' | 'internal' | 'restricted'; restricted?: string[] },
};

const event = (type: string, data: Record<string, unknown>, streamType = 'review', streamId = 'review-p1'): RecordedEvent =>
  ({ type, data, streamId, streamType, streamPosition: 1, hash: 'h' }) as unknown as RecordedEvent;

describe('the rule of disclosure', () => {
  const concerned = { people: ['u-proposer', null], deciders: ['u-head'], deciderRoles: ['evaluator'] as Role[] };

  it('shows restricted text in clear to the people concerned, the deciders named, the deciding roles and the full-record roles', () => {
    expect(disclosureTo(caller('u-proposer'), concerned)).toBe('full');
    expect(disclosureTo(caller('u-head', 'unit-head'), concerned)).toBe('full');
    expect(disclosureTo(caller('u-x', 'evaluator'), concerned)).toBe('full');
    for (const role of FULL_RECORD_ROLES) expect(disclosureTo(caller('u-x', role), concerned)).toBe('full');
    expect(FULL_RECORD_ROLES).toEqual(['inspector', 'organization-office']);
  });

  it('redacts it for everyone else: a colleague, a leader above who takes no part, an analyst, the operator', () => {
    for (const role of ['proposer', 'unit-head', 'authority', 'analyst', 'admin'] as Role[]) {
      expect([role, disclosureTo(caller('u-colleague', role), concerned)]).toEqual([role, 'redacted']);
    }
    expect(disclosureTo(caller('u-colleague', 'unit-head'), { people: ['u-proposer'] })).toBe('redacted');
  });

  it('leaves out the listed restricted fields and names them; an event with none present is unchanged', () => {
    const consulted = event('Consulted', { proposalId: 'p1', opinion: 'Đồng ý' });
    expect(redactEvent(contract, consulted)).toEqual({ ...consulted, data: { proposalId: 'p1' }, redacted: ['opinion'] });
    const bare = event('Consulted', { proposalId: 'p1' });
    expect(redactEvent(contract, bare)).toBe(bare);
    const opened = event('Opened', { proposalId: 'p1' });
    expect(redactEvent(contract, opened)).toBe(opened);
  });

  it('leaves out whole an event classified restricted that lists no field, but only the listed ones when it lists some', () => {
    const recorded = event('Recorded', { userId: 'u-1', liability: 'upheld' });
    expect(redactEvent(contract, recorded)).toEqual({ ...recorded, data: {}, redacted: ['userId', 'liability'] });
    const listed = event('RecordedListed', { userId: 'u-1', reasons: ['x'] });
    expect(redactEvent(contract, listed)).toEqual({ ...listed, data: { userId: 'u-1' }, redacted: ['reasons'] });
  });

  it('discloses a history whole, redacted, or with named fields withheld', () => {
    const events = [event('Consulted', { opinion: 'x', reporterId: 'u-r' })];
    expect(disclose(contract, events, 'full')).toEqual(events);
    expect(disclose(contract, events, 'redacted')[0]).toMatchObject({ data: { reporterId: 'u-r' }, redacted: ['opinion'] });
    expect(disclose(contract, events, { withhold: ['reporterId'] })[0]).toMatchObject({ data: { opinion: 'x' }, redacted: ['reporterId'] });
  });

  it('leaves out of a view the fields named by path, stepping into arrays, skipping what is absent', () => {
    const view = { consultation: { opinion: 'x', consultedAt: 't' }, outcome: null, flags: [{ id: 'f', description: 'd' }, { id: 'g' }], report: { a: 1 } };
    const paths = ['consultation.opinion', 'outcome.reasons', 'flags[].description', 'report', 'missing.deep'];
    expect(withoutFields(view, paths)).toEqual({ consultation: { consultedAt: 't' }, outcome: null, flags: [{ id: 'f' }, { id: 'g' }] });
    expect(view.consultation.opinion).toBe('x');
    expect(discloseView(view, 'full', paths)).toBe(view);
    expect(discloseView(view, 'redacted', paths)).not.toHaveProperty('report');
    expect(discloseView({ reporterId: 'u', description: 'd' }, { withhold: ['reporterId'] }, ['description'])).toEqual({ description: 'd' });
  });

  it('reads the type of a stored stream and its key from the first event; nothing for an unknown stream', async () => {
    const store = { readStream: async (id: string) => (id === 'inspection-case-c1' ? [event('Opened', { caseId: 'c1' }, 'inspection-case', id)] : []) };
    expect(await storedStream(store, 'inspection-case-c1')).toMatchObject({ type: 'inspection-case', key: 'c1' });
    expect(await storedStream(store, 'review-p2')).toBeNull();
  });
});
