import { type Command, type EventsOf, Forbidden, Type, closedObject, deciderOf, defineEvents, definitionsOf } from '@dotpha/kernel';
import { id, instant } from './schema';

/** C14-2.4f by e-mail: one stream per person, their choice whether the notices are also e-mailed. */
export const MAIL_PREFERENCE_STREAM_TYPE = 'mail-preference';
export const mailPreferenceStreamId = (userId: string): string => `${MAIL_PREFERENCE_STREAM_TYPE}-${userId}`;

const noticeEmailSet = closedObject({ userId: id, enabled: Type.Boolean(), setAt: instant });

type MailPreferenceEvents = EventsOf<typeof mailPreferenceEvents>;
export type MailPreferenceEvent<T extends keyof MailPreferenceEvents = keyof MailPreferenceEvents> = MailPreferenceEvents[T];

/** A person's own setting, never for other agencies: the log keeps it, so the read model is rebuilt from it. */
export const mailPreferenceEvents = defineEvents('rewards', {
  NoticeEmailSet: { version: 1, classification: 'internal', schema: noticeEmailSet },
});
export const mailPreferenceEventDefinitions = definitionsOf(mailPreferenceEvents);

export type SetNoticeEmail = Command<'SetNoticeEmail', { readonly userId: string; readonly enabled: boolean }>;

/** Null until the person first chooses (e-mail is on meanwhile). */
export interface MailPreferenceState {
  readonly enabled: boolean | null;
}

/**
 * Each person sets their own; setting what is already set records nothing. The first choice is
 * always recorded, so that it replaces a read model written before the choice was an event.
 */
export const mailPreferenceDecider = deciderOf<MailPreferenceState, SetNoticeEmail, MailPreferenceEvent>({
  initialState: () => ({ enabled: null }),
  evolve: (_state, event) => ({ enabled: event.data.enabled }),
  commands: {
    SetNoticeEmail: ({ data, metadata }, state) => {
      if (metadata.actor.userId !== data.userId) throw new Forbidden(`${metadata.actor.userId} cannot set the e-mail of ${data.userId}'s notices`);
      if (state.enabled === data.enabled) return [];
      return [{ type: 'NoticeEmailSet', data: { userId: data.userId, enabled: data.enabled, setAt: metadata.now.toISOString() } }];
    },
  },
});
