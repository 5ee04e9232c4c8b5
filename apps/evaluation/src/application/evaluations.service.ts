import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InvalidInput, NotFound, fold } from '@dotpha/kernel';
import {
  type EvaluationCommand, type EvaluationCommandType, type EvaluationEvent, type EvaluationState, type EvaluationSubject, commandRoles, evaluationDecider,
} from '@dotpha/evaluation-domain';
import { OrgChart } from '@dotpha/org';
import {
  type Caller, ServiceKernel, commandMetadata, disclose, discloseView, requireJurisdiction, requireRole,
} from '@dotpha/service-runtime';
import type {
  AbuseReferralDto, AnswerDto, AssessmentDto, ConsultationDto, EvaluationVoteDto, LiabilityDto, ResultsReportDto, EvaluationTallyDto,
} from '../api/dto';
import type { EvaluationView, ProposalSubjectView } from '../infrastructure/projections';
import { EVALUATION_STREAM_TYPE, evaluationStreamId } from '@dotpha/evaluation-domain';
import { EVALUATION_RESTRICTED_VIEW_FIELDS, type PublicEvaluationView, evaluationDisclosure } from './disclosure';
import { answerDeadline, evaluationDeadline } from './schedule';

/** What a reader sees: the record, as far as they may read it, and which deadline has passed unmet. */
export type EvaluationReading = (EvaluationView | PublicEvaluationView) & {
  readonly overdue: { readonly resultsReport: boolean; readonly evaluation: boolean };
};

/** A command as the application issues it, before the metadata is attached. */
type Issued = { [T in EvaluationCommandType]: Omit<Extract<EvaluationCommand, { type: T }>, 'metadata'> }[EvaluationCommandType];

@Injectable()
export class EvaluationsService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  /** D73-eval: the evaluation falls due counted from this receipt. */
  reportResults(caller: Caller, proposalId: string, dto: ResultsReportDto) {
    const evaluationDueBy = evaluationDeadline(this.kernel.now().toISOString(), this.kernel.config.policy);
    return this.run(caller, { type: 'ReportResults', data: { proposalId, report: dto.report, attachmentIds: dto.attachmentIds ?? [], evaluationDueBy } });
  }

  async consult(caller: Caller, proposalId: string, dto: ConsultationDto) {
    await this.authorize(caller, 'ConsultPartyCommittee', proposalId);
    const { committeeUnitId, opinion, summary } = dto;
    if (!this.org.units.some((u) => u.id === committeeUnitId)) throw new InvalidInput(`unknown unit '${committeeUnitId}'`, { field: 'committeeUnitId' });
    return this.execute(caller, { type: 'ConsultPartyCommittee', data: { proposalId, committeeUnitId, opinion, summary } });
  }

  /**
   * D73-eval: the evaluator drafts; the collective of the evaluator's unit (its head and deputies)
   * votes on it, chaired by its head.
   */
  assess(caller: Caller, proposalId: string, dto: AssessmentDto) {
    const { caused, estimate, description } = dto.damage;
    const { followedApprovedPlan, pureMotive, commonGood, noSelfInterest } = dto.motive;
    const unit = this.org.unit(caller.unitId);
    return this.run(caller, {
      type: 'AssessOutcome',
      data: {
        proposalId,
        outcome: dto.outcome,
        notable: dto.notable,
        damage: { caused, ...(estimate !== undefined ? { estimate } : {}), ...(description !== undefined ? { description } : {}) },
        causes: dto.causes.map(({ description, kind }) => ({ description, kind })),
        motive: { followedApprovedPlan, pureMotive, commonGood, noSelfInterest },
        assessment: dto.assessment,
        collective: { unitId: unit.id, headId: unit.headId, memberIds: this.org.votingCollective(unit.id) },
      },
    });
  }

  vote(caller: Caller, proposalId: string, dto: EvaluationVoteDto) {
    return this.run(caller, { type: 'CastEvaluationVote', data: { proposalId, vote: dto.vote } });
  }

  /** C14-2.4f: an adopted assessment opens the cadre's window to answer. */
  tally(caller: Caller, proposalId: string, dto: EvaluationTallyDto) {
    const answerDueBy = answerDeadline(this.kernel.now().toISOString(), this.kernel.config.policy);
    return this.run(caller, { type: 'TallyEvaluationVote', data: { proposalId, closeMeeting: dto.closeMeeting ?? false, answerDueBy } });
  }

  answer(caller: Caller, proposalId: string, dto: AnswerDto) {
    return this.run(caller, { type: 'AnswerAssessment', data: { proposalId, answer: dto.answer } });
  }

  /** D73-2: the record names the legal basis the instance runs under. */
  decideLiability(caller: Caller, proposalId: string, dto: LiabilityDto) {
    const { legalBasis } = this.kernel.config.policy;
    return this.run(caller, { type: 'DecideLiability', data: { proposalId, liability: dto.liability, reasons: dto.reasons, legalBasis } });
  }

  /** C14-2.4d: abuse is referred at any stage, before the pilot has ended too. */
  async referAbuse(caller: Caller, proposalId: string, dto: AbuseReferralDto) {
    const subject = await this.authorize(caller, 'ReferAbuse', proposalId, (state) => state.subject ?? this.submitted(proposalId));
    const referralId = randomUUID();
    const { proposerId, proposerUnitId } = subject;
    const result = await this.execute(caller, {
      type: 'ReferAbuse',
      data: { proposalId, referralId, proposerId, proposerUnitId, grounds: dto.grounds, description: dto.description },
    });
    // C14-2.4e: the referral opens the inspection case of the same id.
    return { ...result, referralId, caseId: referralId };
  }

  close(caller: Caller, proposalId: string) {
    return this.run(caller, { type: 'CloseEvaluation', data: { proposalId } });
  }

  /** An evaluation outside the caller's jurisdiction reads exactly like an unknown one. */
  async get(caller: Caller, proposalId: string): Promise<EvaluationReading> {
    const doc = await this.kernel.readModels.get<EvaluationView>('evaluations', proposalId);
    if (!doc || !seesEvaluation(this.org, caller, doc.data)) throw new NotFound('evaluation', proposalId);
    return this.reading(caller, doc.data);
  }

  async list(caller: Caller): Promise<EvaluationReading[]> {
    const docs = await this.kernel.readModels.find<EvaluationView>('evaluations');
    return docs.filter((d) => seesEvaluation(this.org, caller, d.data)).map((d) => this.reading(caller, d.data));
  }

  /** The stream itself rather than the read model, so the trail shows what was just written. */
  async history(caller: Caller, proposalId: string) {
    const events = await this.kernel.history(evaluationStreamId(proposalId));
    const { subject } = fold(evaluationDecider, events as unknown as EvaluationEvent[]);
    if (!subject || !seesEvaluation(this.org, caller, subject)) throw new NotFound('evaluation', proposalId);
    // Who the plan protects and who votes on the assessment, as far as the read model knows them.
    const view = (await this.kernel.readModels.get<EvaluationView>('evaluations', proposalId))?.data;
    return disclose(this.kernel.contract, events, evaluationDisclosure(caller, { ...view, proposerId: subject.proposerId }));
  }

  private async run(caller: Caller, command: Issued) {
    await this.authorize(caller, command.type, command.data.proposalId);
    return this.execute(caller, command);
  }

  /**
   * Role, then existence, then jurisdiction, on the stream as stored (the read model may lag
   * behind a command just answered). `subjectOf` says who the command is about when the stream
   * may not say it yet.
   */
  private async authorize(
    caller: Caller,
    type: EvaluationCommandType,
    proposalId: string,
    subjectOf: (state: EvaluationState) => EvaluationSubject | null | Promise<EvaluationSubject | null> = (state) => state.subject,
  ): Promise<EvaluationSubject> {
    requireRole(caller, commandRoles[type], type);
    const events = await this.kernel.history(evaluationStreamId(proposalId));
    const subject = await subjectOf(fold(evaluationDecider, events as unknown as EvaluationEvent[]));
    if (!subject) throw new NotFound('evaluation', proposalId);
    if (caller.user.id !== subject.proposerId) requireJurisdiction(this.org, caller, subject.proposerUnitId, 'evaluation', proposalId);
    return subject;
  }

  private async execute(caller: Caller, command: Issued) {
    const { proposalId } = command.data;
    const result = await this.kernel.execute(evaluationDecider, EVALUATION_STREAM_TYPE, evaluationStreamId(proposalId), {
      ...command,
      metadata: commandMetadata(caller, this.kernel.now()),
    } as EvaluationCommand);
    return { proposalId, streamId: result.streamId, position: result.position };
  }

  private async submitted(proposalId: string): Promise<EvaluationSubject | null> {
    const doc = await this.kernel.readModels.get<ProposalSubjectView>('submitted-proposals', proposalId);
    return doc?.data ?? null;
  }

  private reading(caller: Caller, view: EvaluationView): EvaluationReading {
    const now = this.kernel.now().getTime();
    const passed = (due: string | null) => due !== null && now > Date.parse(due);
    return {
      ...(discloseView(view, evaluationDisclosure(caller, view), EVALUATION_RESTRICTED_VIEW_FIELDS) as EvaluationView | PublicEvaluationView),
      overdue: {
        resultsReport: view.status === 'open' && passed(view.reportDueBy),
        evaluation: (view.status === 'open' || view.status === 'results-reported') && passed(view.evaluationDueBy),
      },
    };
  }
}

/**
 * The cadre follows their own evaluation wherever they now serve; others within their
 * jurisdiction: the queries, the commands and the audit trail (evaluationService.readAccess) read
 * by this one predicate.
 */
export function seesEvaluation(org: OrgChart, caller: Caller, subject: EvaluationSubject): boolean {
  return subject.proposerId === caller.user.id || org.inJurisdiction(caller.user.id, subject.proposerUnitId);
}
