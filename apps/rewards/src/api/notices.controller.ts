import { Get } from '@nestjs/common';
import { type Caller, CurrentCaller, CallerController } from '@dotpha/service-runtime';
import { NoticesService } from '../application/notices.service';

/** C14-2.4f: every assessment, referral, finding and decision about the caller, from every context. */
@CallerController('me', 'notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get('notices')
  mine(@CurrentCaller() caller: Caller) {
    return this.notices.mine(caller);
  }
}
