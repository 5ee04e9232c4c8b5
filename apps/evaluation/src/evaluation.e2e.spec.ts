import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { contextOfEvents, contractRegistry } from '@dotpha/contracts';
import { InProcessBroker, InProcessEventBus } from '@dotpha/event-bus-in-process';
import { GENESIS_HASH, type RecordedEvent, sealEvents } from '@dotpha/kernel';
import { loadOrgChart, policyFrom } from '@dotpha/org';
import { LocalIssuer, type RuntimeConfig, SAMPLE_ORG_FILE, type ServiceHub, createServiceApp } from '@dotpha/service-runtime';
import { eventually } from '@dotpha/testkit';
import { EvaluationModule } from './evaluation.module';

/** The services trust this issuer only; tokens are minted once for every user of the sample province. */
const ISSUER = new LocalIssuer();
const TOKENS = ISSUER.tokens();

// The sample province: a cadre of the Home Affairs department's civil-service office, and the
// department's evaluator, director and emulation officer, who all have it in their jurisdiction.
const PROPOSER = 'u-ccvc-chuyen-vien';
const PROPOSER_UNIT = 'tm-snv-ccvc';
const COLLEAGUE = 'u-ccvc-pho-phong';
const EVALUATOR = 'u-snv-danh-gia';
const DIRECTOR = 'u-snv-giam-doc';
const ORGANIZATION_OFFICE = 'u-snv-thi-dua';
const INSPECTOR = 'u-ubkt-kiem-tra-vien';
const ANALYST = 'u-vp-phan-tich';
const SUPERVISOR = 'u-skhcn-thanh-tra';
// A cadre of the Science and Technology department: outside the Home Affairs evaluator's jurisdiction.
const OUTSIDER = 'u-cds-chuyen-vien';
const OUTSIDER_UNIT = 'tm-skhcn-cds';

const ENDED_AT = '2026-09-01T03:00:00.000Z'; // Tuesday 10:00 in the province
// Five working days from Wednesday 2 September, then seven more, each to the end of the local day.
const REPORT_DUE = '2026-09-08T16:59:59.999Z';
const EVALUATION_DUE = '2026-09-17T16:59:59.999Z';
const DURING_PILOT_END = new Date('2026-09-01T04:00:00.000Z');

const registry = contractRegistry();

describe('evaluation service (e2e, one process)', () => {
  let app: INestApplication;
  let hub: ServiceHub;
  let dataDir: string;
  let upstream: InProcessEventBus;
  let clock = DURING_PILOT_END;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dotpha-evaluation-'));
    const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
    const broker = new InProcessBroker();
    const config: RuntimeConfig = {
      instance: org.instance.code,
      org,
      policy: policyFrom({}),
      storage: { kind: 'embedded', dataDir },
      auth: { kind: 'local' as const, issuer: ISSUER },
      bus: { kind: 'in-process', broker },
      now: () => clock,
    };
    ({ app, hub } = await createServiceApp('evaluation', [(c, h) => EvaluationModule.register(c, h)], config));
    // Listening once: supertest's per-request listeners reset connections under load.
    await app.listen(0, '127.0.0.1');
    upstream = new InProcessEventBus({ instance: org.instance.code, contextOf: contextOfEvents(), broker });
  });

  afterAll(async () => {
    await app.close();
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    clock = DURING_PILOT_END;
  });

  // ---- the upstream contexts, as their events arrive on the bus ----

  /** A properly sealed event of another context, its payload checked against the published contract. */
  async function publish(type: string, streamType: string, data: Record<string, unknown>, actor = { userId: SUPERVISOR, role: 'supervisor' }): Promise<RecordedEvent> {
    const at = clock.toISOString();
    const eventId = randomUUID();
    registry.validateAppend([{ eventId, type, data, occurredAt: at, actor, correlationId: eventId, causationId: null }]);
    const definition = registry.definition(type);
    const [event] = sealEvents(
      [{
        eventId, type, version: definition.version, streamId: `${streamType}-${data.proposalId}`, streamType, occurredAt: at, recordedAt: at,
        instance: 'tm', actor, correlationId: eventId, causationId: null, classification: definition.classification, data,
      }],
      1,
      GENESIS_HASH,
    );
    await upstream.publish([event]);
    return event;
  }

  function pilotEnd(proposalId: string, proposerId = PROPOSER, proposerUnitId = PROPOSER_UNIT) {
    return {
      proposalId, proposerId, proposerUnitId, kind: 'pilot', supervisorId: SUPERVISOR, endedAt: ENDED_AT, kpiTolerance: 0.1,
      kpiResults: [
        { id: 'k-days', target: 10, direction: 'at-most', latest: 9, onTarget: true },
        { id: 'k-share', target: 80, direction: 'at-least', latest: 60, onTarget: false },
        { id: 'k-cost', target: 100, direction: 'at-most', latest: null, onTarget: false },
      ],
      milestones: [
        { id: 'm-1', dueDate: '2026-06-30', metAt: '2026-06-29' },
        { id: 'm-2', dueDate: '2026-08-31', metAt: null },
      ],
      flags: 2,
      openFlags: 0,
    };
  }

  const completed = (proposalId: string, proposerId?: string, unitId?: string) =>
    publish('PilotCompleted', 'pilot', { ...pilotEnd(proposalId, proposerId, unitId), completedBy: SUPERVISOR });

  function submitted(proposalId: string, proposerId = PROPOSER, proposerUnitId = PROPOSER_UNIT) {
    return publish('ProposalSubmitted', 'proposal', {
      proposalId, revision: 1, proposerId, proposerUnitId,
      title: 'Một cửa liên thông tuyển dụng viên chức', field: 'administrative-reform', problemType: 'regulated-but-unsuitable', isScheme: false,
      report: {
        necessity: 'Tuyển dụng kéo dài 6 tháng.', basis: 'Kết luận 14-KL/TW.',
        impactForecast: { positive: 'Rút ngắn thời gian.', negative: 'Tăng hậu kiểm.', expectedEffectiveness: 'Còn 2 tháng.' },
        feasibility: 'Có sẵn dữ liệu.', currentSituation: 'Hồ sơ qua 3 cơ quan.', content: 'Thi tuyển tập trung.',
        objectives: [{ description: 'Rút ngắn', targets: [{ indicator: 'Thời gian tuyển dụng', target: '60', unit: 'ngày' }] }],
        implementationPlan: { milestones: [{ name: 'Ban hành quy trình', dueDate: '2026-06-30' }], roadmap: 'Thí điểm 6 tháng.' },
        resources: { people: '2 công chức' }, organization: 'Phòng CCVC chủ trì.', recommendations: 'Cho phép thí điểm.',
      },
      attachments: [], scopeUnitIds: [], submittedAt: clock.toISOString(),
    }, { userId: proposerId, role: 'proposer' });
  }

  // ---- HTTP ----

  const headers = (userId: string, role?: string) => ({ authorization: `Bearer ${TOKENS[userId]}`, ...(role ? { 'x-role': role } : {}) });
  const post = (path: string, userId: string, role: string | undefined, body?: object) =>
    request(app.getHttpServer()).post(`/api/v1/evaluations/${path}`).set(headers(userId, role)).send(body);
  const get = (path: string, userId: string, role?: string) =>
    request(app.getHttpServer()).get(`/api/v1/evaluations${path}`).set(headers(userId, role));

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    let value: T | undefined;
    let probing = false;
    const poll = () => {
      if (!probing) {
        probing = true;
        void probe().then((v) => ((value = v), (probing = false)), () => (probing = false));
      }
      return value !== undefined;
    };
    await eventually(poll, () => `waiting for ${what}`, 10_000);
    return value as T;
  }

  const history = async (proposalId: string): Promise<RecordedEvent[]> => (await get(`/${proposalId}/history`, EVALUATOR, 'evaluator').expect(200)).body;

  /** The evaluation as the proposer reads it, once it shows the given state. */
  const evaluation = (proposalId: string, ready: (body: any) => boolean = () => true) =>
    until(`evaluation ${proposalId}`, async () => {
      const res = await get(`/${proposalId}`, PROPOSER);
      return res.status === 200 && ready(res.body) ? res.body : undefined;
    });

  async function opened(): Promise<string> {
    const proposalId = randomUUID();
    await completed(proposalId);
    await evaluation(proposalId);
    return proposalId;
  }

  /** Results reported and the party committee consulted: what D73-eval and D73-4 ask before assessing. */
  async function readyToAssess(): Promise<string> {
    const proposalId = await opened();
    await post(`${proposalId}/results`, PROPOSER, undefined, { report: 'Báo cáo kết quả thí điểm.', attachmentIds: ['doc-1'] }).expect(200);
    await post(`${proposalId}/consult`, EVALUATOR, 'evaluator', { committeeUnitId: 'tm-so-noi-vu', opinion: 'supports', summary: 'Đảng ủy Sở ủng hộ.' }).expect(200);
    return proposalId;
  }

  const allPositive = { followedApprovedPlan: true, pureMotive: true, commonGood: true, noSelfInterest: true };
  function assessment(overrides: Record<string, unknown> = {}) {
    return {
      outcome: 'partially-achieved',
      notable: false,
      damage: { caused: true, estimate: 150_000_000, description: 'Chi phí in ấn phải làm lại.' },
      causes: [{ description: 'Phần mềm của nhà thầu chậm bàn giao.', kind: 'objective' }],
      motive: allPositive,
      assessment: 'Cán bộ thực hiện đúng phương án, tận tụy.',
      ...overrides,
    };
  }
  const liability = (decision: string) => ({ liability: decision, reasons: [`Căn cứ Điều 11 Nghị định 73: ${decision}.`] });

  /** A refused command leaves the stream as it was. */
  async function refusedWithoutTrace(proposalId: string, attempts: () => Promise<unknown>): Promise<void> {
    const before = await history(proposalId);
    await attempts();
    expect(await history(proposalId)).toEqual(before);
  }

  // ---- the hand-off from monitoring ----

  describe('PilotCompleted and PilotTerminated open the evaluation', () => {
    it('D73-eval: due dates in working days from the end, the pilot summary and D73-4 from the policy', async () => {
      const proposalId = randomUUID();
      const ended = await completed(proposalId);
      const view = await evaluation(proposalId);
      expect(view).toMatchObject({
        proposalId, proposerId: PROPOSER, proposerUnitId: PROPOSER_UNIT, status: 'open',
        reportDueBy: REPORT_DUE, evaluationDueBy: EVALUATION_DUE, partyCommitteeConsultationRequired: true,
        pilot: { ending: 'completed', kind: 'pilot', endedAt: ENDED_AT, kpisOnTarget: 1, kpisTotal: 3, milestonesMet: 1, milestonesTotal: 2, flags: 2 },
        overdue: { resultsReport: false, evaluation: false },
      });
      const [event] = await history(proposalId);
      expect(event).toMatchObject({ type: 'EvaluationOpened', streamId: `evaluation-${proposalId}`, causationId: ended.eventId, correlationId: ended.correlationId });
    });

    it('a redelivered PilotCompleted writes nothing more', async () => {
      const proposalId = randomUUID();
      const ended = await completed(proposalId);
      await evaluation(proposalId);
      await upstream.publish([ended]);
      // Same topic, consumed in order: once the next pilot's evaluation is open, the copy was handled.
      await opened();
      expect((await history(proposalId)).map((e) => e.type)).toEqual(['EvaluationOpened']);
    });

    it('a terminated pilot is evaluated too', async () => {
      const proposalId = randomUUID();
      await publish('PilotTerminated', 'pilot', { ...pilotEnd(proposalId), reasons: ['Vượt ngân sách.'], terminatedBy: SUPERVISOR });
      const view = await evaluation(proposalId);
      expect(view.pilot).toMatchObject({ ending: 'terminated' });
      expect(view.status).toBe('open');
    });
  });

  // ---- the way through ----

  describe('the happy path: results, consultation, assessment, liability, close', () => {
    it('answers each step with the stream position, and the record follows', async () => {
      const proposalId = await opened();
      const streamId = `evaluation-${proposalId}`;
      expect((await post(`${proposalId}/results`, PROPOSER, undefined, { report: 'Đạt 9/10 chỉ tiêu.', attachmentIds: ['doc-1'] }).expect(200)).body)
        .toEqual({ proposalId, streamId, position: 2 });
      expect((await post(`${proposalId}/consult`, DIRECTOR, 'unit-head', { committeeUnitId: 'tm-so-noi-vu', opinion: 'supports', summary: 'Ủng hộ.' }).expect(200)).body)
        .toEqual({ proposalId, streamId, position: 3 });
      const achieved = assessment({ outcome: 'achieved', notable: true, damage: { caused: false }, causes: [] });
      expect((await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', achieved).expect(200)).body).toEqual({ proposalId, streamId, position: 4 });
      expect((await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('none')).expect(200)).body).toEqual({ proposalId, streamId, position: 5 });
      expect((await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(200)).body).toEqual({ proposalId, streamId, position: 6 });

      const view = await evaluation(proposalId, (v) => v.status === 'closed');
      expect(view).toMatchObject({
        results: { reportedBy: PROPOSER, attachmentIds: ['doc-1'], late: false },
        consultations: [{ committeeUnitId: 'tm-so-noi-vu', opinion: 'supports', summary: 'Ủng hộ.', consultedBy: DIRECTOR }],
        assessment: { outcome: 'achieved', notable: true, damage: { caused: false }, motive: allPositive, resultsReported: true, late: false, assessedBy: EVALUATOR },
        liability: { decision: 'none', decidedBy: EVALUATOR },
        referrals: [],
        closedAt: clock.toISOString(),
      });
      expect((await history(proposalId)).map((e) => e.type)).toEqual([
        'EvaluationOpened', 'ResultsReported', 'EvaluationPartyCommitteeConsulted', 'OutcomeAssessed', 'LiabilityDecided', 'EvaluationClosed',
      ]);
    });

    it('lists the evaluations within the caller\'s jurisdiction', async () => {
      const inside = await opened();
      const outside = randomUUID();
      await completed(outside, OUTSIDER, OUTSIDER_UNIT);
      await until('the outsider\'s evaluation', async () => ((await get(`/${outside}`, OUTSIDER)).status === 200 ? true : undefined));
      const ids = (await get('', EVALUATOR, 'evaluator').expect(200)).body.map((v: { proposalId: string }) => v.proposalId);
      expect(ids).toContain(inside);
      expect(ids).not.toContain(outside);
      const own = (await get('', OUTSIDER).expect(200)).body.map((v: { proposalId: string }) => v.proposalId);
      expect(own).toContain(outside);
      expect(own).not.toContain(inside);
    });

    it('D73-eval: results after the due date are recorded as late, an unmet deadline shows as overdue', async () => {
      const proposalId = await opened();
      clock = new Date('2026-09-09T02:00:00.000Z');
      expect((await get(`/${proposalId}`, EVALUATOR, 'evaluator').expect(200)).body.overdue).toEqual({ resultsReport: true, evaluation: false });
      await post(`${proposalId}/results`, PROPOSER, undefined, { report: 'Báo cáo muộn.' }).expect(200);
      const view = await evaluation(proposalId, (v) => v.status === 'results-reported');
      expect(view.results).toMatchObject({ late: true });
      expect(view.overdue).toEqual({ resultsReport: false, evaluation: false });
      clock = new Date('2026-09-18T02:00:00.000Z');
      expect((await get(`/${proposalId}`, EVALUATOR, 'evaluator').expect(200)).body.overdue).toEqual({ resultsReport: false, evaluation: true });
    });
  });

  // ---- D73-11 over HTTP ----

  describe('D73-11: the liability the assessment admits', () => {
    it('D73-11: an achieved outcome carries no liability, and only none', async () => {
      const proposalId = await readyToAssess();
      await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment({ outcome: 'achieved', damage: { caused: false }, causes: [] })).expect(200);
      await refusedWithoutTrace(proposalId, async () => {
        for (const refused of ['excluded', 'exempted', 'reduced', 'upheld']) {
          const res = await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability(refused)).expect(422);
          expect(res.body).toMatchObject({ code: 'RULE_VIOLATION', details: { clause: 'D73-11', allowed: ['none'] } });
        }
      });
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('none')).expect(200);
    });

    it('D73-11: partly achieved with damage, plan followed and every motive finding positive: reduced is accepted', async () => {
      const proposalId = await readyToAssess();
      await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment()).expect(200);
      await refusedWithoutTrace(proposalId, async () => {
        const res = await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('upheld')).expect(422);
        expect(res.body.details).toMatchObject({ clause: 'D73-11', allowed: ['excluded', 'exempted', 'reduced'] });
      });
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('reduced')).expect(200);
      const view = await evaluation(proposalId, (v) => v.status === 'liability-decided');
      expect(view.liability).toMatchObject({ decision: 'reduced', reasons: ['Căn cứ Điều 11 Nghị định 73: reduced.'] });
    });

    it('C14-2.4d: a self-interest finding refuses excluded, exempted and reduced, accepts upheld; the referral is recorded before closing', async () => {
      const proposalId = await readyToAssess();
      const selfInterest = assessment({ outcome: 'not-achieved', motive: { ...allPositive, noSelfInterest: false } });
      await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', selfInterest).expect(200);
      await refusedWithoutTrace(proposalId, async () => {
        for (const protective of ['excluded', 'exempted', 'reduced']) {
          const res = await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability(protective)).expect(422);
          expect(res.body.details).toMatchObject({ clause: 'C14-2.4d', allowed: ['upheld'] });
        }
      });
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('upheld')).expect(200);
      await refusedWithoutTrace(proposalId, async () => {
        const res = await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(422);
        expect(res.body.details).toMatchObject({ clause: 'C14-2.4d' });
      });

      const referral = await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['self-interest'], description: 'Giao thầu cho doanh nghiệp người nhà.' }).expect(201);
      expect(referral.body).toEqual({ proposalId, streamId: `evaluation-${proposalId}`, position: 6, referralId: expect.any(String) });
      await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(200);

      const view = await evaluation(proposalId, (v) => v.status === 'closed');
      expect(view.liability).toMatchObject({ decision: 'upheld' });
      expect(view.referrals).toEqual([{
        referralId: referral.body.referralId, grounds: ['self-interest'], description: 'Giao thầu cho doanh nghiệp người nhà.',
        stage: 'liability-decided', referredBy: EVALUATOR, referredAt: clock.toISOString(),
      }]);
    });

    it('C14-2.4d: a referral after a protective decision reopens it', async () => {
      const proposalId = await readyToAssess();
      await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment()).expect(200);
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('exempted')).expect(200);
      await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['corruption'], description: 'Nhận quà của nhà thầu.' }).expect(201);
      expect((await evaluation(proposalId, (v) => v.referrals.length === 1)).liabilityToBeRedecided).toBe(true);
      await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(422);
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('exempted')).expect(422);
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('upheld')).expect(200);
      expect((await evaluation(proposalId, (v) => v.liability.decision === 'upheld')).liabilityToBeRedecided).toBe(false);
    });
  });

  // ---- referrals before the pilot ends ----

  describe('C14-2.4d: abuse referred before the evaluation exists', () => {
    it('is recorded on a submitted proposal, and the evaluation opens on top of it', async () => {
      const proposalId = randomUUID();
      await submitted(proposalId);
      await until('the submitted proposal', () => hub.kernel('evaluation').readModels.get('submitted-proposals', proposalId));
      const res = await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['negativity', 'discipline-violation'], description: 'Gây khó dễ cho doanh nghiệp.' }).expect(201);
      expect(res.body).toMatchObject({ proposalId, position: 1 });
      const referredOnly = await evaluation(proposalId);
      expect(referredOnly).toMatchObject({ status: 'none', pilot: null, referrals: [{ grounds: ['negativity', 'discipline-violation'], stage: 'none' }] });

      await completed(proposalId);
      const view = await evaluation(proposalId, (v) => v.status === 'open');
      expect(view.referrals).toHaveLength(1);
      expect((await history(proposalId)).map((e) => e.type)).toEqual(['AbuseReferred', 'EvaluationOpened']);
    });

    it('the inspector refers within its own jurisdiction', async () => {
      const proposalId = randomUUID();
      await submitted(proposalId, 'u-ubkt-pho-chu-nhiem', 'tm-ubkt');
      await until('the submitted proposal', () => hub.kernel('evaluation').readModels.get('submitted-proposals', proposalId));
      await post(`${proposalId}/abuse-referrals`, INSPECTOR, 'inspector', { grounds: ['self-interest'], description: 'Tư lợi.' }).expect(201);
    });

    it('a proposal nobody submitted is not found', async () => {
      await post(`${randomUUID()}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['corruption'], description: 'Tham nhũng.' }).expect(404);
    });
  });

  // ---- refusals ----

  describe('refusals write nothing', () => {
    let proposalId: string;
    beforeAll(async () => {
      proposalId = await readyToAssess();
    });

    it('403: a role commandRoles does not name, or a person the decider does not accept', async () => {
      await refusedWithoutTrace(proposalId, async () => {
        await post(`${proposalId}/results`, ANALYST, 'analyst', { report: 'x' }).expect(403);
        await post(`${proposalId}/consult`, PROPOSER, undefined, { committeeUnitId: 'tm-so-noi-vu', opinion: 'supports', summary: 'x' }).expect(403);
        await post(`${proposalId}/assessment`, DIRECTOR, 'unit-head', assessment()).expect(403);
        await post(`${proposalId}/assessment`, PROPOSER, undefined, assessment()).expect(403);
        await post(`${proposalId}/liability`, ORGANIZATION_OFFICE, 'organization-office', liability('reduced')).expect(403);
        await post(`${proposalId}/abuse-referrals`, ORGANIZATION_OFFICE, 'organization-office', { grounds: ['corruption'], description: 'x' }).expect(403);
        await post(`${proposalId}/abuse-referrals`, PROPOSER, undefined, { grounds: ['corruption'], description: 'x' }).expect(403);
        await post(`${proposalId}/close`, INSPECTOR, 'inspector').expect(403);
        // A role the user does not hold is refused before anything else.
        await post(`${proposalId}/close`, PROPOSER, 'evaluator').expect(403);
      });
    });

    it('403: only the implementer reports the results of their pilot', async () => {
      const fresh = await opened();
      await refusedWithoutTrace(fresh, () => post(`${fresh}/results`, COLLEAGUE, undefined, { report: 'Báo cáo hộ.' }).expect(403));
    });

    it('jurisdiction: outside it a command is forbidden and a query reads as unknown', async () => {
      const outside = randomUUID();
      await completed(outside, OUTSIDER, OUTSIDER_UNIT);
      await until('the outsider\'s evaluation', async () => ((await get(`/${outside}`, OUTSIDER)).status === 200 ? true : undefined));
      await get(`/${outside}`, EVALUATOR, 'evaluator').expect(404);
      await get(`/${outside}/history`, EVALUATOR, 'evaluator').expect(404);
      await post(`${outside}/consult`, EVALUATOR, 'evaluator', { committeeUnitId: 'tm-so-khcn', opinion: 'supports', summary: 'x' }).expect(403);
      await post(`${outside}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['corruption'], description: 'x' }).expect(403);
      expect((await get(`/${outside}/history`, OUTSIDER).expect(200)).body).toHaveLength(1);
      await refusedWithoutTrace(proposalId, () => post(`${proposalId}/abuse-referrals`, INSPECTOR, 'inspector', { grounds: ['corruption'], description: 'x' }).expect(403));
    });

    it('404: no evaluation for an unknown proposal', async () => {
      const unknown = randomUUID();
      await post(`${unknown}/results`, PROPOSER, undefined, { report: 'x' }).expect(404);
      await post(`${unknown}/close`, EVALUATOR, 'evaluator').expect(404);
      await get(`/${unknown}`, EVALUATOR, 'evaluator').expect(404);
      await get(`/${unknown}/history`, EVALUATOR, 'evaluator').expect(404);
    });

    it('400: unknown fields at any depth, operator objects, missing or malformed fields, bad ids', async () => {
      await refusedWithoutTrace(proposalId, async () => {
        await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', { ...assessment(), verdict: 'x' }).expect(400);
        await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment({ motive: { ...allPositive, loyal: true } })).expect(400);
        await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment({ causes: [{ description: 'x', kind: 'objective', weight: 1 }] })).expect(400);
        await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment({ assessment: { $gt: '' } })).expect(400);
        const { outcome: _, ...withoutOutcome } = assessment();
        await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', withoutOutcome).expect(400);
        await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment({ outcome: 'excellent' })).expect(400);
        await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment({ damage: { caused: true, estimate: -1 } })).expect(400);
        await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment({ damage: { caused: true } })).expect(400);
        await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', { liability: 'none', reasons: [] }).expect(400);
        await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', { liability: 'none', reasons: ['   '] }).expect(400);
        await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['bribery'], description: 'x' }).expect(400);
        await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['corruption', 'corruption'], description: 'x' }).expect(400);
        await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['corruption'], description: { $ne: null } }).expect(400);
        await post(`${proposalId}/consult`, EVALUATOR, 'evaluator', { committeeUnitId: 'tm-khong-co', opinion: 'supports', summary: 'x' }).expect(400);
        await post(`${proposalId}/consult`, EVALUATOR, 'evaluator', { committeeUnitId: 'tm-so-noi-vu', opinion: 'supports' }).expect(400);
        await post('not-a-uuid/close', EVALUATOR, 'evaluator').expect(400);
        await get('/not-a-uuid', EVALUATOR, 'evaluator').expect(400);
      });
      const fresh = await opened();
      await refusedWithoutTrace(fresh, async () => {
        await post(`${fresh}/results`, PROPOSER, undefined, { report: { $gt: '' } }).expect(400);
        await post(`${fresh}/results`, PROPOSER, undefined, { report: 'x', signedBy: 'y' }).expect(400);
        await post(`${fresh}/results`, PROPOSER, undefined, {}).expect(400);
      });
    });

    it('409: a step the evaluation is not at', async () => {
      const fresh = await opened();
      await refusedWithoutTrace(fresh, async () => {
        await post(`${fresh}/close`, EVALUATOR, 'evaluator').expect(409);
        await post(`${fresh}/liability`, EVALUATOR, 'evaluator', liability('none')).expect(409);
      });
      await refusedWithoutTrace(proposalId, async () => {
        const res = await post(`${proposalId}/results`, PROPOSER, undefined, { report: 'Lần hai.' }).expect(409);
        expect(res.body.code).toBe('ILLEGAL_TRANSITION');
      });
    });

    it('422: D73-eval results first (until due), D73-4 consultation first, C14-2.4b causes stated', async () => {
      const fresh = await opened();
      await refusedWithoutTrace(fresh, async () => {
        const early = await post(`${fresh}/assessment`, EVALUATOR, 'evaluator', assessment()).expect(422);
        expect(early.body.details).toMatchObject({ clause: 'D73-eval' });
      });
      await post(`${fresh}/results`, PROPOSER, undefined, { report: 'Báo cáo.' }).expect(200);
      await refusedWithoutTrace(fresh, async () => {
        const unconsulted = await post(`${fresh}/assessment`, EVALUATOR, 'evaluator', assessment()).expect(422);
        expect(unconsulted.body.details).toMatchObject({ clause: 'D73-4' });
      });
      await refusedWithoutTrace(proposalId, async () => {
        const causeless = await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment({ causes: [] })).expect(422);
        expect(causeless.body.details).toMatchObject({ clause: 'C14-2.4b' });
      });
    });
  });

  // ---- who reads what ----

  describe('restricted text', () => {
    let proposalId: string;
    beforeAll(async () => {
      proposalId = await readyToAssess();
      await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment()).expect(200);
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('reduced')).expect(200);
      await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['negativity'], description: 'Mô tả hành vi.' }).expect(201);
      await evaluation(proposalId, (v) => v.referrals.length === 1);
    });

    it('the evaluator, the organization office and the cadre themself read the assessment, causes, reasons and descriptions', async () => {
      for (const [user, role] of [[EVALUATOR, 'evaluator'], [ORGANIZATION_OFFICE, 'organization-office'], [PROPOSER, undefined]] as const) {
        const view = (await get(`/${proposalId}`, user, role).expect(200)).body;
        expect(view.assessment).toMatchObject({ text: 'Cán bộ thực hiện đúng phương án, tận tụy.', causes: [{ kind: 'objective' }] });
        expect(view.liability.reasons).toHaveLength(1);
        expect(view.referrals[0].description).toBe('Mô tả hành vi.');
        expect(view.consultations[0].summary).toBe('Đảng ủy Sở ủng hộ.');
      }
    });

    it('a leader or colleague in jurisdiction reads the record without them, in the record and in its history', async () => {
      for (const [user, role] of [[DIRECTOR, 'unit-head'], [COLLEAGUE, undefined]] as const) {
        const view = (await get(`/${proposalId}`, user, role).expect(200)).body;
        expect(view).toMatchObject({ status: 'liability-decided', assessment: { outcome: 'partially-achieved', motive: allPositive }, liability: { decision: 'reduced' } });
        expect(view.assessment).not.toHaveProperty('text');
        expect(view.assessment).not.toHaveProperty('causes');
        expect(view.liability).not.toHaveProperty('reasons');
        expect(view.referrals[0]).not.toHaveProperty('description');
        expect(view.referrals[0].grounds).toEqual(['negativity']);
        expect(view.consultations[0]).not.toHaveProperty('summary');
        const listed = (await get('', user, role).expect(200)).body.find((v: { proposalId: string }) => v.proposalId === proposalId);
        expect(listed.assessment).not.toHaveProperty('text');
      }
      const trail = (await get(`/${proposalId}/history`, DIRECTOR, 'unit-head').expect(200)).body;
      const assessed = trail.find((e: RecordedEvent) => e.type === 'OutcomeAssessed');
      expect(assessed.data).not.toHaveProperty('assessment');
      expect(assessed.data).not.toHaveProperty('causes');
      expect(assessed.redacted).toEqual(['assessment', 'causes']);
      expect(trail.find((e: RecordedEvent) => e.type === 'AbuseReferred').data).not.toHaveProperty('description');
      const full = await history(proposalId);
      expect(full.find((e) => e.type === 'OutcomeAssessed')?.data).toHaveProperty('assessment');
    });
  });
});
