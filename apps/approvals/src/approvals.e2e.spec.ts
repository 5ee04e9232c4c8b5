import { createHash, randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { contractRegistry } from '@dotpha/contracts';
import type { InProcessEventBus } from '@dotpha/event-bus-in-process';
import { type PendingEvent, type RecordedEvent, hashEvent } from '@dotpha/kernel';
import { DEFAULT_LEGAL_BASIS, loadOrgChart, policyFrom } from '@dotpha/org';
import { PROPOSAL_STREAM_TYPE, type ProposalReport, type ProposalEvent, proposalStreamId } from '@dotpha/proposals-domain';
import { LocalIssuer, SAMPLE_ORG_FILE, type ServiceHub } from '@dotpha/service-runtime';
import { type OneProcessService, startOneProcessService } from '@dotpha/service-testkit';
import { samplePlan, testTokens } from '@dotpha/testkit';
import { ApprovalsModule } from './approvals.module';
import type { ReviewView } from './application/review-view';

/** The services trust this issuer only; tokens are minted once for every user of the sample province. */
const ISSUER = new LocalIssuer();
const TOKENS = testTokens(ISSUER);

/*
 * The approvals service alone, in one process: ProposalSubmitted events of the proposals context
 * are published into the same in-process broker the service consumes, as the proposals service
 * would publish them. Users and units are those of the sample province.
 */

interface Who {
  readonly userId: string;
  readonly role?: string;
}
const as = (userId: string, role?: string): Who => ({ userId, role });

/** The party secretary of the province: every unit is in their jurisdiction, they review nothing here. */
const OBSERVER = as('u-tu-bi-thu', 'authority');
const OUTSIDER = as('u-snv-giam-doc', 'unit-head');

// Phòng Chuyển đổi số: a cadre proposes, the head of the office reviews.
const CDS_PROPOSER = 'u-cds-chuyen-vien';
const CDS_HEAD = as('u-cds-truong-phong', 'unit-head');
const CDS_DEPUTY = as('u-cds-pho-phong', 'collective');
// Sở Khoa học và Công nghệ, which manages the office.
const SKHCN_HEAD = as('u-skhcn-giam-doc', 'unit-head');
const [SKHCN_PGD_1, SKHCN_PGD_2] = [as('u-skhcn-pgd-1', 'collective'), as('u-skhcn-pgd-2', 'collective')];
const SKHCN_DEPUTY_PROPOSER = 'u-skhcn-pgd-3';
/** The only supervisor of the sample province: every approved plan names them. */
const SKHCN_INSPECTOR = 'u-skhcn-thanh-tra';
const UBND_CHAIR = as('u-ubnd-chu-tich', 'authority');
/** The provincial committee's collective: the chair and four vice-chairs. */
const UBND_PCT = [1, 2, 3, 4].map((n) => as(`u-ubnd-pct-${n}`, 'collective'));
const UBND_PROPOSER = 'u-ubnd-danh-gia';
// Trung tâm Phục vụ hành chính công: a proposal withdrawn under review.
const TTHCC_PROPOSER = 'u-tthcc-chuyen-vien';
const TTHCC_HEAD = as('u-tthcc-giam-doc', 'unit-head');
const TTHCC_DEPUTY = as('u-tthcc-pho-giam-doc', 'collective');
// Phòng Văn hóa - Xã hội of Xã An Bình: a head without deputies, whose collective is the head alone.
const VHXH_PROPOSER = 'u-ab-vhxh-cong-chuc';
const VHXH_HEAD = as('u-ab-vhxh-truong-phong', 'unit-head');
// Phường Đông Thành: its chairman proposes, so the leadership collective reviews.
const DT_CHAIR = as('u-dt-chu-tich', 'unit-head');
const [DT_PCT_1, DT_PCT_2] = [as('u-dt-pct-1', 'collective'), as('u-dt-pct-2', 'collective')];
// Sở Tài chính: a collective of two, where a tie goes the head's way.
const STC_PROPOSER = 'u-stc-chuyen-vien';
const STC_HEAD = as('u-stc-giam-doc', 'unit-head');
const STC_DEPUTY = as('u-stc-pho-giam-doc', 'collective');
// Xã An Bình: a review left to run late.
const AB_PROPOSER = 'u-ab-cong-chuc';
const AB_HEAD = as('u-ab-chu-tich', 'authority');
const AB_DEPUTY = 'u-ab-pho-chu-tich';

const P = {
  unitHead: randomUUID(),
  escalated: randomUUID(),
  headProposal: randomUUID(),
  tie: randomUUID(),
  override: randomUUID(),
  late: randomUUID(),
};
/** Submitted after the queries count P's reviews. */
const Q = { meeting: randomUUID(), withdrawn: randomUUID(), headAlone: randomUUID() };
const LEGAL_BASIS = DEFAULT_LEGAL_BASIS['all-staff'];

const MONDAY = '2026-03-02T08:00:00.000Z';
/** 7 working days after Monday 2 March 2026, to the end of that day in Vietnam (TZ-working-days). */
const DUE_BY = '2026-03-11T16:59:59.999Z';

const attested = { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true };
const pilotPlan = samplePlan(SKHCN_INSPECTOR);
const approvePilot = { decision: 'pilot', reasons: 'Tháo gỡ điểm nghẽn thủ tục cấp phép', attestation: attested, plan: pilotPlan };
const approveImplementation = {
  decision: 'implementation',
  reasons: 'Phù hợp thẩm quyền, hiệu quả rõ',
  attestation: attested,
  plan: { scope: 'Toàn đơn vị', startDate: '2026-04-01', endDate: '2026-12-31', supervisorId: SKHCN_INSPECTOR },
};
const consultation = { opinion: 'Đảng ủy cùng cấp đồng ý chủ trương' };
const reasons = (text: string) => ({ reasons: text });

function report(): ProposalReport {
  return {
    necessity: 'Thủ tục cấp phép hạ tầng viễn thông kéo dài 45 ngày, cản trở phủ sóng 5G.',
    basis: 'Kết luận 14-KL/TW; Nghị định 73/2023/NĐ-CP; thực tiễn các tỉnh đã thí điểm.',
    impactForecast: {
      positive: 'Rút thời gian cấp phép xuống 10 ngày làm việc.',
      negative: 'Tăng khối lượng hậu kiểm trong năm đầu.',
      expectedEffectiveness: 'Phủ sóng 5G toàn tỉnh sớm hơn 18 tháng.',
    },
    feasibility: 'Có sẵn cơ sở dữ liệu quy hoạch hạ tầng; nhân lực đã được đào tạo.',
    currentSituation: 'Hồ sơ đi qua 4 cơ quan, mỗi nơi thẩm định riêng.',
    content: 'Cấp phép theo cơ chế một cửa liên thông, hậu kiểm thay tiền kiểm.',
    objectives: [{ description: 'Rút ngắn thời gian cấp phép', targets: [{ indicator: 'Thời gian cấp phép', target: '10', unit: 'ngày làm việc' }] }],
    implementationPlan: { milestones: [{ name: 'Ban hành quy trình liên thông', dueDate: '2026-06-30' }], roadmap: 'Thí điểm rồi nhân rộng.' },
    resources: { people: '3 công chức chuyên trách', funding: '200 triệu đồng' },
    organization: 'Đơn vị đề xuất chủ trì, phối hợp các sở liên quan.',
    recommendations: 'Đề nghị cấp có thẩm quyền cho phép thí điểm 6 tháng.',
  };
}

describe('approvals service (one process, sample province)', () => {
  const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
  const registry = contractRegistry();
  let service: OneProcessService;
  let upstream: InProcessEventBus;
  let clock = new Date(MONDAY);
  let app: INestApplication;
  let hub: ServiceHub;

  beforeAll(async () => {
    service = await startOneProcessService({
      name: 'approvals e2e',
      register: (c, h) => ApprovalsModule.register(c, h),
      issuer: ISSUER,
      org,
      // Hà Nội 67-KH/TU's route for a head's own proposal, so that the collective route runs here;
      // the default (superior head) is tested in routing.unit.spec.ts.
      policy: policyFrom({ headProposalRoute: 'collective' }),
      now: () => clock,
    });
    ({ app, hub, upstream } = service);
  });

  afterAll(async () => {
    await service?.stop();
  });

  // ---- HTTP ----

  function call(method: 'get' | 'post', path: string, who?: Who, body?: unknown) {
    let req = request(app.getHttpServer())[method](`/api/v1${path}`);
    if (who) req = req.set('authorization', `Bearer ${TOKENS[who.userId]}`);
    if (who?.role) req = req.set('x-role', who.role);
    return body === undefined ? req : req.set('content-type', 'application/json').send(JSON.stringify(body));
  }

  const command = (who: Who, proposalId: string, action: string, body: unknown = {}) =>
    call('post', `/reviews/${proposalId}/${action}`, who, body);

  function expectStatus(res: request.Response, status: number, code?: string): void {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, ...(code ? { body: { code } } : {}) });
  }

  /** Polls the read model until `ready` holds (the projection runs behind the bus). */
  async function reviewOf(proposalId: string, ready: (view: ReviewView) => boolean = () => true, who: Who = OBSERVER): Promise<ReviewView> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await call('get', `/reviews/${proposalId}`, who);
      if (res.status === 200 && ready(res.body)) return res.body;
      if (Date.now() > deadline) throw new Error(`review ${proposalId} not ready: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Runs a command expected to pass and waits until the read model has absorbed it. */
  /** The review once the command is applied, as `who` reads it (by default a leader above who takes no part). */
  async function accepted(res: request.Response, who: Who = OBSERVER): Promise<ReviewView> {
    expectStatus(res, 200);
    expect(res.body).toEqual({ proposalId: expect.any(String), streamId: `review-${res.body.proposalId}`, position: expect.any(Number) });
    return reviewOf(res.body.proposalId, (view) => view.position >= res.body.position, who);
  }

  async function history(proposalId: string): Promise<RecordedEvent[]> {
    const res = await call('get', `/reviews/${proposalId}/history`, OBSERVER);
    expectStatus(res, 200);
    return res.body;
  }

  const types = async (proposalId: string) => (await history(proposalId)).map((e) => e.type);

  // ---- the proposals context, simulated ----

  const upstreamPositions = new Map<string, number>();

  /** A ProposalSubmitted as the proposals service records it, its payload checked against the published contract. */
  function proposalSubmitted(proposalId: string, proposerId: string, scopeUnitIds: string[] = [], revision = 1): RecordedEvent {
    const proposer = org.user(proposerId);
    const at = clock.toISOString();
    const data: ProposalEvent<'ProposalSubmitted'>['data'] = {
      legalBasis: LEGAL_BASIS,
      proposalId,
      revision,
      proposerId,
      proposerUnitId: proposer.unitId,
      title: 'Cấp phép hạ tầng viễn thông một cửa liên thông',
      field: 'administrative-reform',
      problemType: 'regulated-but-unsuitable',
      isScheme: true,
      report: report(),
      attachments: [{ name: 'Dự thảo quy trình', uri: `doc://tm/${proposalId}/quy-trinh.pdf` }],
      scopeUnitIds,
      coProposerIds: [],
      submittedAt: at,
    };
    // Position 1 is the proposal's ProposalDrafted; each submission follows a revision.
    return proposalEvent('ProposalSubmitted', proposalId, proposerId, data, 2);
  }

  /** SAGA-withdraw: the proposer withdraws the proposal under review. */
  function proposalWithdrawn(proposalId: string, proposerId: string): RecordedEvent {
    const data: ProposalEvent<'ProposalWithdrawn'>['data'] = {
      proposalId,
      proposerId,
      proposerUnitId: org.user(proposerId).unitId,
      previousStatus: 'under-review',
      withdrawnAt: clock.toISOString(),
    };
    return proposalEvent('ProposalWithdrawn', proposalId, proposerId, data, 1);
  }

  function proposalEvent(type: string, proposalId: string, proposerId: string, data: unknown, positions: number): RecordedEvent {
    const at = clock.toISOString();
    const pending: PendingEvent = {
      eventId: randomUUID(),
      type,
      data,
      occurredAt: at,
      actor: { userId: proposerId, role: 'proposer' },
      correlationId: randomUUID(),
      causationId: null,
    };
    registry.validateAppend([pending]);
    const streamId = proposalStreamId(proposalId);
    const streamPosition = (upstreamPositions.get(streamId) ?? 0) + positions;
    upstreamPositions.set(streamId, streamPosition);
    const unsealed = {
      ...pending,
      version: registry.definition(type).version,
      streamId,
      streamType: PROPOSAL_STREAM_TYPE,
      streamPosition,
      recordedAt: at,
      instance: org.instance.code,
      classification: registry.definition(type).classification,
      prevHash: createHash('sha256').update(`${streamId}#${streamPosition - 1}`).digest('hex'),
    };
    return { ...unsealed, hash: hashEvent(unsealed) };
  }

  async function submit(proposalId: string, proposerId: string, scopeUnitIds: string[] = [], revision = 1): Promise<ReviewView> {
    await upstream.publish([proposalSubmitted(proposalId, proposerId, scopeUnitIds, revision)]);
    return reviewOf(proposalId, (view) => view.round === revision && view.status === 'open');
  }

  describe('opening reviews on ProposalSubmitted', () => {
    it("C14-2.3a: a cadre's proposal goes to the head of their unit, due in 7 working days", async () => {
      const view = await submit(P.unitHead, CDS_PROPOSER);
      expect(view).toMatchObject({
        proposalId: P.unitHead,
        round: 1,
        status: 'open',
        proposerId: CDS_PROPOSER,
        proposerUnitId: 'tm-skhcn-cds',
        route: 'unit-head',
        reviewerUnitId: 'tm-skhcn-cds',
        reviewerIds: [CDS_HEAD.userId],
        headId: CDS_HEAD.userId,
        collectiveMemberIds: [CDS_HEAD.userId, CDS_DEPUTY.userId],
        authorityCoversScope: true,
        consultation: null,
        votes: [],
        tally: null,
        dueBy: DUE_BY,
        overdue: false,
        outcome: null,
        closure: null,
        openedAt: MONDAY,
      });
    });

    it('a redelivered submission opens nothing twice', async () => {
      const again = proposalSubmitted(P.tie, STC_PROPOSER);
      await upstream.publish([again, again]);
      // The bus keeps order: once a later submission is open, both deliveries were handled.
      await submit(P.late, AB_PROPOSER);
      expect(await types(P.tie)).toEqual(['ReviewOpened']);
      expect((await reviewOf(P.tie)).collectiveMemberIds).toEqual([STC_HEAD.userId, STC_DEPUTY.userId]);
    });

    it('C14-2.3c: a scope beyond the unit is opened knowing its authority does not cover it', async () => {
      const view = await submit(P.escalated, CDS_PROPOSER, ['tm-skhcn-cds', 'tm-so-xay-dung']);
      expect(view).toMatchObject({ reviewerUnitId: 'tm-skhcn-cds', authorityCoversScope: false, scopeUnitIds: ['tm-skhcn-cds', 'tm-so-xay-dung'] });
    });

    it("C14-2.3b, D73-8.1a: where the instance sends a head's own proposal to the unit's collective, it goes there without the head", async () => {
      const view = await submit(P.headProposal, DT_CHAIR.userId);
      expect(view).toMatchObject({
        route: 'collective',
        reviewerUnitId: 'tm-phuong-dong-thanh',
        reviewerIds: [DT_PCT_1.userId, DT_PCT_2.userId],
        collectiveMemberIds: [DT_PCT_1.userId, DT_PCT_2.userId],
        headId: DT_CHAIR.userId,
      });
    });

    it("D73-8.1a: a proposing deputy is left out of the collective that votes on it", async () => {
      const view = await submit(P.override, SKHCN_DEPUTY_PROPOSER);
      expect(view).toMatchObject({ route: 'unit-head', reviewerIds: [SKHCN_HEAD.userId], collectiveMemberIds: [SKHCN_HEAD.userId, SKHCN_PGD_1.userId, SKHCN_PGD_2.userId] });
    });
  });

  describe('queries', () => {
    it("lists reviews in the caller's jurisdiction, by status", async () => {
      const res = await call('get', '/reviews?status=open', CDS_HEAD);
      expectStatus(res, 200);
      expect(res.body.map((v: ReviewView) => v.proposalId).sort()).toEqual([P.unitHead, P.escalated].sort());
      const all = await call('get', '/reviews', OBSERVER);
      expect(all.body).toHaveLength(Object.keys(P).length);
      const outside = await call('get', '/reviews?status=open', as('u-ab-vhxh-cong-chuc'));
      expect(outside.body).toEqual([]);
    });

    it('the proposer reads the review of their own proposal', async () => {
      expectStatus(await call('get', `/reviews/${P.unitHead}`, as(CDS_PROPOSER)), 200);
    });

    it('a review outside the jurisdiction reads exactly like an unknown one', async () => {
      const outside = await call('get', `/reviews/${P.unitHead}`, OUTSIDER);
      const unknown = await call('get', `/reviews/${randomUUID()}`, OUTSIDER);
      expectStatus(outside, 404, 'NOT_FOUND');
      expectStatus(unknown, 404, 'NOT_FOUND');
      expectStatus(await call('get', `/reviews/${P.unitHead}/history`, OUTSIDER), 404, 'NOT_FOUND');
    });

    it('refuses malformed ids and query parameters, and callers without an identity', async () => {
      expectStatus(await call('get', '/reviews/not-a-uuid', OBSERVER), 400);
      expectStatus(await call('get', '/reviews?status=pending', OBSERVER), 400);
      expectStatus(await call('get', '/reviews?status[$ne]=open', OBSERVER), 400);
      expectStatus(await call('get', '/reviews?owner=me', OBSERVER), 400);
      expectStatus(await call('get', '/reviews'), 401);
      expectStatus(await call('get', '/reviews', as('u-nobody')), 401);
    });

    it('nothing is overdue on the day reviews open', async () => {
      const res = await call('get', '/reviews/overdue', OBSERVER);
      expectStatus(res, 200);
      expect(res.body).toEqual({ asOf: MONDAY, reviewers: [] });
    });
  });

  describe('refusals write nothing', () => {
    const bodies: Record<string, unknown> = {
      consult: consultation,
      votes: { vote: 'for' },
      tally: {},
      override: { writtenAuthorization: 'Văn bản 01/UQ' },
      escalate: reasons('Vượt thẩm quyền'),
      'request-revision': reasons('Bổ sung dự báo tác động'),
      reject: reasons('Chưa đủ căn cứ'),
      approve: approvePilot,
    };
    const actions = Object.keys(bodies);
    let before: RecordedEvent[];

    beforeAll(async () => {
      before = await history(P.unitHead);
    });

    it.each(actions)('%s: 403 for a role the command does not admit', async (action) => {
      expectStatus(await command(as(CDS_HEAD.userId, 'proposer'), P.unitHead, action, bodies[action]), 403, 'FORBIDDEN');
      expectStatus(await command(as('u-vp-phan-tich', 'analyst'), P.unitHead, action, bodies[action]), 403, 'FORBIDDEN');
    });

    it.each(actions)('%s: 404 outside the jurisdiction, exactly as for an unknown proposal (issue 12)', async (action) => {
      const refused = await command(OUTSIDER, P.unitHead, action, bodies[action]);
      const unknown = randomUUID();
      const missing = await command(OUTSIDER, unknown, action, bodies[action]);
      expectStatus(refused, 404, 'NOT_FOUND');
      expect([missing.status, missing.body.code]).toEqual([refused.status, refused.body.code]);
      expect(refused.body.message.replace(P.unitHead, 'ID')).toEqual(missing.body.message.replace(unknown, 'ID'));
    });

    it.each(actions)('%s: 403 for a leader in jurisdiction who takes no part in the round', async (action) => {
      expectStatus(await command(OBSERVER, P.unitHead, action, bodies[action]), 403, 'FORBIDDEN');
      expectStatus(await command(SKHCN_HEAD, P.unitHead, action, bodies[action]), 403, 'FORBIDDEN');
    });

    it.each(actions)('%s: 404 for a proposal under no review, 400 for a malformed id', async (action) => {
      expectStatus(await command(CDS_HEAD, randomUUID(), action, bodies[action]), 404, 'NOT_FOUND');
      expectStatus(await command(CDS_HEAD, 'p-1', action, bodies[action]), 400);
    });

    it.each(actions)('%s: 400 for an unknown field', async (action) => {
      expectStatus(await command(CDS_HEAD, P.unitHead, action, { ...(bodies[action] as object), memberId: CDS_DEPUTY.userId }), 400);
    });

    it.each([
      ['consult', { opinion: { $gt: '' } }],
      ['votes', { vote: { $gt: '' } }],
      ['override', { writtenAuthorization: { $gt: '' } }],
      ['escalate', { reasons: { $gt: '' } }],
      ['request-revision', { reasons: { $gt: '' } }],
      ['reject', { reasons: { $ne: null } }],
      ['approve', { ...approvePilot, plan: { ...pilotPlan, scope: { $gt: '' } } }],
      ['approve', { ...approvePilot, plan: { ...pilotPlan, supervisorId: { $gt: '' } } }],
    ])('%s: 400 for an operator object in a string field', async (action, body) => {
      expectStatus(await command(CDS_HEAD, P.unitHead, action, body), 400);
    });

    it.each([
      ['consult', 'no opinion', {}],
      ['consult', 'an empty opinion', { opinion: '' }],
      ['votes', 'no vote', {}],
      ['votes', 'a vote that is none of for, against, abstain', { vote: 'maybe' }],
      ['override', 'no written authorisation', {}],
      ['escalate', 'no reasons', {}],
      ['request-revision', 'empty reasons', { reasons: '' }],
      ['reject', 'no reasons', {}],
      ['tally', 'a closeMeeting that is no boolean', { closeMeeting: 'yes' }],
      ['approve', 'no plan', { ...approvePilot, plan: undefined }],
      ['approve', 'no attestation', { ...approvePilot, attestation: undefined }],
      ['approve', 'a decision that is neither implementation nor pilot', { ...approvePilot, decision: 'maybe' }],
      ['approve', 'an attestation that is no boolean', { ...approvePilot, attestation: { ...attested, notContraryToLaw: 'yes' } }],
    ])('%s: 400 for %s', async (action, _, body) => {
      expectStatus(await command(CDS_HEAD, P.unitHead, action, body), 400);
    });

    it('400 for unknown or malformed fields nested in the plan', async () => {
      const kpi = pilotPlan.kpis[0];
      const bad = [
        { ...pilotPlan, kpis: [{ ...kpi, weight: 2 }] },
        { ...pilotPlan, kpis: [{ ...kpi, target: '10' }] },
        { ...pilotPlan, milestones: [{ ...pilotPlan.milestones[0], dueDate: '30/06/2026' }] },
        { ...pilotPlan, resources: [{ kind: 'land', description: 'Đất' }] },
        { ...pilotPlan, resources: [{ ...pilotPlan.resources[0], amount: -1 }] },
        { ...pilotPlan, startDate: '2026-02-30' },
        { ...pilotPlan, kpis: 'all' },
        { ...pilotPlan, budget: 1 },
        { ...pilotPlan, implementerIds: CDS_PROPOSER },
        { ...pilotPlan, implementerIds: [''] },
        { ...pilotPlan, implementerIds: [CDS_PROPOSER, CDS_PROPOSER] },
      ];
      for (const plan of bad) expectStatus(await command(CDS_HEAD, P.unitHead, 'approve', { ...approvePilot, plan }), 400);
      expectStatus(await command(CDS_HEAD, P.unitHead, 'approve', { ...approvePilot, attestation: { ...attested, signed: true } }), 400);
      expectStatus(await command(CDS_HEAD, P.unitHead, 'consult', { ...consultation, consultedAt: 'yesterday' }), 400);
      expectStatus(await command(CDS_HEAD, P.unitHead, 'consult', { ...consultation, consultedAt: '2026-03-09T08:00:00Z' }), 400, 'INVALID_INPUT');
    });

    it('D73-4: approval before consulting the party committee is refused', async () => {
      expectStatus(await command(CDS_HEAD, P.unitHead, 'approve', approvePilot), 422, 'RULE_VIOLATION');
    });

    it('C14-2.3c: a level whose authority covers the scope does not pass it upward', async () => {
      const res = await command(CDS_HEAD, P.unitHead, 'escalate', reasons('Đẩy lên cấp trên'));
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('C14-2.3c');
    });

    it('D73-8.1a: a member who is not in the collective does not vote; D73-8.1b: a tally needs every vote or a quorum', async () => {
      expectStatus(await command(as(SKHCN_PGD_1.userId, 'collective'), P.unitHead, 'votes', { vote: 'for' }), 403);
      for (const body of [{}, { closeMeeting: true }]) {
        const tally = await command(CDS_HEAD, P.unitHead, 'tally', body);
        expectStatus(tally, 422, 'RULE_VIOLATION');
        expect(tally.body.details.clause).toBe('D73-8.1b');
      }
    });

    it('D73-8.1c: there is nothing to override unless the collective rejected', async () => {
      expectStatus(await command(CDS_HEAD, P.unitHead, 'override', { writtenAuthorization: 'Văn bản 01/UQ' }), 409, 'ILLEGAL_TRANSITION');
    });

    it('every refused command left the stream as it was', async () => {
      expect(before.map((e) => e.type)).toEqual(['ReviewOpened']);
      expect(await history(P.unitHead)).toEqual(before);
    });
  });

  describe('unit-head route: consult, then approve a pilot', () => {
    it("D73-4: records the party committee's opinion, in clear for the proposer and the head, redacted for a leader who takes no part (issue 12)", async () => {
      const view = await accepted(await command(CDS_HEAD, P.unitHead, 'consult', consultation), CDS_HEAD);
      expect(view.consultation).toEqual({ opinion: consultation.opinion, consultedAt: MONDAY });
      expect((await reviewOf(P.unitHead, () => true, as(CDS_PROPOSER))).consultation).toEqual({ opinion: consultation.opinion, consultedAt: MONDAY });
      expect((await reviewOf(P.unitHead, () => true, OBSERVER)).consultation).toEqual({ consultedAt: MONDAY });
      const trail = await history(P.unitHead);
      expect(trail.find((e) => e.type === 'PartyCommitteeConsulted')).toMatchObject({ redacted: ['opinion'] });
      expect(trail.find((e) => e.type === 'PartyCommitteeConsulted')!.data).not.toHaveProperty('opinion');
    });

    it('C14-2.3d: approval without attesting conformity with the law is refused', async () => {
      const res = await command(CDS_HEAD, P.unitHead, 'approve', { ...approvePilot, attestation: { ...attested, notContraryToPartyCharter: false } });
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('C14-2.3d');
    });

    it('C14-2.3e: a pilot approval fixes its supervisor, KPIs and end date; an implementation its supervisor and end date', async () => {
      const refused = [
        { ...approvePilot, plan: { ...pilotPlan, supervisorId: undefined } },
        { ...approvePilot, plan: { ...pilotPlan, kpis: [] } },
        { ...approvePilot, plan: { ...pilotPlan, endDate: null } },
        { ...approveImplementation, plan: { ...approveImplementation.plan, supervisorId: null } },
        { ...approveImplementation, plan: { ...approveImplementation.plan, endDate: undefined } },
      ];
      for (const body of refused) {
        const res = await command(CDS_HEAD, P.unitHead, 'approve', body);
        expectStatus(res, 422, 'RULE_VIOLATION');
        expect(res.body.details.clause).toBe('C14-2.3e');
      }
    });

    it('C14-2.4a: the supervisor is a supervisor of the instance other than the proposer', async () => {
      expectStatus(await command(CDS_HEAD, P.unitHead, 'approve', { ...approvePilot, plan: { ...pilotPlan, supervisorId: 'u-nobody' } }), 400);
      for (const supervisorId of [CDS_PROPOSER, CDS_DEPUTY.userId]) {
        const res = await command(CDS_HEAD, P.unitHead, 'approve', { ...approvePilot, plan: { ...pilotPlan, supervisorId } });
        expectStatus(res, 422, 'RULE_VIOLATION');
        expect(res.body.details.clause).toBe('C14-2.4a');
      }
    });

    it('C14-2.3e: plan dates in 1900, a KPI target of -5 days and one of 140% are refused', async () => {
      const kpi = pilotPlan.kpis[0];
      const refused = [
        { ...pilotPlan, startDate: '1900-01-01', endDate: '1900-06-30', milestones: [] },
        { ...pilotPlan, kpis: [{ ...kpi, target: -5, unit: 'ngày' }] },
        { ...pilotPlan, kpis: [{ ...kpi, target: 140, unit: '%' }] },
        { ...pilotPlan, milestones: [{ ...pilotPlan.milestones[0], dueDate: '2027-01-01' }] },
      ];
      for (const plan of refused) {
        const res = await command(CDS_HEAD, P.unitHead, 'approve', { ...approvePilot, plan });
        expectStatus(res, 422, 'RULE_VIOLATION');
        expect(res.body.details.clause).toBe('C14-2.3e');
      }
    });

    it('D73-10b: the implementers named on the plan are users of the instance', async () => {
      const res = await command(CDS_HEAD, P.unitHead, 'approve', { ...approvePilot, plan: { ...pilotPlan, implementerIds: ['u-nobody'] } });
      expectStatus(res, 400, 'INVALID_INPUT');
      expect(res.body.details.field).toBe('plan.implementerIds');
    });

    it('a deputy who is no named reviewer does not decide', async () => {
      expectStatus(await command(CDS_DEPUTY, P.unitHead, 'approve', approvePilot), 403, 'FORBIDDEN');
    });

    it('D73-8.1a: the head of the office does not approve alone: its collective (head and deputy) votes', async () => {
      const alone = await command(CDS_HEAD, P.unitHead, 'approve', approvePilot);
      expectStatus(alone, 422, 'RULE_VIOLATION');
      expect(alone.body.details.clause).toBe('D73-8.1a');
      await accepted(await command(CDS_HEAD, P.unitHead, 'votes', { vote: 'for' }));
      await accepted(await command(CDS_DEPUTY, P.unitHead, 'votes', { vote: 'for' }));
      const view = await accepted(await command(CDS_HEAD, P.unitHead, 'tally', {}));
      expect(view.tally).toEqual({ for: 2, against: 0, abstain: 0, members: 2, participated: 2, headVote: 'for', quorum: true, tie: false, result: 'approved', closedByHead: false });
    });

    it('C14-2.3e, HCM3815-2, D73-2: the head approves the pilot for the collective, naming it, its head and the legal basis', async () => {
      const view = await accepted(await command(CDS_HEAD, P.unitHead, 'approve', { ...approvePilot, plan: { ...pilotPlan, implementerIds: [CDS_PROPOSER, CDS_DEPUTY.userId] } }), CDS_HEAD);
      expect(view).toMatchObject({
        status: 'approved',
        overdue: false,
        outcome: {
          kind: 'approved',
          round: 1,
          decision: 'pilot',
          reasons: approvePilot.reasons,
          decidedBy: {
            unitId: 'tm-skhcn-cds',
            reviewerId: CDS_HEAD.userId,
            collective: true,
            override: false,
            collectiveMemberIds: [CDS_HEAD.userId, CDS_DEPUTY.userId],
            headId: CDS_HEAD.userId,
          },
          legalBasis: LEGAL_BASIS,
          plan: { ...pilotPlan, implementerIds: [CDS_PROPOSER, CDS_DEPUTY.userId] },
          overdue: false,
          at: MONDAY,
        },
      });
    });

    it('a decided review takes no further decision (409)', async () => {
      expectStatus(await command(CDS_HEAD, P.unitHead, 'approve', approvePilot), 409, 'ILLEGAL_TRANSITION');
      expectStatus(await command(CDS_HEAD, P.unitHead, 'request-revision', reasons('Bổ sung')), 409, 'ILLEGAL_TRANSITION');
      expectStatus(await command(CDS_HEAD, P.unitHead, 'consult', consultation), 409, 'ILLEGAL_TRANSITION');
    });

    it('the history is the hash-chained stream, with the approval as published', async () => {
      const events = await history(P.unitHead);
      expect(events.map((e) => e.type)).toEqual([
        'ReviewOpened', 'PartyCommitteeConsulted', 'CollectiveVoteRecorded', 'CollectiveVoteRecorded', 'CollectiveVoteTallied', 'ProposalApproved',
      ]);
      events.slice(1).forEach((event, i) => expect(event.prevHash).toBe(events[i].hash));
      expect(events[5]).toMatchObject({
        streamId: `review-${P.unitHead}`,
        streamType: 'review',
        instance: 'tm',
        classification: 'public',
        actor: { userId: CDS_HEAD.userId, role: 'unit-head' },
        version: 2,
        data: { proposalId: P.unitHead, proposerId: CDS_PROPOSER, proposerUnitId: 'tm-skhcn-cds', attestation: attested, legalBasis: LEGAL_BASIS },
      });
      // The opening was caused by the submission and carries its correlation.
      expect(events[0]).toMatchObject({ actor: { userId: CDS_PROPOSER, role: 'proposer' }, causationId: expect.any(String) });
    });
  });

  describe('escalation to the directly managing level', () => {
    it("C14-2.3c: approval beyond the reviewer's authority is refused", async () => {
      const res = await command(CDS_HEAD, P.escalated, 'approve', approveImplementation);
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('C14-2.3c');
    });

    it('C14-2.3c: the office escalates to the department, whose head and collective the org chart names', async () => {
      const view = await accepted(await command(CDS_HEAD, P.escalated, 'escalate', reasons('Phạm vi gồm Sở Xây dựng')));
      expect(view).toMatchObject({
        status: 'open',
        route: 'unit-head',
        reviewerUnitId: 'tm-so-khcn',
        reviewerIds: [SKHCN_HEAD.userId],
        headId: SKHCN_HEAD.userId,
        collectiveMemberIds: [SKHCN_HEAD.userId, SKHCN_PGD_1.userId, SKHCN_PGD_2.userId, SKHCN_DEPUTY_PROPOSER],
        authorityCoversScope: false,
        dueBy: DUE_BY,
        escalations: [{ round: 1, fromUnitId: 'tm-skhcn-cds', toUnitId: 'tm-so-khcn', escalatedBy: CDS_HEAD.userId, overdue: false, escalatedAt: MONDAY }],
      });
    });

    it('after the escalation the lower level no longer acts', async () => {
      expectStatus(await command(CDS_HEAD, P.escalated, 'consult', consultation), 403, 'FORBIDDEN');
    });

    it('C14-2.3c: the department escalates in turn to the provincial committee, whose authority covers the scope', async () => {
      const view = await accepted(await command(SKHCN_HEAD, P.escalated, 'escalate', reasons('Liên quan Sở Xây dựng')));
      expect(view).toMatchObject({ reviewerUnitId: 'tm-ubnd', headId: UBND_CHAIR.userId, reviewerIds: [UBND_CHAIR.userId], authorityCoversScope: true });
      expect(view.escalations).toHaveLength(2);
      const again = await command(UBND_CHAIR, P.escalated, 'escalate', reasons('Xin ý kiến Tỉnh ủy'));
      expectStatus(again, 422, 'RULE_VIOLATION');
    });

    it("D73-8.1b: the provincial committee's five members vote: the chair for, one against, three abstaining rejects", async () => {
      await accepted(await command(UBND_CHAIR, P.escalated, 'consult', consultation));
      await accepted(await command(UBND_CHAIR, P.escalated, 'votes', { vote: 'for' }));
      await accepted(await command(UBND_PCT[0], P.escalated, 'votes', { vote: 'against' }));
      for (const member of UBND_PCT.slice(1)) await accepted(await command(member, P.escalated, 'votes', { vote: 'abstain' }));
      const view = await accepted(await command(UBND_CHAIR, P.escalated, 'tally'));
      expect(view.tally).toEqual({ for: 1, against: 1, abstain: 3, members: 5, participated: 5, headVote: 'for', quorum: true, tie: false, result: 'rejected', closedByHead: false });
      const res = await command(UBND_CHAIR, P.escalated, 'approve', approveImplementation);
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('D73-8.1c');
    });

    it('HCM3815-2: the provincial committee rejects in the name of its collective, and the rejection is final', async () => {
      const view = await accepted(await command(UBND_CHAIR, P.escalated, 'reject', reasons('Tập thể không tán thành')));
      expect(view).toMatchObject({
        status: 'rejected',
        outcome: {
          kind: 'rejected',
          legalBasis: LEGAL_BASIS,
          decidedBy: { unitId: 'tm-ubnd', reviewerId: UBND_CHAIR.userId, collective: true, headId: UBND_CHAIR.userId, collectiveMemberIds: [UBND_CHAIR.userId, ...UBND_PCT.map((m) => m.userId)] },
        },
      });
      expectStatus(await command(UBND_CHAIR, P.escalated, 'approve', approveImplementation), 409, 'ILLEGAL_TRANSITION');
      expectStatus(await command(UBND_CHAIR, P.escalated, 'override', { writtenAuthorization: 'Văn bản 09/UQ' }), 409, 'ILLEGAL_TRANSITION');
      expect(await types(P.escalated)).toEqual([
        'ReviewOpened', 'ReviewEscalated', 'ReviewEscalated', 'PartyCommitteeConsulted', ...Array(5).fill('CollectiveVoteRecorded'), 'CollectiveVoteTallied', 'ProposalRejected',
      ]);
    });
  });

  describe("collective route: the head's own proposal and a tie", () => {
    it('C14-2.3b: the proposing head neither votes nor decides', async () => {
      expectStatus(await command(DT_CHAIR, P.headProposal, 'votes', { vote: 'for' }), 403, 'FORBIDDEN');
      expectStatus(await command(DT_CHAIR, P.headProposal, 'consult', consultation), 403, 'FORBIDDEN');
    });

    it("D73-8.1a: each member records their own vote, once", async () => {
      const view = await accepted(await command(DT_PCT_1, P.headProposal, 'votes', { vote: 'for' }));
      expect(view.votes).toEqual([{ memberId: DT_PCT_1.userId, vote: 'for' }]);
      const twice = await command(DT_PCT_1, P.headProposal, 'votes', { vote: 'against' });
      expectStatus(twice, 422, 'RULE_VIOLATION');
      expect(twice.body.details.clause).toBe('D73-8.1a');
    });

    it('D73-8.1b: the vote is tallied before anyone decides', async () => {
      await accepted(await command(DT_PCT_2, P.headProposal, 'consult', consultation));
      await accepted(await command(DT_PCT_2, P.headProposal, 'votes', { vote: 'against' }));
      const res = await command(DT_PCT_1, P.headProposal, 'reject', reasons('Chưa đủ căn cứ'));
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('D73-8.1b');
    });

    it('D73-8.1b: a tie where the head takes no side rejects', async () => {
      const view = await accepted(await command(DT_PCT_1, P.headProposal, 'tally'));
      expect(view.tally).toEqual({ for: 1, against: 1, abstain: 0, members: 2, participated: 2, headVote: null, quorum: true, tie: true, result: 'rejected', closedByHead: false });
    });

    it('no vote after the tally (409), and the proposing head cannot override it', async () => {
      expectStatus(await command(DT_PCT_1, P.headProposal, 'votes', { vote: 'for' }), 409, 'ILLEGAL_TRANSITION');
      expectStatus(await command(DT_CHAIR, P.headProposal, 'override', { writtenAuthorization: 'Văn bản 02/UQ' }), 403, 'FORBIDDEN');
      expectStatus(await command(DT_PCT_1, P.headProposal, 'override', { writtenAuthorization: 'Văn bản 02/UQ' }), 403, 'FORBIDDEN');
      const res = await command(DT_PCT_1, P.headProposal, 'approve', approveImplementation);
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('D73-8.1c');
    });

    it('the collective sends it back for revision', async () => {
      const view = await accepted(await command(DT_PCT_2, P.headProposal, 'request-revision', reasons('Làm rõ nguồn lực')), DT_PCT_2);
      expect(view).toMatchObject({ status: 'revision-requested', outcome: { kind: 'revision-requested', round: 1, requestedBy: DT_PCT_2.userId, reasons: 'Làm rõ nguồn lực' } });
    });

    it('the resubmission opens round 2 with a fresh vote and consultation', async () => {
      const view = await submit(P.headProposal, DT_CHAIR.userId, [], 2);
      expect(view).toMatchObject({ round: 2, status: 'open', votes: [], tally: null, consultation: null, outcome: null });
      expect(await types(P.headProposal)).toEqual([
        'ReviewOpened', 'CollectiveVoteRecorded', 'PartyCommitteeConsulted', 'CollectiveVoteRecorded', 'CollectiveVoteTallied', 'RevisionRequested', 'ReviewOpened',
      ]);
    });
  });

  describe('a vote on the unit-head route', () => {
    it("D73-8.1b: a tie is decided by the side the head voted with", async () => {
      await accepted(await command(STC_HEAD, P.tie, 'votes', { vote: 'for' }));
      await accepted(await command(STC_DEPUTY, P.tie, 'votes', { vote: 'against' }));
      const view = await accepted(await command(STC_HEAD, P.tie, 'tally'));
      expect(view.tally).toEqual({ for: 1, against: 1, abstain: 0, members: 2, participated: 2, headVote: 'for', quorum: true, tie: true, result: 'approved', closedByHead: false });
    });

    it('D73-8.1b: a proposal the collective approved is not rejected against its vote', async () => {
      const res = await command(STC_HEAD, P.tie, 'reject', reasons('Không khả thi'));
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('D73-8.1b');
    });

    it('HCM3815-2: the approval names the collective that decided', async () => {
      await accepted(await command(STC_HEAD, P.tie, 'consult', consultation));
      const view = await accepted(await command(STC_HEAD, P.tie, 'approve', approveImplementation));
      expect(view.outcome).toMatchObject({ decidedBy: { collective: true, override: false, collectiveMemberIds: [STC_HEAD.userId, STC_DEPUTY.userId], headId: STC_HEAD.userId } });
    });
  });

  describe("the head's override of a collective rejection", () => {
    it('D73-8.1b: a minority in favour rejects', async () => {
      await accepted(await command(SKHCN_HEAD, P.override, 'votes', { vote: 'for' }));
      await accepted(await command(SKHCN_PGD_1, P.override, 'votes', { vote: 'against' }));
      await accepted(await command(SKHCN_PGD_2, P.override, 'votes', { vote: 'against' }));
      const view = await accepted(await command(SKHCN_HEAD, P.override, 'tally'));
      expect(view.tally).toMatchObject({ for: 1, against: 2, members: 3, headVote: 'for', tie: false, result: 'rejected' });
    });

    it('D73-8.1c: without the written authorisation the head does not approve', async () => {
      await accepted(await command(SKHCN_HEAD, P.override, 'consult', consultation));
      const res = await command(SKHCN_HEAD, P.override, 'approve', approveImplementation);
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('D73-8.1c');
    });

    it('D73-8.1c: the head authorises it in writing, bearing personal responsibility, and approves', async () => {
      expectStatus(await command(SKHCN_PGD_1, P.override, 'override', { writtenAuthorization: 'Văn bản 03/UQ' }), 403, 'FORBIDDEN');
      const overridden = await accepted(await command(SKHCN_HEAD, P.override, 'override', { writtenAuthorization: 'Văn bản 03/UQ' }));
      expect(overridden.headOverride).toBe(true);
      expectStatus(await command(SKHCN_HEAD, P.override, 'reject', reasons('Thôi')), 409, 'ILLEGAL_TRANSITION');
      const view = await accepted(await command(SKHCN_HEAD, P.override, 'approve', approveImplementation));
      expect(view.outcome).toMatchObject({ kind: 'approved', decidedBy: { reviewerId: SKHCN_HEAD.userId, collective: false, override: true } });
      const events = await history(P.override);
      expect(events.find((e) => e.type === 'HeadOverrideAuthorized')?.data).toMatchObject({ headId: SKHCN_HEAD.userId, personalResponsibility: true });
    });
  });

  describe('D73-8.1b: a five-member collective, the chair closing the meeting', () => {
    it('opens at the provincial committee for a proposal of its own staff', async () => {
      const view = await submit(Q.meeting, UBND_PROPOSER);
      expect(view).toMatchObject({ route: 'unit-head', reviewerUnitId: 'tm-ubnd', collectiveMemberIds: [UBND_CHAIR.userId, ...UBND_PCT.map((m) => m.userId)] });
    });

    it('D73-8.1b: two of five is no quorum: the chair cannot close the meeting', async () => {
      await accepted(await command(UBND_CHAIR, Q.meeting, 'votes', { vote: 'for' }));
      await accepted(await command(UBND_PCT[0], Q.meeting, 'votes', { vote: 'for' }));
      const res = await command(UBND_CHAIR, Q.meeting, 'tally', { closeMeeting: true });
      expectStatus(res, 422, 'RULE_VIOLATION');
      expect(res.body.details.clause).toBe('D73-8.1b');
    });

    it('D73-8.1b: with three of five voting, no tally until the chair closes the meeting, which no member may do', async () => {
      await accepted(await command(UBND_PCT[1], Q.meeting, 'votes', { vote: 'for' }));
      const open = await command(UBND_CHAIR, Q.meeting, 'tally', {});
      expectStatus(open, 422, 'RULE_VIOLATION');
      expect(open.body.details.clause).toBe('D73-8.1b');
      expectStatus(await command(UBND_PCT[0], Q.meeting, 'tally', { closeMeeting: true }), 403, 'FORBIDDEN');
      const view = await accepted(await command(UBND_CHAIR, Q.meeting, 'tally', { closeMeeting: true }));
      expect(view.tally).toEqual({ for: 3, against: 0, abstain: 0, members: 5, participated: 3, headVote: 'for', quorum: true, tie: false, result: 'approved', closedByHead: true });
      expectStatus(await command(UBND_PCT[2], Q.meeting, 'votes', { vote: 'against' }), 409, 'ILLEGAL_TRANSITION');
    });

    it('D73-4b, HCM3815-2: after consulting the party committee the chair approves for the collective', async () => {
      const early = await command(UBND_CHAIR, Q.meeting, 'approve', approveImplementation);
      expectStatus(early, 422, 'RULE_VIOLATION');
      expect(early.body.details.clause).toBe('D73-4');
      await accepted(await command(UBND_CHAIR, Q.meeting, 'consult', consultation));
      const view = await accepted(await command(UBND_CHAIR, Q.meeting, 'approve', approveImplementation));
      expect(view.outcome).toMatchObject({ kind: 'approved', legalBasis: LEGAL_BASIS, decidedBy: { collective: true, headId: UBND_CHAIR.userId } });
    });

    it("SAGA-withdraw: a withdrawal that arrives after the approval closes the review, saying it came after the decision", async () => {
      await upstream.publish([proposalWithdrawn(Q.meeting, UBND_PROPOSER)]);
      const view = await reviewOf(Q.meeting, (v) => v.status === 'closed');
      expect(view).toMatchObject({ closure: { afterDecision: 'approved', closedAt: MONDAY }, outcome: { kind: 'approved' } });
      expect((await history(Q.meeting)).at(-1)).toMatchObject({ type: 'ReviewClosed', classification: 'public', data: { reason: 'withdrawn', afterDecision: 'approved', round: 1 } });
    });
  });

  describe('SAGA-withdraw: a withdrawn proposal ends its review', () => {
    let withdrawal: RecordedEvent;

    it('SAGA-withdraw: the withdrawal closes the open review', async () => {
      await submit(Q.withdrawn, TTHCC_PROPOSER);
      await accepted(await command(TTHCC_DEPUTY, Q.withdrawn, 'votes', { vote: 'for' }));
      withdrawal = proposalWithdrawn(Q.withdrawn, TTHCC_PROPOSER);
      await upstream.publish([withdrawal]);
      const view = await reviewOf(Q.withdrawn, (v) => v.status === 'closed');
      expect(view).toMatchObject({ status: 'closed', closure: { afterDecision: null, closedAt: MONDAY }, outcome: null, overdue: false });
      const closed = await call('get', '/reviews?status=closed', OBSERVER);
      expect(closed.body.map((v: ReviewView) => v.proposalId).sort()).toEqual([Q.meeting, Q.withdrawn].sort());
    });

    it('SAGA-withdraw: after the closure no approval, vote, tally, consultation or rejection (409), and nothing is written', async () => {
      const before = await history(Q.withdrawn);
      const tries: [Who, string, unknown][] = [
        [TTHCC_HEAD, 'approve', approveImplementation],
        [TTHCC_HEAD, 'votes', { vote: 'for' }],
        [TTHCC_HEAD, 'tally', { closeMeeting: true }],
        [TTHCC_HEAD, 'consult', consultation],
        [TTHCC_HEAD, 'reject', reasons('Đã rút')],
        [TTHCC_HEAD, 'request-revision', reasons('Bổ sung')],
      ];
      for (const [who, action, body] of tries) expectStatus(await command(who, Q.withdrawn, action, body), 409, 'ILLEGAL_TRANSITION');
      expect(await history(Q.withdrawn)).toEqual(before);
    });

    it('SAGA-withdraw: a redelivered withdrawal closes nothing twice', async () => {
      await upstream.publish([withdrawal]);
      // The bus keeps order: once a later submission is open, the redelivery was handled.
      await submit(Q.headAlone, VHXH_PROPOSER);
      expect(await types(Q.withdrawn)).toEqual(['ReviewOpened', 'CollectiveVoteRecorded', 'ReviewClosed']);
    });
  });

  describe('D73-8.1a: a unit whose collective is the head alone', () => {
    it('D73-8.1a: the head decides alone', async () => {
      const opened = await reviewOf(Q.headAlone);
      expect(opened.collectiveMemberIds).toEqual([VHXH_HEAD.userId]);
      await accepted(await command(VHXH_HEAD, Q.headAlone, 'consult', consultation));
      const view = await accepted(await command(VHXH_HEAD, Q.headAlone, 'approve', approveImplementation));
      expect(view.outcome).toMatchObject({ kind: 'approved', decidedBy: { reviewerId: VHXH_HEAD.userId, collective: false, collectiveMemberIds: [], headId: VHXH_HEAD.userId } });
    });
  });

  describe('HN24-shirk: overdue reviews', () => {
    const LATER = '2026-03-20T08:00:00.000Z';

    beforeAll(() => {
      clock = new Date(LATER);
    });

    it('HN24-shirk, D73-6: reports each person who owes a decision or a vote past its due date', async () => {
      const res = await call('get', '/reviews/overdue', OBSERVER);
      expectStatus(res, 200);
      const late = (owes: string, proposalId: string, reviewerUnitId: string, route: string, round = 1) => ({ owes, proposalId, round, reviewerUnitId, route, dueBy: DUE_BY, workingDaysLate: 7 });
      expect(res.body).toEqual({
        asOf: LATER,
        reviewers: [
          { reviewerId: AB_HEAD.userId, count: 1, reviews: [late('decision', P.late, 'tm-xa-an-binh', 'unit-head')] },
          // D73-6: the commune's vice-chair owes a vote in its collective, late as well.
          { reviewerId: AB_DEPUTY, count: 1, reviews: [late('vote', P.late, 'tm-xa-an-binh', 'unit-head')] },
          { reviewerId: DT_PCT_1.userId, count: 1, reviews: [late('decision', P.headProposal, 'tm-phuong-dong-thanh', 'collective', 2)] },
          { reviewerId: DT_PCT_2.userId, count: 1, reviews: [late('decision', P.headProposal, 'tm-phuong-dong-thanh', 'collective', 2)] },
        ],
      });
    });

    it("shows only the caller's jurisdiction", async () => {
      const res = await call('get', '/reviews/overdue', OUTSIDER);
      expect(res.body.reviewers).toEqual([]);
      const commune = await call('get', '/reviews/overdue', AB_HEAD);
      expect(commune.body.reviewers.map((r: { reviewerId: string }) => r.reviewerId)).toEqual([AB_HEAD.userId, AB_DEPUTY]);
    });

    it('a review past its due date reads as overdue, and a late decision records it', async () => {
      expect((await reviewOf(P.late)).overdue).toBe(true);
      await accepted(await command(AB_HEAD, P.late, 'consult', consultation));
      const view = await accepted(await command(AB_HEAD, P.late, 'request-revision', reasons('Bổ sung phương án')));
      expect(view).toMatchObject({ overdue: false, outcome: { kind: 'revision-requested', overdue: true, at: LATER } });
      const res = await call('get', '/reviews/overdue', OBSERVER);
      expect(res.body.reviewers.map((r: { reviewerId: string }) => r.reviewerId)).toEqual([DT_PCT_1.userId, DT_PCT_2.userId]);
    });
  });

  it('every simulated submission was taken up: nothing parked', async () => {
    const letters = await hub.kernel('approvals').deadLetters();
    expect(letters.flatMap((l) => l.letters)).toEqual([]);
  });
});
