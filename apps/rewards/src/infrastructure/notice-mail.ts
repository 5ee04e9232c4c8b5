import { createTransport, type Transporter } from 'nodemailer';
import { type RecordedEvent, RevisionConflict, projection } from '@dotpha/kernel';
import type { MailPreferenceEvent } from '@dotpha/rewards-domain';
import { type MailConfig, type ServiceKernel, reactor } from '@dotpha/service-runtime';
import { NOTICE_THREADS, type Notice, type NoticeThread, recipientsOf } from '../application/notices';
import { MAIL_PREFERENCES, type MailPreference, appliedDocument, emailEnabled } from '../application/notice-mail';
import { NOTICE_EVENTS, threadOf } from './notices';

/** One document per notice and person: claimed before the message goes out, marked sent after. */
export const MAIL_LEDGER = 'notice-mail';

/** Each person's e-mail setting, rebuilt from their NoticeEmailSet events like any read model. */
export const mailPreferencesProjection = projection<MailPreference, MailPreferenceEvent>({
  name: 'mail-preferences',
  collection: MAIL_PREFERENCES,
  canHandle: ['NoticeEmailSet'],
  key: (e) => e.data.userId,
  apply: (_current, e) => ({ email: e.data.enabled, changedAt: e.data.setAt }),
});

const transports = new Map<string, Transporter>();
const transportFor = (mail: MailConfig): Transporter => {
  let transport = transports.get(mail.url);
  if (!transport) transports.set(mail.url, (transport = createTransport(mail.url)));
  return transport;
};

/** The thread once the notices projection has applied the event (the reactor and the projection consume separately). */
async function appliedThread(kernel: ServiceKernel, threadId: string, event: RecordedEvent): Promise<NoticeThread> {
  const thread = await appliedDocument<NoticeThread>(kernel, NOTICE_THREADS, threadId, event);
  // Thrown, the event comes back (the runner retries it) once the projection has caught up.
  if (!thread) throw new Error(`notice thread ${threadId} has not yet taken ${event.type} ${event.eventId}`);
  return thread;
}

/**
 * Sends one notice to one address unless the ledger says it went: the claim (an insert with
 * compare-and-set) keeps two replicas or a redelivery from sending it twice; a send that failed
 * after its claim is tried again when the event comes back (at least once, then).
 */
async function sendOnce(kernel: ServiceKernel, mail: MailConfig, notice: Notice, userId: string, to: string): Promise<void> {
  const id = `${notice.id}|${userId}`;
  const claim = { id, data: { state: 'sending', at: kernel.now().toISOString() }, applied: {} };
  let revision = 1;
  try {
    await kernel.readModels.put(MAIL_LEDGER, claim, 0);
  } catch (error) {
    if (!(error instanceof RevisionConflict)) throw error;
    const known = await kernel.readModels.get<{ state: string }>(MAIL_LEDGER, id);
    if (!known || known.data.state === 'sent') return;
    revision = known.revision;
  }
  await transportFor(mail).sendMail({
    from: mail.from,
    to,
    subject: `[Đột Phá] ${notice.summary.length > 120 ? `${notice.summary.slice(0, 117)}...` : notice.summary}`,
    text: `${notice.summary}\n\nXem chi tiết / Details: ${notice.readAt}\n\nTắt thư thông báo / Turn these e-mails off: PUT /api/v1/me/notices/email {"enabled": false}\n`,
    messageId: `<${notice.id}.${Buffer.from(userId).toString('hex')}@${kernel.config.instance}.dotpha>`,
    headers: { 'X-Dotpha-Notice': notice.id },
  });
  await kernel.readModels.put(MAIL_LEDGER, { id, data: { state: 'sent', at: kernel.now().toISOString() }, applied: {} }, revision).catch((error: unknown) => {
    if (!(error instanceof RevisionConflict)) throw error;
  });
}

/**
 * C14-2.4f by e-mail (issue 14): each notice of /me/notices also goes to each of its recipients who
 * has an address in the organisation file and has not turned e-mail off. Without DOTPHA_SMTP_URL
 * it does nothing. The notice carries no restricted text (see Notice), so neither does the mail.
 */
export const noticeMailer = reactor({
  name: 'notice-mail',
  canHandle: NOTICE_EVENTS,
  async react(event, kernel) {
    const { mail, org } = kernel.config;
    const threadId = threadOf(event);
    if (!mail || !threadId) return;
    const thread = await appliedThread(kernel, threadId, event);
    const notice = thread.notices.find((n) => n.id === event.eventId);
    if (!notice) return;
    for (const userId of recipientsOf(thread, notice)) {
      const address = org.users.find((u) => u.id === userId)?.email;
      if (address && (await emailEnabled(kernel, userId))) await sendOnce(kernel, mail, notice, userId, address);
    }
  },
});
