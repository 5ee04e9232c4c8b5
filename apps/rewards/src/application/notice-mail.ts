import { randomUUID } from 'crypto';
import type { RecordedEvent } from '@dotpha/kernel';
import { MAIL_PREFERENCE_STREAM_TYPE, mailPreferenceDecider, mailPreferenceStreamId } from '@dotpha/rewards-domain';
import { type Caller, type ServiceKernel, commandMetadata } from '@dotpha/service-runtime';

/**
 * A person's choice about e-mail of their notices, one document per user (absent: e-mail on),
 * projected from NoticeEmailSet on their mail-preference stream: the log keeps the choice, so the
 * one-process mode (read models in memory) rebuilds it at start like any other read model.
 */
export const MAIL_PREFERENCES = 'mail-preferences';

export interface MailPreference {
  readonly email: boolean;
  readonly changedAt: string;
}

/** How long a caller waits for a projection to take an event it depends on. */
const PROJECTION_WAIT_MS = 5_000;

/** The document once its projection has applied the event (null if it has not within the wait): read-your-writes across consumer groups. */
export async function appliedDocument<D>(kernel: ServiceKernel, collection: string, id: string, event: Pick<RecordedEvent, 'streamId' | 'streamPosition'>): Promise<D | null> {
  const deadline = Date.now() + PROJECTION_WAIT_MS;
  for (;;) {
    const doc = await kernel.readModels.get<D>(collection, id);
    if (doc && (doc.applied[event.streamId] ?? 0) >= event.streamPosition) return doc.data;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function emailEnabled(kernel: ServiceKernel, userId: string): Promise<boolean> {
  return (await kernel.readModels.get<MailPreference>(MAIL_PREFERENCES, userId))?.data.email ?? true;
}

/** Turns e-mail of the caller's notices on or off (NoticeEmailSet), answered once the read model shows it. */
export async function setEmail(kernel: ServiceKernel, caller: Caller, email: boolean): Promise<void> {
  const userId = caller.user.id;
  const result = await kernel.execute(mailPreferenceDecider, MAIL_PREFERENCE_STREAM_TYPE, mailPreferenceStreamId(userId), {
    type: 'SetNoticeEmail',
    data: { userId, enabled: email },
    metadata: commandMetadata(caller, kernel.now()),
  });
  const [event] = result.events;
  if (event) await appliedDocument<MailPreference>(kernel, MAIL_PREFERENCES, userId, event);
}

/**
 * A choice made before it was an event (a document its projection never wrote: no stream applied,
 * as on a MongoDB deployment upgraded from then) is recorded as NoticeEmailSet, by the person it is
 * theirs (role 'system': recorded for them), so rebuilding the read models keeps it. Run at start;
 * a document already recorded is left alone. Returns how many it recorded.
 */
export async function recordEarlierChoices(kernel: ServiceKernel): Promise<number> {
  const earlier = (await kernel.readModels.find<MailPreference>(MAIL_PREFERENCES)).filter((doc) => !(mailPreferenceStreamId(doc.id) in doc.applied));
  for (const doc of earlier) {
    await kernel.execute(mailPreferenceDecider, MAIL_PREFERENCE_STREAM_TYPE, mailPreferenceStreamId(doc.id), {
      type: 'SetNoticeEmail',
      data: { userId: doc.id, enabled: doc.data.email },
      metadata: { actor: { userId: doc.id, role: 'system' }, now: kernel.now(), correlationId: randomUUID(), causationId: null },
    });
  }
  return earlier.length;
}
