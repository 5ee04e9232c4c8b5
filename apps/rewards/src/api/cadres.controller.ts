import { Get, Param } from '@nestjs/common';
import { type Caller, CurrentCaller, CallerController } from '@dotpha/service-runtime';
import { CadreRecordsService } from '../application/cadre-records.service';
import { ParseUserIdPipe } from './dto';

@CallerController('cadres')
export class CadresController {
  constructor(private readonly records: CadreRecordsService) {}

  @Get(':userId/record')
  record(@CurrentCaller() caller: Caller, @Param('userId', ParseUserIdPipe) userId: string) {
    return this.records.record(caller, userId);
  }

  @Get(':userId/record/history')
  history(@CurrentCaller() caller: Caller, @Param('userId', ParseUserIdPipe) userId: string) {
    return this.records.history(caller, userId);
  }
}
