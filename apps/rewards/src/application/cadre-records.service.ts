import { Injectable } from '@nestjs/common';
import { NotFound, type RecordedEvent } from '@dotpha/kernel';
import { type Caller, ServiceKernel, disclose } from '@dotpha/service-runtime';
import { type CadreRecordView, emptyCadreRecord } from './read-models';
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
    const { readable, doc } = await readableCadreRecord(this.kernel, this.access, caller, userId);
    if (!readable) throw new NotFound('cadre record', userId);
    return doc ?? emptyCadreRecord(userId);
  }

  async history(caller: Caller, userId: string): Promise<readonly RecordedEvent[]> {
    await this.record(caller, userId);
    return disclose(this.kernel.contract, await this.kernel.history(cadreStreamId(userId)), this.access.cadreRecordDisclosure());
  }
}

/**
 * Whether the caller reads a cadre's record (Access.seesCadreRecord over every unit the cadre
 * belonged to when a fact arose, and their current one): the queries and the audit trail
 * (rewardsService.readAccess) read by this one predicate.
 */
export async function readableCadreRecord(
  kernel: ServiceKernel,
  access: Access,
  caller: Caller,
  userId: string,
): Promise<{ readonly readable: boolean; readonly doc: CadreRecordView | null }> {
  const doc = (await kernel.readModels.get<CadreRecordView>('cadre-records', userId))?.data ?? null;
  const currentUnit = access.currentUnitOf(userId);
  const unitIds = [...(doc?.unitIds ?? []), ...(currentUnit ? [currentUnit] : [])];
  return { readable: (doc !== null || currentUnit !== undefined) && access.seesCadreRecord(caller, userId, unitIds), doc };
}
