import { Injectable } from '@nestjs/common';
import { NotFound, type RecordedEvent } from '@dotpha/kernel';
import { type Caller, ServiceKernel } from '@dotpha/service-runtime';
import { type CadreRecordView, emptyCadreRecord } from '../infrastructure/projections';
import { cadreStreamId } from '@dotpha/rewards-domain';
import { Access } from './access';

@Injectable()
export class CadreRecordsService {
  constructor(private readonly kernel: ServiceKernel, private readonly access: Access) {}

  /**
   * A cadre of the organisation with nothing on record has an empty record; a record the caller
   * may not see reads exactly like an unknown cadre.
   */
  async record(caller: Caller, userId: string): Promise<CadreRecordView> {
    const doc = await this.kernel.readModels.get<CadreRecordView>('cadre-records', userId);
    const currentUnit = this.access.currentUnitOf(userId);
    const unitIds = [...(doc?.data.unitIds ?? []), ...(currentUnit ? [currentUnit] : [])];
    if ((!doc && !currentUnit) || !this.access.seesCadreRecord(caller, userId, unitIds)) throw new NotFound('cadre record', userId);
    return doc?.data ?? emptyCadreRecord(userId);
  }

  async history(caller: Caller, userId: string): Promise<readonly RecordedEvent[]> {
    await this.record(caller, userId);
    return this.kernel.history(cadreStreamId(userId));
  }
}
