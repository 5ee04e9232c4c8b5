import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InvalidInput, NotFound, type PageParams } from '@dotpha/kernel';
import { OrgChart } from '@dotpha/org';
import { type RecognitionCommand, commandRoles, recognitionDecider } from '@dotpha/rewards-domain';
import { type Caller, type ListPage, ServiceKernel, commandMetadata, disclose, discloseView, requireRole } from '@dotpha/service-runtime';
import type { RecognitionView } from './read-models';
import { RECOGNITION_STREAM_TYPE, recognitionStreamId } from '@dotpha/rewards-domain';
import { Access } from './access';
import { type RecognitionSort, recognitionListQuery } from './recognition-list';

type DataOf<T extends RecognitionCommand['type']> = Extract<RecognitionCommand, { type: T }>['data'];
/** What a caller gives for a command: its data without the proposal and the ids made here. */
type Input<T extends RecognitionCommand['type'], Made extends string = never> = Omit<DataOf<T>, 'proposalId' | Made>;

const WHAT: Record<RecognitionCommand['type'], string> = {
  RecommendRecognition: 'recommend recognition',
  RecordAbuseReferral: 'record an abuse referral',
  RecordReferralFinding: 'record the finding on a referral',
  GrantRecognition: 'grant recognition',
  DeclineRecognition: 'decline recognition',
  RecommendReplication: 'recommend a model for replication',
  ProposeInstitutionalization: 'propose a model for institutionalization',
};

@Injectable()
export class RecognitionsService {
  constructor(private readonly kernel: ServiceKernel, private readonly access: Access, private readonly org: OrgChart) {}

  grant(caller: Caller, proposalId: string, input: Input<'GrantRecognition'>) {
    return this.run(caller, proposalId, { type: 'GrantRecognition', data: { proposalId, awards: input.awards, proportionality: input.proportionality } });
  }

  decline(caller: Caller, proposalId: string, reasons: DataOf<'DeclineRecognition'>['reasons']) {
    return this.run(caller, proposalId, { type: 'DeclineRecognition', data: { proposalId, reasons } });
  }

  recommendReplication(caller: Caller, proposalId: string, input: Input<'RecommendReplication', 'replicationId'>) {
    const unknown = input.targetUnitIds.filter((unitId) => !this.access.knows(unitId));
    if (unknown.length) throw new InvalidInput(`unknown target units: ${unknown.join(', ')}`);
    const replicationId = randomUUID();
    const { targetUnitIds, reviewPeriod, reasons } = input;
    return this.run(
      caller,
      proposalId,
      { type: 'RecommendReplication', data: { proposalId, replicationId, targetUnitIds, reviewPeriod, reasons } },
      { replicationId },
    );
  }

  proposeInstitutionalization(caller: Caller, proposalId: string, input: Input<'ProposeInstitutionalization', 'institutionalizationId'>) {
    const institutionalizationId = randomUUID();
    const { level, addressedTo, instrument, reasons } = input;
    return this.run(
      caller,
      proposalId,
      { type: 'ProposeInstitutionalization', data: { proposalId, institutionalizationId, level, addressedTo, instrument, reasons } },
      { institutionalizationId },
    );
  }

  /** A recognition outside what the caller may see reads exactly like an unknown one. */
  async get(caller: Caller, proposalId: string): Promise<RecognitionView> {
    const recognition = await this.visible(caller, proposalId);
    return discloseView(recognition, this.access.recognitionDisclosure(caller, recognition), RECOGNITION_RESTRICTED_VIEW_FIELDS);
  }

  /** One page of the recognitions the caller sees (seesRecognition, as a query on the read model: recognition-list.ts). */
  async list(caller: Caller, filter: PageParams<RecognitionSort>): Promise<ListPage<RecognitionView>> {
    const page = await this.kernel.readModels.page<RecognitionView>('recognitions', recognitionListQuery(this.org, caller, filter));
    return { ...page, items: page.items.map((d) => discloseView(d.data, this.access.recognitionDisclosure(caller, d.data), RECOGNITION_RESTRICTED_VIEW_FIELDS)) };
  }

  async history(caller: Caller, proposalId: string) {
    const recognition = await this.visible(caller, proposalId);
    return disclose(this.kernel.contract, await this.kernel.history(recognitionStreamId(proposalId)), this.access.recognitionDisclosure(caller, recognition));
  }

  private async visible(caller: Caller, proposalId: string): Promise<RecognitionView> {
    const doc = await this.kernel.readModels.get<RecognitionView>('recognitions', proposalId);
    if (!doc || !this.access.seesRecognition(caller, doc.data)) throw new NotFound('recognition', proposalId);
    return doc.data;
  }

  private async run<X extends object>(caller: Caller, proposalId: string, command: Omit<RecognitionCommand, 'metadata'>, ids?: X) {
    requireRole(caller, commandRoles[command.type], WHAT[command.type]);
    // Who the recognition is about, from the state it is decided on: the read model may lag behind.
    const result = await this.kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(proposalId), ({ subject }) => {
      if (!subject) throw new NotFound('recognition', proposalId);
      this.access.requireRecognitionScope(caller, subject.proposerUnitId, proposalId);
      return { ...command, metadata: commandMetadata(caller, this.kernel.now()) } as RecognitionCommand;
    });
    return { proposalId, ...ids, streamId: result.streamId, position: result.position };
  }
}

/** The view fields that come from restricted event fields: why recognition was declined (RecognitionDeclined.reasons). */
export const RECOGNITION_RESTRICTED_VIEW_FIELDS = ['decline.reasons'];
