import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Caller, CallerGuard, CurrentCaller } from '@dotpha/service-runtime';
import { NoticesService } from '../application/notices.service';

/** C14-2.4f: every assessment, referral, finding and decision about the caller, from every context. */
@ApiTags('notices')
@UseGuards(CallerGuard)
@Controller('me')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get('notices')
  mine(@CurrentCaller() caller: Caller) {
    return this.notices.mine(caller);
  }
}
