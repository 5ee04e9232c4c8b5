import { Forbidden, IllegalTransition, InvalidInput, NotFound, RuleViolation, fold } from '@dotpha/kernel';
import { DeciderSpecification, meta } from '@dotpha/testkit';
import type { ProposalCommand, SubmitProposal } from './commands';
import type { ProposalContent } from './content';
import type { ProposalEvent } from './events';
import type { ProposalStatus, ReviewOutcome } from './lifecycle';
import { proposalDecider } from './proposal.decider';
import {
  ALL_STAFF_BASIS,
  APPROVING_HEAD,
  CO_PROPOSER,
  DRAFTED_AT,
  PROPOSAL_ID,
  PROPOSER,
  PROPOSER_UNIT,
  asProposer,
  approvalFacts,
  asSomeoneElse,
  bySystem,
  content,
  drafted,
  fullReport,
  historyTo,
  outcome,
  revised,
  submitted,
} from './proposal.fixtures';
import type { ReportDraft } from './report';

const spec = DeciderSpecification.for(proposalDecider);
const NOW = '2026-03-10T02:30:00.000Z';

const draft = (overrides: Partial<ProposalContent> = {}, metadata = asProposer()): ProposalCommand => ({
  type: 'DraftProposal',
  data: { proposalId: PROPOSAL_ID, proposerUnitId: PROPOSER_UNIT, ...content(overrides) },
  metadata,
});
const revise = (overrides: Partial<ProposalContent>, metadata = asProposer(NOW)): ProposalCommand => ({
  type: 'ReviseProposal',
  data: { proposalId: PROPOSAL_ID, ...content(overrides) },
  metadata,
});
const ALL_STAFF = { coverage: 'all-staff', proposerCovered: false, legalBasis: ALL_STAFF_BASIS } as const;
const submit = (metadata = asProposer(NOW), coverage: Pick<SubmitProposal['data'], 'coverage' | 'proposerCovered' | 'legalBasis'> = ALL_STAFF): ProposalCommand => ({
  type: 'SubmitProposal',
  data: { proposalId: PROPOSAL_ID, ...coverage },
  metadata,
});
const withdraw = (reason?: string, metadata = asProposer(NOW)): ProposalCommand => ({
  type: 'WithdrawProposal',
  data: { proposalId: PROPOSAL_ID, ...(reason === undefined ? {} : { reason }) },
  metadata,
});
const record = (kind: ReviewOutcome, round = 1, at = '2026-03-05T09:00:00.000Z'): ProposalCommand => ({
  type: 'RecordReviewOutcome',
  data: {
    proposalId: PROPOSAL_ID,
    outcome: kind,
    round,
    at,
    ...(kind === 'approved-pilot' || kind === 'approved-implementation'
      ? { approval: approvalFacts(kind === 'approved-pilot' ? 'pilot' : 'implementation') }
      : {}),
  },
  metadata: bySystem(),
});

/** The `missing` detail of the refusal to submit a draft whose report is `report`. */
function missingWhenSubmitting(report: ReportDraft, clause: string): readonly string[] {
  const error = spec.given([drafted({ report })]).when(submit()).thenThrows(RuleViolation, { clause }) as RuleViolation;
  return error.details.missing as string[];
}

const ALL_STATUSES = Object.keys(historyTo) as ProposalStatus[];

describe('drafting a proposal', () => {
  it('HN67-report: a draft may hold an incomplete report; the drafter is the proposer', () => {
    const report = { necessity: 'Thủ tục kéo dài.', objectives: [{ description: 'Rút ngắn thời gian' }] };
    spec
      .given([])
      .when(draft({ report }))
      .then([drafted({ report })]);
  });

  it('C14-2.2: a proposal targets a matter not yet regulated, or regulated but unsuitable', () => {
    for (const problemType of ['unregulated', 'regulated-but-unsuitable'] as const) {
      expect(spec.given([]).when(draft({ problemType })).events()).toHaveLength(1);
    }
    spec
      .given([])
      .when(draft({ problemType: 'working-well' as never }))
      .thenThrows(RuleViolation, { clause: 'C14-2.2', problemType: 'working-well' });
  });

  it('refuses malformed content', () => {
    const malformed: Partial<ProposalContent>[] = [
      { title: '  ' },
      { field: 'sports' as never },
      { isScheme: 'yes' as never },
      { attachments: [{ name: 'Tờ trình', uri: '' }] },
      { scopeUnitIds: ['tm-so-xay-dung', 'tm-so-xay-dung'] },
      { report: { implementationPlan: { milestones: [{ name: 'Sơ kết', dueDate: '31/12/2026' }] } } },
    ];
    for (const overrides of malformed) spec.given([]).when(draft(overrides)).thenThrows(InvalidInput);
  });

  it('a proposal is drafted once', () => {
    spec.given([drafted()]).when(draft()).thenThrows(IllegalTransition, { from: 'draft', command: 'DraftProposal' });
  });
});

describe('revising a proposal', () => {
  const newTitle = { title: 'Cấp phép hạ tầng viễn thông trong 10 ngày' };

  it('the proposer revises a draft, replacing its content', () => {
    spec.given([drafted()]).when(revise(newTitle)).then([revised(newTitle, NOW)]);
  });

  it('the proposer revises after the reviewer asked for a revision', () => {
    spec.given(historyTo['revision-requested']()).when(revise(newTitle)).then([revised(newTitle, NOW)]);
  });

  it('only the proposer revises their proposal', () => {
    spec.given([drafted()]).when(revise(newTitle, asSomeoneElse())).thenThrows(Forbidden);
  });

  it('cannot be revised once submitted, under review, decided or withdrawn', () => {
    for (const status of ALL_STATUSES.filter((s) => s !== 'draft' && s !== 'revision-requested')) {
      spec.given(historyTo[status]()).when(revise(newTitle)).thenThrows(IllegalTransition, { from: status });
    }
  });

  it('saving the same content again is not a new fact', () => {
    spec.given([drafted(), revised(newTitle)]).when(revise(newTitle)).then([]);
  });

  it('C14-2.2: a revision must still target a bottleneck', () => {
    spec.given([drafted()]).when(revise({ problemType: 'none' as never })).thenThrows(RuleViolation, { clause: 'C14-2.2' });
  });

  it('an unknown proposal cannot be revised; a command for another proposal is misrouted', () => {
    spec.given([]).when(revise(newTitle)).thenThrows(NotFound);
    const other: ProposalCommand = { type: 'SubmitProposal', data: { ...ALL_STAFF, proposalId: 'p-other' }, metadata: asProposer() };
    spec.given([drafted()]).when(other).thenThrows(InvalidInput);
  });
});

describe('submitting a proposal', () => {
  it('HN67-report, D73-7: a complete report is submitted with the hand-off fields', () => {
    const { report: _drafted, ...rest } = content();
    spec
      .given([drafted()])
      .when(submit())
      .then([
        {
          type: 'ProposalSubmitted',
          data: {
            proposalId: PROPOSAL_ID,
            revision: 1,
            proposerId: PROPOSER,
            proposerUnitId: PROPOSER_UNIT,
            ...rest,
            report: fullReport(),
            legalBasis: ALL_STAFF_BASIS,
            submittedAt: NOW,
          },
        },
      ]);
  });

  it("C14-2.3a: the submission names the proposer and their unit, so it reaches that unit's head", () => {
    const [event] = spec.given([drafted({ scopeUnitIds: ['tm-phuong-dong-thanh'] })]).when(submit()).events() as ProposalEvent<'ProposalSubmitted'>[];
    expect(event.data).toMatchObject({ proposerId: PROPOSER, proposerUnitId: PROPOSER_UNIT, scopeUnitIds: ['tm-phuong-dong-thanh'] });
  });

  it('HN67-report: refuses a report missing sections, naming each', () => {
    expect(missingWhenSubmitting({ necessity: 'Thủ tục kéo dài.', content: '  ' }, 'HN67-report')).toEqual([
      'basis',
      'feasibility',
      'currentSituation',
      'content',
      'organization',
      'recommendations',
      'impactForecast.positive',
      'impactForecast.negative',
      'impactForecast.expectedEffectiveness',
      'objectives',
      'implementationPlan.milestones',
      'resources',
    ]);
  });

  it('HN67-report: every objective states measurable targets', () => {
    const objectives = [
      { description: 'Rút ngắn thời gian cấp phép', targets: [] },
      { description: '', targets: [{ indicator: 'Số hồ sơ trực tuyến', target: '90' }] },
    ];
    expect(missingWhenSubmitting({ ...fullReport(), objectives }, 'HN67-report')).toEqual([
      'objectives[0].targets',
      'objectives[1].description',
      'objectives[1].targets[0].unit',
    ]);
  });

  it('D73-7: refuses a plan without resources, negative impacts, expected effectiveness or milestone dates', () => {
    const report = {
      ...fullReport(),
      impactForecast: { positive: 'Nhanh hơn.' },
      implementationPlan: { milestones: [{ name: 'Ban hành quy trình' }] },
      resources: { funding: ' ' },
    };
    expect(missingWhenSubmitting(report, 'D73-7')).toEqual([
      'impactForecast.negative',
      'impactForecast.expectedEffectiveness',
      'implementationPlan.milestones[0].dueDate',
      'resources',
    ]);
  });

  it('D73-5.1: a submission states the urgent need and the harm it may cause, by which reviewers judge its conditions', () => {
    const { necessity: _necessity, impactForecast, ...rest } = fullReport();
    const missing = missingWhenSubmitting({ ...rest, impactForecast: { ...impactForecast, negative: '' } }, 'HN67-report');
    expect(missing).toEqual(['necessity', 'impactForecast.negative']);
  });

  it('a resubmission after a revision request is the next revision', () => {
    const history = [...historyTo['revision-requested'](), revised({ isScheme: false })];
    const [event] = spec.given(history).when(submit()).events() as ProposalEvent<'ProposalSubmitted'>[];
    expect(event.data).toMatchObject({ revision: 2, isScheme: false });
  });

  it('only the proposer submits their proposal', () => {
    spec.given([drafted()]).when(submit(asSomeoneElse())).thenThrows(Forbidden);
  });

  it('cannot be submitted again while submitted, under review, decided or withdrawn', () => {
    for (const status of ALL_STATUSES.filter((s) => s !== 'draft' && s !== 'revision-requested')) {
      spec.given(historyTo[status]()).when(submit()).thenThrows(IllegalTransition, { from: status });
    }
  });
});

describe('withdrawing a proposal', () => {
  it('the proposer withdraws a proposal under review, giving a reason', () => {
    spec
      .given(historyTo['under-review']())
      .when(withdraw('Chuyển công tác'))
      .then([
        {
          type: 'ProposalWithdrawn',
          data: {
            proposalId: PROPOSAL_ID,
            proposerId: PROPOSER,
            proposerUnitId: PROPOSER_UNIT,
            previousStatus: 'under-review',
            reason: 'Chuyển công tác',
            withdrawnAt: NOW,
          },
        },
      ]);
  });

  it('the proposer may withdraw at any point before a final decision, with or without a reason', () => {
    for (const status of ['draft', 'submitted', 'under-review', 'revision-requested', 'escalated'] as const) {
      const [event] = spec.given(historyTo[status]()).when(withdraw()).events();
      expect(event).toMatchObject({ type: 'ProposalWithdrawn', data: { previousStatus: status } });
      expect(event.data).not.toHaveProperty('reason');
    }
  });

  it('cannot be withdrawn after a final decision or twice', () => {
    for (const status of ['approved-implementation', 'approved-pilot', 'rejected', 'withdrawn'] as const) {
      spec.given(historyTo[status]()).when(withdraw()).thenThrows(IllegalTransition, { from: status });
    }
  });

  it('only the proposer withdraws their proposal; a blank reason is refused', () => {
    spec.given([drafted()]).when(withdraw(undefined, asSomeoneElse())).thenThrows(Forbidden);
    spec.given([drafted()]).when(withdraw(' ')).thenThrows(InvalidInput);
  });
});

describe('recording the review outcome reported by approvals', () => {
  it('records the opening of the review of a submitted proposal', () => {
    spec.given(historyTo.submitted()).when(record('review-opened')).then([outcome('review-opened')]);
  });

  it('recording the same outcome twice yields no new event', () => {
    spec.given(historyTo['under-review']()).when(record('review-opened')).then([]);
    spec.given(historyTo['approved-pilot']()).when(record('approved-pilot')).then([]);
    spec.given(historyTo['approved-pilot']()).when(record('review-opened')).then([]);
  });

  it('C14-2.3e: the decision is to implement or to pilot; rejection and revision requests are recorded too', () => {
    for (const kind of ['approved-implementation', 'approved-pilot', 'rejected', 'revision-requested', 'escalated'] as const) {
      spec.given(historyTo['under-review']()).when(record(kind)).then([outcome(kind)]);
    }
  });

  it('C14-2.3c: an escalated proposal is reviewed again upstream, in a new round', () => {
    spec.given(historyTo.escalated()).when(record('review-opened', 2)).then([outcome('review-opened', 2)]);
    const state = fold(proposalDecider, [...historyTo.escalated(), outcome('review-opened', 2), outcome('approved-pilot', 2)]);
    expect(state.status).toBe('approved-pilot');
  });

  it('refuses outcomes the state cannot take', () => {
    spec.given(historyTo.draft()).when(record('review-opened')).thenThrows(IllegalTransition, { from: 'draft' });
    spec.given(historyTo.submitted()).when(record('approved-pilot')).thenThrows(IllegalTransition, { from: 'submitted' });
    spec.given(historyTo.rejected()).when(record('approved-pilot')).thenThrows(IllegalTransition, { from: 'rejected' });
    spec.given(historyTo['revision-requested']()).when(record('review-opened', 2)).thenThrows(IllegalTransition);
    spec.given([]).when(record('review-opened')).thenThrows(NotFound);
  });

  it('refuses malformed reports and stamps the time in UTC', () => {
    spec.given(historyTo.submitted()).when(record('review-opened', 0)).thenThrows(InvalidInput);
    spec.given(historyTo.submitted()).when(record('review-opened', 1, 'yesterday')).thenThrows(InvalidInput);
    spec.given(historyTo.submitted()).when(record('reopened' as never)).thenThrows(InvalidInput);
    spec.given(historyTo.submitted()).when(record('review-opened', 1, '2026-03-05T16:00:00+07:00')).then([outcome('review-opened', 1)]);
  });
});

describe('the proposal life cycle', () => {
  it('folds draft → submitted → under-review → revision-requested → submitted → approved', () => {
    const history = [
      drafted({ report: {} }),
      revised({}),
      submitted(1),
      outcome('review-opened', 1),
      outcome('revision-requested', 1),
      revised({ isScheme: false }),
      submitted(2, { isScheme: false }),
      outcome('review-opened', 2),
      outcome('approved-implementation', 2),
    ];
    const statuses = history.map((_, i) => fold(proposalDecider, history.slice(0, i + 1)).status);
    expect(statuses).toEqual([
      'draft',
      'draft',
      'submitted',
      'under-review',
      'revision-requested',
      'revision-requested',
      'submitted',
      'under-review',
      'approved-implementation',
    ]);
    expect(fold(proposalDecider, history)).toMatchObject({ proposerId: PROPOSER, revision: 2, content: { isScheme: false } });
  });

  it('the proposer is whoever the application authenticated as the drafter', () => {
    const [event] = spec.given([]).when(draft({}, meta({ userId: 'u-dt-kt-chuyen-vien', at: DRAFTED_AT }))).events();
    expect(event.data).toMatchObject({ proposerId: 'u-dt-kt-chuyen-vien', draftedAt: DRAFTED_AT });
  });
});

describe('SAGA-withdraw: the proposal stream arbitrates between a withdrawal and an approval', () => {
  it('SAGA-withdraw: an approval arriving after the withdrawal records nothing (not an error, so no dead letter)', () => {
    const afterReview: ProposalStatus[] = ['under-review', 'escalated', 'revision-requested'];
    for (const before of afterReview) {
      const withdrawn = [...historyTo[before](), ...spec.given(historyTo[before]()).when(withdraw()).events()];
      for (const kind of ['approved-pilot', 'approved-implementation', 'rejected', 'revision-requested', 'escalated', 'review-opened'] as const) {
        spec.given(withdrawn).when(record(kind)).then([]);
      }
      expect(fold(proposalDecider, withdrawn).status).toBe('withdrawn');
    }
    // Wrong before this change: the outcome was refused, and the approvals event parked as a dead letter.
    spec.given(historyTo.withdrawn()).when(record('review-opened')).then([]);
  });

  it('SAGA-withdraw: a withdrawal after the approval (or rejection) was recorded is refused', () => {
    for (const status of ['approved-pilot', 'approved-implementation', 'rejected'] as const) {
      spec.given(historyTo[status]()).when(withdraw('Đổi ý')).thenThrows(IllegalTransition, { from: status, command: 'WithdrawProposal' });
    }
  });

  it('SAGA-withdraw: the recorded approval carries the plan, who decided and the legal basis, for monitoring to plan from', () => {
    const [event] = spec.given(historyTo['under-review']()).when(record('approved-pilot')).events();
    expect(event).toEqual(outcome('approved-pilot'));
    expect(event.data).toMatchObject({
      approval: {
        decision: 'pilot',
        plan: { supervisorId: 'u-skhcn-thanh-tra', implementerIds: ['u-cds-truong-phong'] },
        decidedBy: { headId: APPROVING_HEAD, collective: true },
        legalBasis: ALL_STAFF_BASIS,
      },
    });
  });

  it('SAGA-withdraw: an approval outcome without the approval, or naming another decision, is refused', () => {
    const bare: ProposalCommand = {
      type: 'RecordReviewOutcome',
      data: { proposalId: PROPOSAL_ID, outcome: 'approved-pilot', round: 1, at: '2026-03-05T09:00:00.000Z' },
      metadata: bySystem(),
    };
    spec.given(historyTo['under-review']()).when(bare).thenThrows(InvalidInput);
    const mismatched = { ...bare, data: { ...bare.data, approval: approvalFacts('implementation') } } as ProposalCommand;
    spec.given(historyTo['under-review']()).when(mismatched).thenThrows(InvalidInput);
    const noBasis = { ...bare, data: { ...bare.data, approval: { ...approvalFacts(), legalBasis: ' ' } } } as ProposalCommand;
    spec.given(historyTo['under-review']()).when(noBasis).thenThrows(InvalidInput);
  });
});

describe('D73-10b: co-proposers, implementers and the approving head', () => {
  it('D73-10b: a proposal names its co-proposers when drafted, revised and submitted', () => {
    const withCo = { coProposerIds: [CO_PROPOSER] };
    spec.given([]).when(draft(withCo)).then([drafted(withCo)]);
    spec.given([drafted()]).when(revise(withCo)).then([revised(withCo, NOW)]);
    const [event] = spec.given([drafted(withCo)]).when(submit()).events() as ProposalEvent<'ProposalSubmitted'>[];
    expect(event.data.coProposerIds).toEqual([CO_PROPOSER]);
  });

  it('D73-10b: the proposer is not their own co-proposer, and no one is named twice', () => {
    spec.given([]).when(draft({ coProposerIds: [PROPOSER] })).thenThrows(InvalidInput);
    spec.given([]).when(draft({ coProposerIds: [CO_PROPOSER, CO_PROPOSER] })).thenThrows(InvalidInput);
    spec.given([]).when(draft({ coProposerIds: [''] })).thenThrows(InvalidInput);
  });

  it('D73-10b: the recorded approval names the people protected and recognised: proposer, co-proposers, implementers, approving head', () => {
    const history = [drafted({ coProposerIds: [CO_PROPOSER] }), submitted(1, { coProposerIds: [CO_PROPOSER] }), outcome('review-opened')];
    const [event] = spec.given(history).when(record('approved-implementation')).events();
    expect(event.data).toMatchObject({
      approval: {
        people: { proposerId: PROPOSER, coProposerIds: [CO_PROPOSER], implementerIds: ['u-cds-truong-phong'], approvingHeadId: APPROVING_HEAD },
      },
    });
  });
});

describe('D73-2: who is covered, and the legal basis', () => {
  const leadersOnly = (proposerCovered: boolean) =>
    ({ coverage: 'leaders-and-managers', proposerCovered, legalBasis: 'Nghị định 73/2023/NĐ-CP' }) as const;

  it('D73-2: under all-staff coverage any cadre submits, and the submission names the legal basis', () => {
    const [event] = spec.given([drafted()]).when(submit()).events() as ProposalEvent<'ProposalSubmitted'>[];
    expect(event.data.legalBasis).toBe(ALL_STAFF_BASIS);
  });

  it('D73-2: under leaders-and-managers coverage only a covered cadre submits', () => {
    spec.given([drafted()]).when(submit(asProposer(NOW), leadersOnly(false))).thenThrows(RuleViolation, { clause: 'D73-2' });
    const [event] = spec.given([drafted()]).when(submit(asProposer(NOW), leadersOnly(true))).events() as ProposalEvent<'ProposalSubmitted'>[];
    expect(event.data.legalBasis).toBe('Nghị định 73/2023/NĐ-CP');
  });

  it('D73-2: a submission without a legal basis or with an unknown coverage is refused', () => {
    spec.given([drafted()]).when(submit(asProposer(NOW), { ...ALL_STAFF, legalBasis: '' })).thenThrows(InvalidInput);
    spec.given([drafted()]).when(submit(asProposer(NOW), { ...ALL_STAFF, coverage: 'everyone' as never })).thenThrows(InvalidInput);
  });
});

describe('HN67-assign: a proposal answering an assigned task', () => {
  it('HN67-assign: the proposal names the assignment it answers, through to its submission', () => {
    const answering = { assignmentId: 'a-2026-07' };
    spec.given([]).when(draft(answering)).then([drafted(answering)]);
    const [event] = spec.given([drafted(answering)]).when(submit()).events() as ProposalEvent<'ProposalSubmitted'>[];
    expect(event.data.assignmentId).toBe('a-2026-07');
    spec.given([]).when(draft({ assignmentId: ' ' })).thenThrows(InvalidInput);
  });
});
