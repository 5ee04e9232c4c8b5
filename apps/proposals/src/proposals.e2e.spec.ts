import { randomBytes, randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { contractRegistry, publishedAsyncApi } from '@dotpha/contracts';
import type { InProcessEventBus } from '@dotpha/event-bus-in-process';
import type { RecordedEvent } from '@dotpha/kernel';
import { DEFAULT_LEGAL_BASIS, loadOrgChart, policyFrom } from '@dotpha/org';
import { LocalIssuer, type ServiceHub } from '@dotpha/service-runtime';
import { type OneProcessService, startOneProcessService } from '@dotpha/service-testkit';
import { everyPage, testTokens } from '@dotpha/testkit';
import type { RegisteredInitiativeView } from './application/registrations.service';
import { ProposalsModule } from './proposals.module';

/** The services trust this issuer only; tokens are minted once for every user of the sample province. */
const ISSUER = new LocalIssuer();
const TOKENS = testTokens(ISSUER);

const org = loadOrgChart(JSON.parse(readFileSync(join(__dirname, '../../../libs/org/data/sample-province.json'), 'utf8')));
const INSTANCE = org.instance.code;

// People of the sample province (libs/org/data/sample-province.json).
const PROPOSER = 'u-cds-chuyen-vien'; // Phòng Chuyển đổi số, under Sở KH&CN
const COLLEAGUE = 'u-cds-pho-phong'; // same unit
const UNIT_HEAD = 'u-cds-truong-phong';
const DIRECTOR = 'u-skhcn-giam-doc'; // head of Sở KH&CN, which manages the proposer's unit
const OUTSIDER = 'u-stc-chuyen-vien'; // Sở Tài chính
const OUTSIDE_HEAD = 'u-stc-giam-doc';
const PARTY_HEAD = 'u-btc-truong-ban'; // Ban Tổ chức, under the Tỉnh ủy: outside the city committee's reach
const COMMITTEE = 'u-ubnd-pct-1';
const ANALYST = 'u-vp-phan-tich';
const ADMIN = 'u-vp-quan-tri';

const YEAR = new Date().getUTCFullYear();

function fullReport() {
  return {
    necessity: 'Thủ tục cấp phép hạ tầng viễn thông kéo dài 45 ngày, cản trở phủ sóng 5G.',
    basis: 'Kết luận 14-KL/TW; Luật Viễn thông 2023.',
    impactForecast: {
      positive: 'Rút thời gian cấp phép xuống 10 ngày làm việc.',
      negative: 'Tăng khối lượng hậu kiểm trong năm đầu.',
      expectedEffectiveness: 'Phủ sóng 5G toàn tỉnh sớm hơn 18 tháng.',
    },
    feasibility: 'Có sẵn cơ sở dữ liệu quy hoạch hạ tầng.',
    currentSituation: 'Hồ sơ đi qua 4 cơ quan, mỗi nơi thẩm định riêng.',
    content: 'Cấp phép một cửa liên thông, hậu kiểm thay tiền kiểm.',
    objectives: [{ description: 'Rút ngắn thời gian cấp phép', targets: [{ indicator: 'Thời gian cấp phép', target: '10', unit: 'ngày làm việc' }] }],
    implementationPlan: { milestones: [{ name: 'Ban hành quy trình liên thông', dueDate: `${YEAR}-12-31` }], roadmap: 'Thí điểm tại phường Đông Thành.' },
    resources: { people: '3 công chức chuyên trách' },
    organization: 'Phòng Chuyển đổi số chủ trì.',
    recommendations: 'Đề nghị UBND tỉnh cho phép thí điểm 12 tháng.',
  };
}

function proposal(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Cấp phép hạ tầng viễn thông một cửa liên thông',
    field: 'administrative-reform',
    problemType: 'regulated-but-unsuitable',
    isScheme: true,
    report: fullReport(),
    attachments: [{ name: 'Dự thảo quy trình', uri: 'doc://tm/quy-trinh.pdf' }],
    ...overrides,
  };
}

/** A draft whose report lacks resources and everything after the basis. */
const partial = () => proposal({ report: { necessity: fullReport().necessity, basis: fullReport().basis } });

describe('proposals service (one process: embedded store, in-process bus)', () => {
  let app: INestApplication;
  let hub: ServiceHub;
  let upstream: InProcessEventBus;
  let service: OneProcessService;

  beforeAll(async () => {
    service = await startOneProcessService({ name: 'proposals', register: (c, h) => ProposalsModule.register(c, h), issuer: ISSUER, org });
    ({ app, hub, upstream } = service);
  });

  afterAll(async () => {
    await service?.stop();
  });

  // ---- helpers ----

  const http = () => request(app.getHttpServer());
  const as = (userId: string, role?: string) => ({ authorization: `Bearer ${TOKENS[userId]}`, ...(role ? { 'x-role': role } : {}) });
  const post = (path: string, userId: string, body: object = {}, role?: string) => http().post(`/api/v1${path}`).set(as(userId, role)).send(body);
  const put = (path: string, userId: string, body: object, role?: string) => http().put(`/api/v1${path}`).set(as(userId, role)).send(body);
  const get = (path: string, userId: string, role?: string) => http().get(`/api/v1${path}`).set(as(userId, role));

  /** Polls a read until it satisfies `ok`: read models follow the store through the bus. */
  async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (let value = await read(); ; value = await read()) {
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const view = (id: string, userId = PROPOSER, role?: string) => get(`/proposals/${id}`, userId, role).then((r) => r.body);
  const statusOf = (id: string, status: string) => until(() => view(id), (p) => p.status === status, `proposal ${id} ${status}`);
  const history = (id: string) => get(`/proposals/${id}/history`, PROPOSER).then((r) => (r.body as RecordedEvent[]).map((e) => e.type));

  async function draft(body: object = partial(), userId = PROPOSER): Promise<string> {
    const res = await post('/proposals', userId, body).expect(201);
    await statusOf(res.body.proposalId, 'draft');
    return res.body.proposalId;
  }

  async function submitted(): Promise<string> {
    const id = await draft(proposal());
    await post(`/proposals/${id}/submit`, PROPOSER).expect(200);
    await statusOf(id, 'submitted');
    return id;
  }

  /** The approvals context's facts, as its service would publish them (checked against the published contract). */
  const contract = contractRegistry();
  const reviewPositions = new Map<string, number>();
  function approvalsFact(type: string, data: { proposalId: string } & Record<string, unknown>): RecordedEvent {
    const streamId = `review-${data.proposalId}`;
    const streamPosition = (reviewPositions.get(streamId) ?? 0) + 1;
    reviewPositions.set(streamId, streamPosition);
    const at = new Date().toISOString();
    const event = {
      eventId: randomUUID(), type, version: contract.definition(type).version, streamId, streamType: 'review', streamPosition,
      occurredAt: at, recordedAt: at, instance: INSTANCE, actor: { userId: UNIT_HEAD, role: 'unit-head' },
      correlationId: randomUUID(), causationId: null, classification: contract.definition(type).classification, data,
      prevHash: randomBytes(32).toString('hex'), hash: randomBytes(32).toString('hex'),
    };
    contract.validateAppend([event]);
    return event;
  }
  const publish = (...events: RecordedEvent[]) => upstream.publish(events);

  const dueBy = () => new Date(Date.now() + 9 * 86_400_000).toISOString();
  const routing = (unitId: string, headId: string) => ({
    reviewerUnitId: unitId, route: 'unit-head', reviewerIds: [headId], collectiveMemberIds: org.votingCollective(unitId),
    headId, authorityCoversScope: true, dueBy: dueBy(),
  });
  const reviewOpened = (proposalId: string, round: number) =>
    approvalsFact('ReviewOpened', {
      proposalId, round, proposerId: PROPOSER, proposerUnitId: 'tm-skhcn-cds', scopeUnitIds: [],
      ...routing('tm-skhcn-cds', UNIT_HEAD), requirePartyConsultation: true, openedAt: new Date().toISOString(),
    });

  const approvedFact = (proposalId: string, round: number, implementerIds: string[] = ['u-cds-pho-phong']) =>
    approvalsFact('ProposalApproved', {
      proposalId, round, proposerId: PROPOSER, proposerUnitId: 'tm-skhcn-cds', decision: 'pilot', reasons: 'Khả thi',
      decidedBy: { unitId: 'tm-skhcn-cds', reviewerId: UNIT_HEAD, headId: UNIT_HEAD, collective: true, override: false, collectiveMemberIds: [UNIT_HEAD, COLLEAGUE] },
      legalBasis: DEFAULT_LEGAL_BASIS['all-staff'],
      attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
      plan: {
        scope: 'Phường Đông Thành', startDate: `${YEAR}-01-01`, endDate: `${YEAR}-12-31`,
        kpis: [{ id: 'k1', name: 'Thời gian cấp phép', unit: 'ngày', target: 10, direction: 'at-most' }],
        milestones: [{ id: 'm1', name: 'Sơ kết', dueDate: `${YEAR}-06-30` }],
        resources: [{ kind: 'people', description: '3 công chức' }], supervisorId: 'u-skhcn-thanh-tra', implementerIds,
      },
      overdue: false, decidedAt: new Date().toISOString(),
    });

  it('serves the published event contract (AsyncAPI 3.0) at /api/asyncapi.json, without a token (issue 15)', async () => {
    const reply = await http().get('/api/asyncapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(publishedAsyncApi());
    expect(reply.body.channels.proposals.address).toBe('dotpha.{instance}.public.proposals');
  });

  // ---- proposals ----

  describe('draft, refused submission, revision, submission', () => {
    let id: string;

    it('drafts with a partial report and shows what a submission still lacks', async () => {
      const res = await post('/proposals', PROPOSER, partial()).expect(201);
      expect(res.body).toEqual({ proposalId: expect.any(String), streamId: `proposal-${res.body.proposalId}`, position: 1 });
      id = res.body.proposalId;
      const draft = await statusOf(id, 'draft');
      expect(draft).toMatchObject({ proposerId: PROPOSER, proposerUnitId: 'tm-skhcn-cds', revision: 0, review: null, reviewer: null });
      expect(draft.completeness.complete).toBe(false);
      expect(draft.completeness.missingSections).toEqual(
        expect.arrayContaining(['feasibility', 'impactForecast', 'objectives', 'implementationPlan', 'resources', 'recommendations']),
      );
      expect(draft.completeness.missingSections).not.toContain('necessity');
      expect(draft.completeness.gaps).toContainEqual({ path: 'resources', clause: 'D73-7' });
    });

    it('HN67-report: refuses to submit the incomplete report (422, naming the missing sections) and writes nothing', async () => {
      const res = await post(`/proposals/${id}/submit`, PROPOSER).expect(422);
      expect(res.body.code).toBe('RULE_VIOLATION');
      expect(res.body.message).toContain('resources');
      expect(res.body.details.missing).toEqual(expect.arrayContaining(['feasibility', 'objectives', 'resources']));
      expect(await history(id)).toEqual(['ProposalDrafted']);
    });

    it('revises to a complete report; saving the same form again is no new fact', async () => {
      const first = await put(`/proposals/${id}`, PROPOSER, proposal()).expect(200);
      expect(first.body.position).toBe(2);
      const again = await put(`/proposals/${id}`, PROPOSER, proposal()).expect(200);
      expect(again.body.position).toBe(2);
      const revised = await until(() => view(id), (p) => p.completeness.complete, 'a complete report');
      expect(revised.completeness).toEqual({ complete: true, missingSections: [], gaps: [] });
      expect(revised.report).toEqual(fullReport());
    });

    it('submits, and the list filters by status without the report', async () => {
      const res = await post(`/proposals/${id}/submit`, PROPOSER).expect(200);
      expect(res.body).toEqual({ proposalId: id, streamId: `proposal-${id}`, position: 3 });
      expect(await statusOf(id, 'submitted')).toMatchObject({ revision: 1, completeness: { complete: true } });
      const listed = (await get('/proposals?status=submitted', PROPOSER).expect(200)).body;
      expect(listed.map((p: { proposalId: string }) => p.proposalId)).toContain(id);
      expect(listed.find((p: { proposalId: string }) => p.proposalId === id).report).toBeUndefined();
      const drafts = (await get('/proposals?status=draft', PROPOSER).expect(200)).body;
      expect(drafts.map((p: { proposalId: string }) => p.proposalId)).not.toContain(id);
      expect(await history(id)).toEqual(['ProposalDrafted', 'ProposalRevised', 'ProposalSubmitted']);
    });

    it('refuses a second submission and a revision while under submission (409), writing nothing', async () => {
      expect((await post(`/proposals/${id}/submit`, PROPOSER).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
      await put(`/proposals/${id}`, PROPOSER, proposal({ title: 'Tên khác' })).expect(409);
      expect(await history(id)).toHaveLength(3);
    });
  });

  describe('withdrawal', () => {
    it('withdraws a draft with a reason, and refuses a second withdrawal (409)', async () => {
      const id = await draft();
      const res = await post(`/proposals/${id}/withdraw`, PROPOSER, { reason: 'Chuyển công tác' }).expect(200);
      expect(res.body.position).toBe(2);
      await statusOf(id, 'withdrawn');
      await post(`/proposals/${id}/withdraw`, PROPOSER).expect(409);
      await post(`/proposals/${id}/submit`, PROPOSER).expect(409);
      expect(await history(id)).toEqual(['ProposalDrafted', 'ProposalWithdrawn']);
    });

    it('withdraws a submitted proposal', async () => {
      const id = await submitted();
      await post(`/proposals/${id}/withdraw`, PROPOSER).expect(200);
      await statusOf(id, 'withdrawn');
    });
  });

  describe('review outcomes from the approvals context', () => {
    let id: string;
    let approved: RecordedEvent;
    let firstOpening: RecordedEvent;

    beforeAll(async () => {
      id = await submitted();
    });

    it('ReviewOpened puts the proposal under review, with the reviewing unit and round', async () => {
      firstOpening = reviewOpened(id, 1);
      await publish(firstOpening);
      const p = await statusOf(id, 'under-review');
      expect(p.review).toMatchObject({ round: 1, outcome: 'review-opened' });
      expect(p.reviewer).toMatchObject({ round: 1, unitId: 'tm-skhcn-cds', route: 'unit-head', escalatedFrom: null });
    });

    it('RevisionRequested lets the proposer revise and resubmit (revision 2)', async () => {
      await publish(
        approvalsFact('RevisionRequested', {
          proposalId: id, round: 1, proposerId: PROPOSER, reviewerUnitId: 'tm-skhcn-cds', reasons: 'Bổ sung nguồn kinh phí',
          requestedBy: UNIT_HEAD, overdue: false, requestedAt: new Date().toISOString(),
        }),
      );
      await statusOf(id, 'revision-requested');
      const report = { ...fullReport(), resources: { people: '3 công chức', funding: '200 triệu đồng' } };
      await put(`/proposals/${id}`, PROPOSER, proposal({ report })).expect(200);
      await post(`/proposals/${id}/submit`, PROPOSER).expect(200);
      expect(await statusOf(id, 'submitted')).toMatchObject({ revision: 2, review: { round: 1, outcome: 'revision-requested' } });
    });

    it('ProposalApproved of the second round approves the pilot', async () => {
      await publish(reviewOpened(id, 2));
      expect((await statusOf(id, 'under-review')).reviewer.round).toBe(2);
      approved = approvedFact(id, 2);
      await publish(approved);
      expect(await statusOf(id, 'approved-pilot')).toMatchObject({ review: { round: 2, outcome: 'approved-pilot' } });
      expect(await history(id)).toEqual([
        'ProposalDrafted', 'ProposalSubmitted', 'ProposalReviewOutcomeRecorded', 'ProposalReviewOutcomeRecorded',
        'ProposalRevised', 'ProposalSubmitted', 'ProposalReviewOutcomeRecorded', 'ProposalReviewOutcomeRecorded',
      ]);
    });

    it('a redelivered event changes nothing and parks nothing', async () => {
      const before = await get(`/proposals/${id}/history`, PROPOSER).then((r) => r.body);
      const marker = await submitted();
      await publish(approved, firstOpening, reviewOpened(marker, 1));
      // The reactor consumes the topic in order: once the marker is handled, so are the redeliveries.
      await statusOf(marker, 'under-review');
      expect(await get(`/proposals/${id}/history`, PROPOSER).then((r) => r.body)).toEqual(before);
      expect((await view(id)).status).toBe('approved-pilot');
      const letters = (await hub.kernel('proposals').deadLetters()).flatMap((g) => g.letters);
      expect(letters).toEqual([]);
    });

    it('SAGA-withdraw: a proposal whose approval was recorded cannot be withdrawn (409)', async () => {
      expect((await post(`/proposals/${id}/withdraw`, PROPOSER).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
      expect(await history(id)).toHaveLength(8);
    });

    it('D73-10b, SAGA-withdraw: the recorded approval names the plan, the legal basis and the people it protects', async () => {
      const recorded = (await get(`/proposals/${id}/history`, PROPOSER).then((r) => r.body as RecordedEvent[])).at(-1)!;
      expect(recorded).toMatchObject({
        type: 'ProposalReviewOutcomeRecorded',
        version: 2,
        causationId: approved.eventId,
        data: {
          outcome: 'approved-pilot',
          approval: {
            decision: 'pilot',
            plan: { supervisorId: 'u-skhcn-thanh-tra', implementerIds: [COLLEAGUE] },
            decidedBy: { headId: UNIT_HEAD, collective: true },
            legalBasis: 'Kết luận 14-KL/TW ngày 22/9/2021 của Bộ Chính trị',
            people: { proposerId: PROPOSER, coProposerIds: [], implementerIds: [COLLEAGUE], approvingHeadId: UNIT_HEAD },
          },
        },
      });
      expect((await view(id)).people).toEqual({ proposerId: PROPOSER, coProposerIds: [], implementerIds: [COLLEAGUE], approvingHeadId: UNIT_HEAD });
    });

    it('ReviewEscalated marks the proposal escalated and shows the upstream reviewer', async () => {
      const other = await submitted();
      await publish(reviewOpened(other, 1));
      await statusOf(other, 'under-review');
      await publish(
        approvalsFact('ReviewEscalated', {
          proposalId: other, round: 1, reasons: 'Phạm vi vượt thẩm quyền', fromUnitId: 'tm-skhcn-cds',
          ...routing('tm-so-khcn', DIRECTOR), escalatedBy: UNIT_HEAD, overdue: false, escalatedAt: new Date().toISOString(),
        }),
      );
      const p = await statusOf(other, 'escalated');
      expect(p.reviewer).toMatchObject({ round: 1, unitId: 'tm-so-khcn', escalatedFrom: 'tm-skhcn-cds' });
    });
  });

  describe('who sees and changes a proposal', () => {
    let draftId: string;
    let submittedId: string;

    beforeAll(async () => {
      draftId = await draft();
      submittedId = await submitted();
    });

    it('another cadre of the same unit sees neither (404) and may not act on it (403), writing nothing', async () => {
      await get(`/proposals/${draftId}`, COLLEAGUE).expect(404);
      await get(`/proposals/${submittedId}`, COLLEAGUE).expect(404);
      await get(`/proposals/${draftId}/history`, COLLEAGUE).expect(404);
      expect((await post(`/proposals/${draftId}/submit`, COLLEAGUE).expect(403)).body.code).toBe('FORBIDDEN');
      await put(`/proposals/${draftId}`, COLLEAGUE, proposal()).expect(403);
      await post(`/proposals/${draftId}/withdraw`, COLLEAGUE).expect(403);
      expect(await history(draftId)).toEqual(['ProposalDrafted']);
      const listed = (await get('/proposals', COLLEAGUE).expect(200)).body.map((p: { proposalId: string }) => p.proposalId);
      expect(listed).not.toContain(draftId);
      expect(listed).not.toContain(submittedId);
    });

    it('the unit head and the managing director see the submitted proposal, never the draft', async () => {
      for (const [userId, role] of [[UNIT_HEAD, 'unit-head'], [DIRECTOR, 'authority']]) {
        await get(`/proposals/${submittedId}`, userId, role).expect(200);
        await get(`/proposals/${submittedId}/history`, userId, role).expect(200);
        await get(`/proposals/${draftId}`, userId, role).expect(404);
        const listed = (await get('/proposals', userId, role).expect(200)).body.map((p: { proposalId: string }) => p.proposalId);
        expect(listed).toContain(submittedId);
        expect(listed).not.toContain(draftId);
      }
    });

    it('another unit sees nothing (404) and acting reads as an unknown proposal (404, same message), writing nothing', async () => {
      await get(`/proposals/${submittedId}`, OUTSIDE_HEAD, 'unit-head').expect(404);
      await get(`/proposals/${submittedId}`, OUTSIDER).expect(404);
      const withdrawn = await post(`/proposals/${draftId}/withdraw`, OUTSIDER).expect(404);
      const unknown = randomUUID();
      const missing = await post(`/proposals/${unknown}/withdraw`, OUTSIDER).expect(404);
      expect([withdrawn.body.code, withdrawn.body.message.replace(draftId, 'ID')]).toEqual([missing.body.code, missing.body.message.replace(unknown, 'ID')]);
      await post(`/proposals/${draftId}/submit`, OUTSIDE_HEAD, {}, 'unit-head').expect(404);
      const listed = (await get('/proposals', OUTSIDE_HEAD, 'unit-head').expect(200)).body.map((p: { proposalId: string }) => p.proposalId);
      expect(listed).not.toContain(submittedId);
      expect(await history(draftId)).toEqual(['ProposalDrafted']);
    });

    it('an unknown proposal is 404 for reads and commands', async () => {
      const unknown = randomUUID();
      await get(`/proposals/${unknown}`, PROPOSER).expect(404);
      await post(`/proposals/${unknown}/submit`, PROPOSER).expect(404);
      await put(`/proposals/${unknown}`, PROPOSER, proposal()).expect(404);
    });
  });

  describe('role refusals', () => {
    it('analysts and admins do not propose (403)', async () => {
      const id = await draft();
      for (const [userId, role] of [[ANALYST, 'analyst'], [ADMIN, 'admin']]) {
        expect((await post('/proposals', userId, proposal(), role).expect(403)).body.code).toBe('FORBIDDEN');
      }
      const listed = (await get('/proposals', ANALYST, 'analyst').expect(200)).body;
      expect(listed.map((p: { proposalId: string }) => p.proposalId)).not.toContain(id);
    });

    it('a role the user does not hold is refused (403); no user is refused (401)', async () => {
      await post('/proposals', PROPOSER, proposal(), 'unit-head').expect(403);
      await http().get('/api/v1/proposals').expect(401);
      await get('/proposals', 'u-nobody').expect(401);
    });

    it('only a unit head registers and only the city committee decides (403)', async () => {
      await post('/registrations', PROPOSER, { year: YEAR, title: 'Sáng kiến', field: 'other', summary: 'Tóm tắt' }).expect(403);
      await post('/registrations', COMMITTEE, { year: YEAR, title: 'Sáng kiến', field: 'other', summary: 'Tóm tắt' }, 'city-committee').expect(403);
      const { body } = await post('/registrations', DIRECTOR, { year: YEAR, title: 'Phòng thí nghiệm mở', field: 'socio-economic', summary: 'Tóm tắt' }, 'unit-head').expect(201);
      const key = `/registrations/tm-so-khcn/${YEAR}/${body.initiativeId}`;
      await post(`${key}/approve`, DIRECTOR, {}, 'unit-head').expect(403);
      await post(`${key}/reject`, DIRECTOR, { reasons: 'Tự từ chối' }, 'authority').expect(403);
      await get(`/registrations/missing?year=${YEAR}`, PROPOSER).expect(403);
      await get(`/registrations/missing?year=${YEAR}`, DIRECTOR, 'unit-head').expect(403);
      expect((await get(`/registrations/tm-so-khcn/${YEAR}/history`, DIRECTOR, 'unit-head').expect(200)).body).toHaveLength(1);
    });
  });

  describe('bad input (400, 413)', () => {
    it('refuses unknown fields at every level of the report', async () => {
      const report = fullReport();
      const bodies = [
        { ...proposal(), proposerId: 'u-someone-else' },
        proposal({ report: { ...report, verdict: 'x' } }),
        proposal({ report: { ...report, impactForecast: { ...report.impactForecast, extra: 'x' } } }),
        proposal({ report: { ...report, objectives: [{ ...report.objectives[0], targets: [{ ...report.objectives[0].targets[0], weight: 1 }] }] } }),
        proposal({ report: { ...report, implementationPlan: { milestones: [{ name: 'A', dueDate: `${YEAR}-01-01`, owner: 'x' }] } } }),
        proposal({ report: { ...report, resources: { budget: '1 tỷ' } } }),
        proposal({ attachments: [{ name: 'a', uri: 'doc://a', size: 1 }] }),
      ];
      for (const body of bodies) {
        const res = await post('/proposals', PROPOSER, body).expect(400);
        expect(JSON.stringify(res.body.message)).toMatch(/should not exist/);
      }
    });

    it('refuses operator objects, nulls, wrong types and missing fields', async () => {
      const bodies = [
        proposal({ title: { $gt: '' } }),
        proposal({ report: { necessity: { $gt: '' } } }),
        proposal({ report: { objectives: [{ description: { $ne: null } }] } }),
        proposal({ report: { necessity: null } }),
        proposal({ report: { impactForecast: 'tốt' } }),
        proposal({ report: { objectives: { description: 'x' } } }),
        proposal({ report: { objectives: ['x'] } }),
        proposal({ report: [] }),
        proposal({ field: 'everything' }),
        proposal({ isScheme: 'yes' }),
        proposal({ scopeUnitIds: [{ $gt: '' }] }),
        proposal({ report: { implementationPlan: { milestones: [{ dueDate: 'next spring' }] } } }),
        proposal({ report: { implementationPlan: { milestones: [{ dueDate: `${YEAR}-02-30` }] } } }),
        (({ title: _title, ...rest }) => rest)(proposal()),
      ];
      for (const body of bodies) await post('/proposals', PROPOSER, body).expect(400);
    });

    it('bounds strings and lists', async () => {
      const report = fullReport();
      const bodies = [
        proposal({ title: 'x'.repeat(501) }),
        proposal({ report: { objectives: Array.from({ length: 51 }, () => ({ description: 'x' })) } }),
        proposal({ report: { objectives: [{ targets: Array.from({ length: 21 }, () => ({ indicator: 'x' })) }] } }),
        proposal({ report: { ...report, implementationPlan: { milestones: [{ name: 'x'.repeat(501) }] } } }),
        proposal({ attachments: Array.from({ length: 51 }, (_, i) => ({ name: `${i}`, uri: `doc://${i}` })) }),
      ];
      for (const body of bodies) await post('/proposals', PROPOSER, body).expect(400);
    });

    it('refuses malformed JSON (400) and a body over 256kb (413)', async () => {
      const malformed = await http().post('/api/v1/proposals').set(as(PROPOSER)).set('content-type', 'application/json').send('{"title": "x",').expect(400);
      expect(malformed.body.code).toBe('BAD_REQUEST');
      await post('/proposals', PROPOSER, proposal({ report: { necessity: 'x'.repeat(300 * 1024) } })).expect(413);
    });

    it('refuses ids and queries that are not what they claim (400)', async () => {
      await get('/proposals/not-a-uuid', PROPOSER).expect(400);
      await post('/proposals/1%20OR%201/submit', PROPOSER).expect(400);
      await put('/proposals/abc', PROPOSER, proposal()).expect(400);
      await get('/proposals?status=lost', PROPOSER).expect(400);
      await get('/proposals?status[$ne]=draft', PROPOSER).expect(400);
      await get('/proposals?owner=me', PROPOSER).expect(400);
    });
  });

  // ---- annual registrations ----

  describe('annual registrations (HCM3815-1)', () => {
    const register = (userId: string, body: object) => post('/registrations', userId, body, 'unit-head');
    const initiative = (title: string) => ({ year: YEAR, title, field: 'administrative-reform', summary: `Tóm tắt: ${title}` });
    let khcn: string;
    let stc: string;
    let party: string;

    it('a unit head registers initiatives for their own unit', async () => {
      const res = await register(DIRECTOR, initiative('Sàn giao dịch công nghệ')).expect(201);
      expect(res.body).toEqual({ initiativeId: expect.any(String), streamId: `registration-tm-so-khcn-${YEAR}`, position: 2 });
      khcn = res.body.initiativeId;
      stc = (await register(OUTSIDE_HEAD, initiative('Hóa đơn điện tử toàn tỉnh')).expect(201)).body.initiativeId;
      party = (await register(PARTY_HEAD, initiative('Đánh giá cán bộ theo kết quả')).expect(201)).body.initiativeId;
    });

    it('refuses a year gone by (422) and writes nothing', async () => {
      const res = await register(DIRECTOR, { ...initiative('Muộn'), year: YEAR - 1 }).expect(422);
      expect(res.body.details.clause).toBe('HCM3815-1');
      await get(`/registrations/tm-so-khcn/${YEAR - 1}/history`, DIRECTOR, 'unit-head').expect(404);
    });

    it('refuses bad registration input (400)', async () => {
      const bodies = [
        { ...initiative('x'), unitId: 'tm-so-xay-dung' },
        { ...initiative('x'), year: String(YEAR) },
        { ...initiative('x'), year: 1999 },
        { ...initiative('x'), title: { $gt: '' } },
        { ...initiative('x'), field: 'sports' },
        (({ summary: _summary, ...rest }) => rest)(initiative('x')),
      ];
      for (const body of bodies) await register(DIRECTOR, body).expect(400);
    });

    it('the city committee approves and rejects research directions', async () => {
      const approved = await post(`/registrations/tm-so-khcn/${YEAR}/${khcn}/approve`, COMMITTEE, { reasons: 'Phù hợp' }, 'city-committee').expect(200);
      expect(approved.body).toEqual({ initiativeId: khcn, streamId: `registration-tm-so-khcn-${YEAR}`, position: 3 });
      await post(`/registrations/tm-so-tai-chinh/${YEAR}/${stc}/reject`, COMMITTEE, { reasons: 'Trùng nhiệm vụ' }, 'city-committee').expect(200);
    });

    it('refuses a second decision (409), a decision without reasons (400) and unknown registrations (404), writing nothing', async () => {
      const decide = (path: string, body: object = {}) => post(path, COMMITTEE, body, 'city-committee');
      await decide(`/registrations/tm-so-khcn/${YEAR}/${khcn}/reject`, { reasons: 'Đổi ý' }).expect(409);
      await decide(`/registrations/tm-so-khcn/${YEAR}/${khcn}/approve`).expect(409);
      await decide(`/registrations/tm-so-tai-chinh/${YEAR}/${stc}/reject`).expect(400);
      await decide(`/registrations/tm-so-khcn/${YEAR}/${randomUUID()}/approve`).expect(404);
      await decide(`/registrations/tm-so-xay-dung/${YEAR}/${randomUUID()}/approve`).expect(404);
      await decide(`/registrations/tm-khong-co/${YEAR}/${randomUUID()}/approve`).expect(404);
      const events = (await get(`/registrations/tm-so-khcn/${YEAR}/history`, COMMITTEE, 'city-committee').expect(200)).body;
      expect(events.map((e: RecordedEvent) => e.type)).toEqual(['InitiativeRegistered', 'InitiativeRegistered', 'RegistrationApproved']);
    });

    it('refuses a unit outside the committee\'s jurisdiction as an unknown registration (404), and malformed keys (400)', async () => {
      const outside = await post(`/registrations/tm-ban-to-chuc/${YEAR}/${party}/approve`, COMMITTEE, {}, 'city-committee').expect(404);
      expect(outside.body.message).toBe(`registration 'tm-ban-to-chuc/${YEAR}' was not found`);
      await post(`/registrations/$gt/${YEAR}/${party}/approve`, COMMITTEE, {}, 'city-committee').expect(400);
      await post(`/registrations/tm-so-khcn/next/${khcn}/approve`, COMMITTEE, {}, 'city-committee').expect(400);
      await post(`/registrations/tm-so-khcn/${YEAR}/not-a-uuid/approve`, COMMITTEE, {}, 'city-committee').expect(400);
      await post(`/registrations/tm-so-khcn/${YEAR}/${khcn}/approve`, COMMITTEE, { reasons: 'x', extra: 1 }, 'city-committee').expect(400);
    });

    it('lists the year\'s registrations within the caller\'s jurisdiction', async () => {
      const listed = await until(
        () => get(`/registrations?year=${YEAR}`, COMMITTEE, 'city-committee').then((r) => r.body as RegisteredInitiativeView[]),
        (list) => list.filter((i) => i.status !== 'registered').length === 2,
        'the decisions in the registrations list',
      );
      const byId = new Map(listed.map((i) => [i.initiativeId, i]));
      expect(byId.get(khcn)).toMatchObject({ unitId: 'tm-so-khcn', year: YEAR, status: 'approved', decision: { by: COMMITTEE, reasons: 'Phù hợp' } });
      expect(byId.get(stc)).toMatchObject({ unitId: 'tm-so-tai-chinh', status: 'rejected', decision: { reasons: 'Trùng nhiệm vụ' } });
      expect(byId.has(party)).toBe(false);
      const own = (await get(`/registrations?year=${YEAR}`, OUTSIDE_HEAD, 'unit-head').expect(200)).body;
      expect(own.map((i: { unitId: string }) => i.unitId)).toEqual(['tm-so-tai-chinh']);
      expect((await get(`/registrations?year=${YEAR + 1}`, COMMITTEE, 'city-committee').expect(200)).body).toEqual([]);
      await get('/registrations', COMMITTEE, 'city-committee').expect(400);
      await get('/registrations?year=soon', COMMITTEE, 'city-committee').expect(400);
    });

    it('pages the registrations by unit on the server: limit and X-Next-Cursor, X-Total-Count of units, every initiative once', async () => {
      const all = (await get(`/registrations?year=${YEAR}`, COMMITTEE, 'city-committee').expect(200)).body as RegisteredInitiativeView[];
      const units = [...new Set(all.map((i) => i.unitId))].sort();
      expect(units.length).toBeGreaterThanOrEqual(2);
      const pages = await everyPage((cursor) => get(`/registrations?year=${YEAR}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, COMMITTEE, 'city-committee').expect(200));
      expect(pages.map((p) => p.headers['x-total-count'])).toEqual(units.map((_, i) => (i === 0 ? String(units.length) : undefined)));
      expect(pages.map((p) => [...new Set((p.body as RegisteredInitiativeView[]).map((i) => i.unitId))])).toEqual(units.map((u) => [u]));
      expect(pages.flatMap((p) => p.body)).toEqual(all);
      await get(`/registrations?year=${YEAR}&sort=title`, COMMITTEE, 'city-committee').expect(400);
    });

    it('shows the agencies short of the policy minimum; a rejected direction does not count', async () => {
      const res = await get(`/registrations/missing?year=${YEAR}`, COMMITTEE, 'city-committee').expect(200);
      expect(res.body).toMatchObject({ year: YEAR, minimum: 1 });
      const missing = res.body.units.map((u: { unitId: string }) => u.unitId);
      const agencies = org.units.filter((u) => u.managedByUnitId === 'tm-ubnd').map((u) => u.id);
      expect(missing).toEqual(agencies.filter((id) => id !== 'tm-so-khcn'));
      expect(res.body.units.find((u: { unitId: string }) => u.unitId === 'tm-so-tai-chinh')).toEqual({
        unitId: 'tm-so-tai-chinh', unitName: 'Sở Tài chính', registered: 0, missing: 1,
      });
    });

    it('picks the agencies by a level of the org data when asked', async () => {
      const level = encodeURIComponent('sở, ban, ngành');
      const res = await get(`/registrations/missing?year=${YEAR}&level=${level}`, COMMITTEE, 'city-committee').expect(200);
      expect(res.body.units.map((u: { unitId: string }) => u.unitId)).toEqual(['tm-vp-ubnd', 'tm-so-noi-vu', 'tm-so-tai-chinh', 'tm-so-xay-dung']);
      const nextYear = await get(`/registrations/missing?year=${YEAR + 1}`, ANALYST, 'analyst').expect(200);
      expect(nextYear.body.units).toEqual([]); // the analyst's unit manages no agency
      await get(`/registrations/missing?year=${YEAR}&extra=1`, COMMITTEE, 'city-committee').expect(400);
    });

    it('keeps a registration history out of other units\' sight (404)', async () => {
      await get(`/registrations/tm-so-khcn/${YEAR}/history`, OUTSIDE_HEAD, 'unit-head').expect(404);
      await get(`/registrations/tm-ban-to-chuc/${YEAR}/history`, COMMITTEE, 'city-committee').expect(404);
    });
  });
  // ---- SAGA-withdraw: withdrawal against approval ----

  describe('SAGA-withdraw: the proposal stream decides between a withdrawal and an approval', () => {
    it('SAGA-withdraw: an approval arriving after the withdrawal records nothing and parks nothing', async () => {
      const id = await submitted();
      await publish(reviewOpened(id, 1));
      await statusOf(id, 'under-review');
      await post(`/proposals/${id}/withdraw`, PROPOSER, { reason: 'Chuyển công tác' }).expect(200);
      await publish(approvedFact(id, 1));
      // A later proposal's opening, on the same topic, proves the approval has been handled.
      const marker = await submitted();
      await publish(reviewOpened(marker, 1));
      await statusOf(marker, 'under-review');
      expect(await history(id)).toEqual(['ProposalDrafted', 'ProposalSubmitted', 'ProposalReviewOutcomeRecorded', 'ProposalWithdrawn']);
      expect((await view(id)).status).toBe('withdrawn');
      const letters = (await hub.kernel('proposals').deadLetters()).flatMap((g) => g.letters);
      expect(letters).toEqual([]);
      // Approvals closes the review on the withdrawal: the proposal shows no reviewer any more.
      await publish(approvalsFact('ReviewClosed', { proposalId: id, round: 1, reason: 'withdrawn', afterDecision: 'approved', closedAt: new Date().toISOString() }));
      await until(() => view(id), (p) => p.reviewer === null, 'the closed review');
    });
  });

  // ---- D73-10b: co-proposers ----

  describe('D73-10b: co-proposers', () => {
    it('D73-10b: a proposal names its co-proposers, who follow it once submitted', async () => {
      const id = await draft(proposal({ coProposerIds: [COLLEAGUE] }));
      expect((await view(id)).coProposerIds).toEqual([COLLEAGUE]);
      await get(`/proposals/${id}`, COLLEAGUE).expect(404);
      await post(`/proposals/${id}/submit`, PROPOSER).expect(200);
      await statusOf(id, 'submitted');
      expect((await get(`/proposals/${id}`, COLLEAGUE).expect(200)).body).toMatchObject({ coProposerIds: [COLLEAGUE] });
      // Following is not acting: only the proposer withdraws.
      await post(`/proposals/${id}/withdraw`, COLLEAGUE).expect(403);
    });

    it('D73-10b: refuses a co-proposer who is not a user of the instance, the proposer, or named twice (400)', async () => {
      for (const coProposerIds of [['u-nobody'], [PROPOSER], [COLLEAGUE, COLLEAGUE], [{ $gt: '' }]]) {
        await post('/proposals', PROPOSER, proposal({ coProposerIds })).expect(400);
      }
    });
  });

  // ---- HN67-assign: assigned breakthrough tasks ----

  describe('HN67-assign: leaders assign breakthrough tasks', () => {
    const task = (overrides: object = {}) => ({
      title: 'Rút ngắn thời gian cấp phép hạ tầng viễn thông',
      description: 'Nghiên cứu, đề xuất cơ chế cấp phép một cửa liên thông.',
      field: 'administrative-reform',
      unitId: 'tm-skhcn-cds',
      dueDate: `${YEAR + 1}-06-30`,
      ...overrides,
    });
    let assignmentId: string;
    let answer: string;

    it('HN67-assign: a leader assigns a task to a unit within their jurisdiction, naming the legal basis', async () => {
      const res = await post('/assignments', DIRECTOR, task(), 'unit-head').expect(201);
      expect(res.body).toEqual({ assignmentId: expect.any(String), streamId: `assignment-${res.body.assignmentId}`, position: 1 });
      assignmentId = res.body.assignmentId;
      const shown = await until(() => get(`/assignments/${assignmentId}`, DIRECTOR, 'unit-head'), (r) => r.status === 200, 'the assignment');
      expect(shown.body).toMatchObject({
        assignmentId, assignee: { unitId: 'tm-skhcn-cds', userId: null }, assignedBy: DIRECTOR, assignedByUnitId: 'tm-so-khcn',
        legalBasis: 'Kết luận 14-KL/TW ngày 22/9/2021 của Bộ Chính trị', proposalIds: [], registrations: [],
      });
      // The assigned unit's cadres see it; another unit's do not.
      await get(`/assignments/${assignmentId}`, PROPOSER).expect(200);
      await get(`/assignments/${assignmentId}`, OUTSIDER).expect(404);
      expect((await get('/assignments', PROPOSER).expect(200)).body.map((a: { assignmentId: string }) => a.assignmentId)).toContain(assignmentId);
    });

    it('HN67-assign: a task may go to one cadre; only leaders assign, within their jurisdiction', async () => {
      const res = await post('/assignments', DIRECTOR, task({ unitId: undefined, userId: PROPOSER }), 'authority').expect(201);
      await until(() => get(`/assignments/${res.body.assignmentId}`, PROPOSER), (r) => r.status === 200, 'the cadre assignment');
      expect((await get(`/assignments/${res.body.assignmentId}`, PROPOSER)).body.assignee).toEqual({ unitId: 'tm-skhcn-cds', userId: PROPOSER });
      await post('/assignments', PROPOSER, task()).expect(403);
      await post('/assignments', ANALYST, task(), 'analyst').expect(403);
      await post('/assignments', DIRECTOR, task({ unitId: 'tm-so-tai-chinh' }), 'unit-head').expect(403);
      await post('/assignments', DIRECTOR, task({ unitId: undefined, userId: 'u-nobody' }), 'unit-head').expect(400);
      await post('/assignments', DIRECTOR, task({ unitId: 'tm-so-khcn', userId: PROPOSER }), 'unit-head').expect(400);
      await post('/assignments', DIRECTOR, task({ unitId: undefined }), 'unit-head').expect(400);
      await post('/assignments', DIRECTOR, task({ dueDate: `${YEAR - 1}-01-01` }), 'unit-head').expect(400);
      await post('/assignments', DIRECTOR, task({ extra: 1 }), 'unit-head').expect(400);
      await get('/assignments/not-a-uuid', DIRECTOR, 'unit-head').expect(400);
    });

    it('the list is paged on the server: limit and X-Next-Cursor through every assignment once, X-Total-Count, a bad limit refused', async () => {
      const all = (await get('/assignments', DIRECTOR, 'unit-head').expect(200)).body.map((a: { assignmentId: string }) => a.assignmentId);
      expect(all.length).toBeGreaterThanOrEqual(2);
      const pages = await everyPage((cursor) => get(`/assignments?limit=1${cursor ? `&cursor=${cursor}` : ''}`, DIRECTOR, 'unit-head').expect(200));
      expect(pages.map((p) => p.headers['x-total-count'])).toEqual(all.map((_: unknown, i: number) => (i === 0 ? String(all.length) : undefined)));
      expect(pages.flatMap((p) => p.body.map((a: { assignmentId: string }) => a.assignmentId))).toEqual(all);
      expect((await get('/assignments', OUTSIDER).expect(200)).body.map((a: { assignmentId: string }) => a.assignmentId)).not.toContain(assignmentId);
      await get('/assignments?limit=0', DIRECTOR, 'unit-head').expect(400);
    });

    it('HN67-assign: the answering proposal names the assignment; an unknown or foreign one is refused', async () => {
      answer = await draft(proposal({ assignmentId }));
      await post(`/proposals/${answer}/submit`, PROPOSER).expect(200);
      expect(await statusOf(answer, 'submitted')).toMatchObject({ assignmentId });
      await post('/proposals', PROPOSER, proposal({ assignmentId: randomUUID() })).expect(404);
      const refused = await post('/proposals', OUTSIDER, proposal({ assignmentId })).expect(422);
      expect(refused.body.details.clause).toBe('HN67-assign');
      const shown = await until(() => get(`/assignments/${assignmentId}`, DIRECTOR, 'unit-head'), (r) => r.body.proposalIds?.length === 1, 'the answer');
      expect(shown.body.proposalIds).toEqual([answer]);
    });

    it('HN67-assign: the annual registration names the assignment and the proposals that fulfil it', async () => {
      const body = { year: YEAR, title: 'Cấp phép một cửa', field: 'administrative-reform', summary: 'Trả lời nhiệm vụ được giao', assignmentId, proposalIds: [answer] };
      const res = await post('/registrations', DIRECTOR, body, 'unit-head').expect(201);
      const listed = await until(
        () => get(`/registrations?year=${YEAR}`, DIRECTOR, 'unit-head').then((r) => r.body as RegisteredInitiativeView[]),
        (list) => list.some((i) => i.initiativeId === res.body.initiativeId),
        'the registration',
      );
      expect(listed.find((i) => i.initiativeId === res.body.initiativeId)).toMatchObject({ assignmentId, proposalIds: [answer] });
      await until(() => get(`/assignments/${assignmentId}`, DIRECTOR, 'unit-head'), (r) => r.body.registrations?.length === 1, 'the registration on the assignment');
      await post('/registrations', DIRECTOR, { ...body, assignmentId: randomUUID() }, 'unit-head').expect(404);
      await post('/registrations', DIRECTOR, { ...body, assignmentId: undefined, proposalIds: [randomUUID()] }, 'unit-head').expect(404);
      await post('/registrations', OUTSIDE_HEAD, { ...body, assignmentId: undefined }, 'unit-head').expect(422);
      await post('/registrations', DIRECTOR, { ...body, proposalIds: ['x'] }, 'unit-head').expect(400);
    });
  });

  // ---- HCM3815-1: nobody approves their own registration ----

  describe('HCM3815-1: the registrant does not decide', () => {
    it('HCM3815-1: a registrant who sits on the city committee cannot approve or reject their own registration (422)', async () => {
      const CHAIR = 'u-ubnd-chu-tich';
      const body = { year: YEAR, title: 'Chính quyền số cấp tỉnh', field: 'administrative-reform', summary: 'Tóm tắt' };
      const { initiativeId } = (await post('/registrations', CHAIR, body, 'unit-head').expect(201)).body;
      const key = `/registrations/tm-ubnd/${YEAR}/${initiativeId}`;
      // Wrong before this change: 200, the registrant approved their own research direction.
      expect((await post(`${key}/approve`, CHAIR, {}, 'city-committee').expect(422)).body.details.clause).toBe('HCM3815-1');
      await post(`${key}/reject`, CHAIR, { reasons: 'Tự rút' }, 'city-committee').expect(422);
      await post(`${key}/approve`, COMMITTEE, {}, 'city-committee').expect(200);
    });
  });
  // ---- where a proposal goes (C14-2.3a, C14-2.3b) ----

  describe('routing shown on the proposal (default policy)', () => {
    it("C14-2.3a: a cadre's proposal is reported to the head of the cadre's own unit", async () => {
      const id = await draft();
      expect((await view(id)).destination).toEqual({
        route: 'unit-head', reviewerUnitId: 'tm-skhcn-cds', reviewerIds: [UNIT_HEAD], collectiveMemberIds: [UNIT_HEAD, COLLEAGUE],
      });
    });

    it("C14-2.3b: by default a head's own proposal goes to the superior head (Decree 73 Art. 7), not to the unit's collective", async () => {
      const id = (await post('/proposals', UNIT_HEAD, partial()).expect(201)).body.proposalId;
      const page = await until(() => view(id, UNIT_HEAD), (p) => p.status === 'draft', 'the head\'s draft');
      // Wrong before this change: the default route was the head's own collective.
      expect(page.destination).toMatchObject({ route: 'superior-head', reviewerUnitId: 'tm-so-khcn', reviewerIds: [DIRECTOR] });
    });
  });

  // ---- another instance's policy: Decree 73 coverage, Hà Nội's collective route ----

  describe('an instance covering leaders and managers only, with the collective route', () => {
    let other: INestApplication;
    let otherService: OneProcessService;
    const call = (method: 'post' | 'get', path: string, userId: string, body?: object, role?: string) => {
      const req = request(other.getHttpServer())[method](`/api/v1${path}`).set(as(userId, role));
      return body ? req.send(body) : req;
    };
    const pageOf = async (id: string, userId: string) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const res = await call('get', `/proposals/${id}`, userId);
        if (res.status === 200) return res.body;
        if (Date.now() > deadline) throw new Error(`proposal ${id} never showed`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    beforeAll(async () => {
      otherService = await startOneProcessService({
        name: 'proposals',
        register: (c, h) => ProposalsModule.register(c, h),
        issuer: ISSUER,
        org,
        policy: policyFrom({ coverage: 'leaders-and-managers', headProposalRoute: 'collective' }),
      });
      other = otherService.app;
    });

    afterAll(async () => {
      await otherService?.stop();
    });

    it('D73-2: a cadre holding no leadership post may draft but not submit (422), writing nothing', async () => {
      const { proposalId } = (await call('post', '/proposals', PROPOSER, proposal()).expect(201)).body;
      const res = await call('post', `/proposals/${proposalId}/submit`, PROPOSER).expect(422);
      expect(res.body.details).toMatchObject({ clause: 'D73-2', coverage: 'leaders-and-managers' });
      const events = (await call('get', `/proposals/${proposalId}/history`, PROPOSER).expect(200)).body as RecordedEvent[];
      expect(events.map((e) => e.type)).toEqual(['ProposalDrafted']);
    });

    it('D73-2: a unit head submits, and the submission names Decree 73 as its legal basis', async () => {
      const { proposalId } = (await call('post', '/proposals', UNIT_HEAD, proposal()).expect(201)).body;
      await call('post', `/proposals/${proposalId}/submit`, UNIT_HEAD).expect(200);
      const events = (await call('get', `/proposals/${proposalId}/history`, UNIT_HEAD).expect(200)).body as RecordedEvent[];
      expect(events.at(-1)).toMatchObject({ type: 'ProposalSubmitted', data: { legalBasis: DEFAULT_LEGAL_BASIS['leaders-and-managers'] } });
    });

    it("C14-2.3b: under the collective route (Hà Nội 67-KH/TU) a head's own proposal goes to the unit's collective", async () => {
      const { proposalId } = (await call('post', '/proposals', UNIT_HEAD, partial()).expect(201)).body;
      expect((await pageOf(proposalId, UNIT_HEAD)).destination).toMatchObject({ route: 'collective', reviewerUnitId: 'tm-skhcn-cds' });
    });
  });
});
