import { Injectable } from '@nestjs/common';
import { type Caller, ServiceKernel } from '@dotpha/service-runtime';
import { NOTICE_THREADS, type Notice, type NoticeThread, noticesFor, recipientKey } from './notices';

@Injectable()
export class NoticesService {
  constructor(private readonly kernel: ServiceKernel) {}

  /**
   * C14-2.4f: the caller's own notices, newest first. Only the threads that name the caller are
   * read (the recipient index), and a person reads no one else's notices: there is no user parameter.
   */
  async mine(caller: Caller): Promise<Omit<Notice, 'to'>[]> {
    const threads = await this.kernel.readModels.find<NoticeThread>(NOTICE_THREADS, { [`recipients.${recipientKey(caller.user.id)}`]: true });
    return noticesFor(caller.user.id, threads.map((d) => d.data));
  }
}
