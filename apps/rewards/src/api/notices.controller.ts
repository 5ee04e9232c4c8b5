import { Body, Get, Put } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { type Caller, CurrentCaller, CallerController } from '@dotpha/service-runtime';
import { NoticesService } from '../application/notices.service';

export class EmailPreferenceDto {
  @ApiProperty({ description: 'false: no e-mail of the notices (they stay in /me/notices)' }) @IsBoolean() enabled!: boolean;
}

/** C14-2.4f: every assessment, referral, finding and decision about the caller, from every context. */
@CallerController('me', 'notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get('notices')
  mine(@CurrentCaller() caller: Caller) {
    return this.notices.mine(caller);
  }

  @Get('notices/email')
  email(@CurrentCaller() caller: Caller) {
    return this.notices.email(caller);
  }

  @Put('notices/email')
  setEmail(@CurrentCaller() caller: Caller, @Body() body: EmailPreferenceDto) {
    return this.notices.setEmail(caller, body.enabled);
  }
}
