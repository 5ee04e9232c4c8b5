import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InvalidInput, NotFound, fold } from '@dotpha/kernel';
import {
  type Awards, type RecognitionCommand, type RecognitionEvent, type RecognitionSubject, commandRoles, recognitionDecider,
} from '@dotpha/rewards-domain';
import { type Caller, ServiceKernel, commandMetadata, disclose, discloseView, requireRole } from '@dotpha/service-runtime';
import type {
  AwardsDto, DeclineRecognitionDto, GrantRecognitionDto, ProposeInstitutionalizationDto, RecommendReplicationDto,
} from '../api/dto';
import type { RecognitionView } from '../infrastructure/projections';
import { RECOGNITION_STREAM_TYPE, recognitionStreamId } from '@dotpha/rewards-domain';
import { Access } from './access';

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
  constructor(private readonly kernel: ServiceKernel, private readonly access: Access) {}

  grant(caller: Caller, proposalId: string, dto: GrantRecognitionDto) {
    const { scale, effectiveness, influence, justification } = dto.proportionality;
    return this.run(caller, proposalId, {
      type: 'GrantRecognition',
      data: { proposalId, awards: awardsOf(dto.awards), proportionality: { scale, effectiveness, influence, justification } },
    });
  }

  decline(caller: Caller, proposalId: string, dto: DeclineRecognitionDto) {
    return this.run(caller, proposalId, { type: 'DeclineRecognition', data: { proposalId, reasons: dto.reasons } });
  }

  recommendReplication(caller: Caller, proposalId: string, dto: RecommendReplicationDto) {
    const unknown = dto.targetUnitIds.filter((unitId) => !this.access.knows(unitId));
    if (unknown.length) throw new InvalidInput(`unknown target units: ${unknown.join(', ')}`);
    const replicationId = randomUUID();
    return this.run(
      caller,
      proposalId,
      { type: 'RecommendReplication', data: { proposalId, replicationId, targetUnitIds: dto.targetUnitIds, reviewPeriod: dto.reviewPeriod, reasons: dto.reasons } },
      { replicationId },
    );
  }

  proposeInstitutionalization(caller: Caller, proposalId: string, dto: ProposeInstitutionalizationDto) {
    const institutionalizationId = randomUUID();
    const { level, addressedTo, instrument, reasons } = dto;
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

  async list(caller: Caller): Promise<RecognitionView[]> {
    const docs = await this.kernel.readModels.find<RecognitionView>('recognitions');
    return docs
      .map((d) => d.data)
      .filter((r) => this.access.seesRecognition(caller, r))
      .map((r) => discloseView(r, this.access.recognitionDisclosure(caller, r), RECOGNITION_RESTRICTED_VIEW_FIELDS));
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
    const subject = await this.subject(proposalId);
    this.access.requireRecognitionScope(caller, subject.proposerUnitId, proposalId);
    const result = await this.kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(proposalId), {
      ...command,
      metadata: commandMetadata(caller, this.kernel.now()),
    } as RecognitionCommand);
    return { proposalId, ...ids, streamId: result.streamId, position: result.position };
  }

  /** Who the recognition is about, from its own stream: the read model may lag behind. */
  private async subject(proposalId: string): Promise<RecognitionSubject> {
    const history = await this.kernel.history(recognitionStreamId(proposalId));
    const { subject } = fold(recognitionDecider, history as unknown as RecognitionEvent[]);
    if (!subject) throw new NotFound('recognition', proposalId);
    return subject;
  }
}

/** The view fields that come from restricted event fields: why recognition was declined (RecognitionDeclined.reasons). */
export const RECOGNITION_RESTRICTED_VIEW_FIELDS = ['decline.reasons'];

/** Only the awards given: an absent award is not an award of nothing. */
function awardsOf(dto: AwardsDto): Awards {
  const { commendation, bonusPoints, promotionPriority, planningPriority, salaryStepEarlyMonths, excellentAchievement } = dto;
  return {
    ...(commendation && { commendation: { level: commendation.level, form: commendation.form } }),
    ...(bonusPoints !== undefined && { bonusPoints }),
    ...(promotionPriority !== undefined && { promotionPriority }),
    ...(planningPriority !== undefined && { planningPriority }),
    ...(salaryStepEarlyMonths !== undefined && { salaryStepEarlyMonths }),
    ...(excellentAchievement !== undefined && { excellentAchievement }),
  };
}
