import { Forbidden } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import { type MailPreferenceEvent, type SetNoticeEmail, mailPreferenceDecider } from './mail-preference';

const spec = DeciderSpecification.for(mailPreferenceDecider);
const AT = '2026-03-02T08:00:00.000Z';
const set = (enabled: boolean, userId = 'u-cadre'): SetNoticeEmail => ({ type: 'SetNoticeEmail', data: { userId: 'u-cadre', enabled }, metadata: meta({ userId, at: AT }) });
const recorded = (enabled: boolean): MailPreferenceEvent => ({ type: 'NoticeEmailSet', data: { userId: 'u-cadre', enabled, setAt: AT } });

describe('C14-2.4f: each person turns the e-mail of their own notices on or off, kept in the log', () => {
  it('records the first choice, whatever it is, and each change after it', () => {
    spec.given([]).when(set(false)).then([recorded(false)]);
    spec.given([]).when(set(true)).then([recorded(true)]);
    spec.given([recorded(false)]).when(set(true)).then([recorded(true)]);
  });

  it('records nothing when the setting is already so', () => {
    spec.given([recorded(true)]).when(set(true)).thenNothingHappened();
    spec.given([recorded(false)]).when(set(false)).thenNothingHappened();
  });

  it("refuses to set another person's setting", () => {
    spec.given([]).when(set(false, 'u-someone-else')).thenThrows(Forbidden);
  });
});
