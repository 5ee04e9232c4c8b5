import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InvalidInput, NotFound, type PageParams, foldStream } from '@dotpha/kernel';
import {
  type EvaluationCommand, type EvaluationCommandType, type EvaluationState, type EvaluationSubject, commandRoles, evaluationDecider,
} from '@dotpha/evaluation-domain';
import { OrgChart } from '@dotpha/org';
import {
  type Caller, type ListPage, ServiceKernel, commandMetadata, disclose, discloseView, requireJurisdiction, requireRole,
} from '@dotpha/service-runtime';
import type { EvaluationView, ProposalSubjectView } from './read-models';
import { type EvaluationSort, evaluationListQuery } from './evaluation-list';
import { EVALUATION_STREAM_TYPE, evaluationStreamId } from '@dotpha/evaluation-domain';
import { EVALUATION_RESTRICTED_VIEW_FIELDS, type PublicEvaluationView, evaluationDisclosure } from './disclosure';
import { answerDeadline, evaluationDeadline } from './schedule';

/** What a reader sees: the record, as far as they may read it, and which deadline has passed unmet. */
export type EvaluationReading = (EvaluationView | PublicEvaluationView) & {
  readonly overdue: { readonly resultsReport: boolean; readonly evaluation: boolean };
};

type DataOf<T extends EvaluationCommandType> = Extract<EvaluationCommand, { type: T }>['data'];
/** What a caller gives for a command: its data without the proposal and what the service adds. */
type Input<T extends EvaluationCommandType, Added extends string = never> = Omit<DataOf<T>, 'proposalId' | Added>;

@Injectable()
export class EvaluationsService {
  constructor(private readonly kernel: ServiceKernel, private readonly org: OrgChart) {}

  /** D73-eval: the evaluation falls due counted from this receipt. */
  reportResults(caller: Caller, proposalId: string, input: Input<'ReportResults', 'evaluationDueBy'>) {
    const evaluationDueBy = evaluationDeadline(this.kernel.now().toISOString(), this.kernel.config.policy);
    return this.run(caller, 'ReportResults', proposalId, () => ({ proposalId, report: input.report, attachmentIds: input.attachmentIds, evaluationDueBy }));
  }

  consult(caller: Caller, proposalId: string, input: Input<'ConsultPartyCommittee'>) {
    const { committeeUnitId, opinion, summary } = input;
    return this.run(caller, 'ConsultPartyCommittee', proposalId, () => {
      if (!this.org.units.some((u) => u.id === committeeUnitId)) throw new InvalidInput(`unknown unit '${committeeUnitId}'`, { field: 'committeeUnitId' });
      return { proposalId, committeeUnitId, opinion, summary };
    });
  }

  /**
   * D73-eval: the evaluator drafts; the collective of the evaluator's unit (its head and deputies)
   * votes on it, chaired by its head.
   */
  assess(caller: Caller, proposalId: string, input: Input<'AssessOutcome', 'collective'>) {
    const unit = this.org.unit(caller.unitId);
    const collective = { unitId: unit.id, headId: unit.headId, memberIds: this.org.votingCollective(unit.id) };
    const { outcome, notable, damage, causes, motive, assessment } = input;
    return this.run(caller, 'AssessOutcome', proposalId, () => ({ proposalId, outcome, notable, damage, causes, motive, assessment, collective }));
  }

  vote(caller: Caller, proposalId: string, vote: DataOf<'CastEvaluationVote'>['vote']) {
    return this.run(caller, 'CastEvaluationVote', proposalId, () => ({ proposalId, vote }));
  }

  /** C14-2.4f: an adopted assessment opens the cadre's window to answer. */
  tally(caller: Caller, proposalId: string, closeMeeting: boolean) {
    const answerDueBy = answerDeadline(this.kernel.now().toISOString(), this.kernel.config.policy);
    return this.run(caller, 'TallyEvaluationVote', proposalId, () => ({ proposalId, closeMeeting, answerDueBy }));
  }

  answer(caller: Caller, proposalId: string, answer: string) {
    return this.run(caller, 'AnswerAssessment', proposalId, () => ({ proposalId, answer }));
  }

  /** D73-2: the record names the legal basis the instance runs under. */
  decideLiability(caller: Caller, proposalId: string, input: Input<'DecideLiability', 'legalBasis'>) {
    const { legalBasis } = this.kernel.config.policy;
    return this.run(caller, 'DecideLiability', proposalId, () => ({ proposalId, liability: input.liability, reasons: input.reasons, legalBasis }));
  }

  /** C14-2.4d: abuse is referred at any stage, before the pilot has ended too (who it is about then comes from the submission). */
  async referAbuse(caller: Caller, proposalId: string, input: Input<'ReferAbuse', 'referralId' | 'proposerId' | 'proposerUnitId'>) {
    const submitted = await this.submitted(proposalId);
    const referralId = randomUUID();
    const result = await this.run(
      caller,
      'ReferAbuse',
      proposalId,
      ({ proposerId, proposerUnitId }) => ({ proposalId, referralId, proposerId, proposerUnitId, grounds: input.grounds, description: input.description }),
      (state) => state.subject ?? submitted,
    );
    // C14-2.4e: the referral opens the inspection case of the same id.
    return { ...result, referralId, caseId: referralId };
  }

  close(caller: Caller, proposalId: string) {
    return this.run(caller, 'CloseEvaluation', proposalId, () => ({ proposalId }));
  }

  /** An evaluation outside the caller's jurisdiction reads exactly like an unknown one. */
  async get(caller: Caller, proposalId: string): Promise<EvaluationReading> {
    const doc = await this.kernel.readModels.get<EvaluationView>('evaluations', proposalId);
    if (!doc || !seesEvaluation(this.org, caller, doc.data)) throw new NotFound('evaluation', proposalId);
    return this.reading(caller, doc.data);
  }

  /** One page of the evaluations the caller sees (seesEvaluation, as a query on the read model: evaluation-list.ts). */
  async list(caller: Caller, filter: PageParams<EvaluationSort>): Promise<ListPage<EvaluationReading>> {
    const page = await this.kernel.readModels.page<EvaluationView>('evaluations', evaluationListQuery(this.org, caller, filter));
    return { ...page, items: page.items.map((d) => this.reading(caller, d.data)) };
  }

  /** The stream itself rather than the read model, so the trail shows what was just written. */
  async history(caller: Caller, proposalId: string) {
    const events = await this.kernel.history(evaluationStreamId(proposalId));
    const { subject } = foldStream(evaluationDecider, events);
    if (!subject || !seesEvaluation(this.org, caller, subject)) throw new NotFound('evaluation', proposalId);
    // Who the plan protects and who votes on the assessment, as far as the read model knows them.
    const view = (await this.kernel.readModels.get<EvaluationView>('evaluations', proposalId))?.data;
    return disclose(this.kernel.contract, events, evaluationDisclosure(caller, { ...view, proposerId: subject.proposerId }));
  }

  /**
   * Role, then existence, then jurisdiction, on the state the command is decided on (the read
   * model may lag behind a command just answered), then the command's data. `subjectOf` says who
   * the command is about when the stream may not say it yet.
   */
  private async run<T extends EvaluationCommandType>(
    caller: Caller,
    type: T,
    proposalId: string,
    data: (subject: EvaluationSubject) => DataOf<T>,
    subjectOf: (state: EvaluationState) => EvaluationSubject | null = (state) => state.subject,
  ) {
    requireRole(caller, commandRoles[type], type);
    const result = await this.kernel.execute(evaluationDecider, EVALUATION_STREAM_TYPE, evaluationStreamId(proposalId), (state) => {
      const subject = subjectOf(state);
      if (!subject) throw new NotFound('evaluation', proposalId);
      if (caller.user.id !== subject.proposerId) requireJurisdiction(this.org, caller, subject.proposerUnitId, 'evaluation', proposalId);
      return { type, data: data(subject), metadata: commandMetadata(caller, this.kernel.now()) } as EvaluationCommand;
    });
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
