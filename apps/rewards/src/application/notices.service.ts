import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type Caller, ServiceKernel } from '@dotpha/service-runtime';
import { NOTICE_THREADS, type Notice, type NoticeThread, noticesFor, recipientKey } from './notices';
import { emailEnabled, recordEarlierChoices, setEmail } from './notice-mail';

@Injectable()
export class NoticesService implements OnApplicationBootstrap {
  constructor(private readonly kernel: ServiceKernel) {}

  /** E-mail choices kept before they were events are recorded as events once (recordEarlierChoices). */
  async onApplicationBootstrap(): Promise<void> {
    const recorded = await recordEarlierChoices(this.kernel).catch((error: Error) => {
      this.kernel.config.log?.(`[rewards] e-mail choices made before they were events not recorded yet: ${error.message}`, { level: 'warn' });
      return 0;
    });
    if (recorded) this.kernel.config.log?.(`[rewards] recorded ${recorded} e-mail choice(s) made before they were events`);
  }

  /**
   * C14-2.4f: the caller's own notices, newest first. Only the threads that name the caller are
   * read (the recipient index), and a person reads no one else's notices: there is no user parameter.
   */
  async mine(caller: Caller): Promise<Omit<Notice, 'to'>[]> {
    const threads = await this.kernel.readModels.find<NoticeThread>(NOTICE_THREADS, { [`recipients.${recipientKey(caller.user.id)}`]: true });
    return noticesFor(caller.user.id, threads.map((d) => d.data));
  }

  /** Whether the caller's notices are also e-mailed, and where (the address of the organisation file; null: none known). */
  async email(caller: Caller): Promise<{ readonly enabled: boolean; readonly address: string | null; readonly sending: boolean }> {
    return { enabled: await emailEnabled(this.kernel, caller.user.id), address: caller.user.email ?? null, sending: this.kernel.config.mail !== undefined };
  }

  /** Each person turns e-mail of their own notices on or off; the notices stay in /me/notices either way. */
  async setEmail(caller: Caller, enabled: boolean) {
    await setEmail(this.kernel, caller, enabled);
    return this.email(caller);
  }
}
