import { randomUUID } from 'crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { contractRegistry } from '@dotpha/contracts';
import type { InProcessEventBus } from '@dotpha/event-bus-in-process';
import { GENESIS_HASH, type RecordedEvent, sealEvents } from '@dotpha/kernel';
import { policyFrom } from '@dotpha/org';
import { LocalIssuer, type ServiceHub } from '@dotpha/service-runtime';
import { type OneProcessService, startOneProcessService } from '@dotpha/service-testkit';
import { eventually, everyPage, testTokens } from '@dotpha/testkit';
import { EvaluationModule } from './evaluation.module';

/** The services trust this issuer only; tokens are minted once for every user of the sample province. */
const ISSUER = new LocalIssuer();
const TOKENS = testTokens(ISSUER);

// The sample province: a cadre of the Home Affairs department's civil-service office, and the
// department's evaluator, director and emulation officer, who all have it in their jurisdiction.
const PROPOSER = 'u-ccvc-chuyen-vien';
const PROPOSER_UNIT = 'tm-snv-ccvc';
const COLLEAGUE = 'u-ccvc-pho-phong';
const EVALUATOR = 'u-snv-danh-gia';
const DIRECTOR = 'u-snv-giam-doc';
// The department's collective: the director chairs, the deputy director votes with them (D73-eval).
const DEPUTY = 'u-snv-pho-giam-doc';
const ORGANIZATION_OFFICE = 'u-snv-thi-dua';
const INSPECTOR = 'u-ubkt-kiem-tra-vien';
const ANALYST = 'u-vp-phan-tich';
const SUPERVISOR = 'u-skhcn-thanh-tra';
// A cadre of the Science and Technology department: outside the Home Affairs evaluator's jurisdiction.
const OUTSIDER = 'u-cds-chuyen-vien';
const OUTSIDER_UNIT = 'tm-skhcn-cds';

/** D73-10b: the people of the approved plan, as monitoring's pilot events carry them. */
const PEOPLE = { proposerId: PROPOSER, coProposerIds: ['u-tthcc-chuyen-vien'], implementerIds: ['u-stc-chuyen-vien'], approvingHeadId: 'u-ccvc-truong-phong' };
const PROTECTED = [PROPOSER, 'u-tthcc-chuyen-vien', 'u-stc-chuyen-vien', 'u-ccvc-truong-phong'];

const ENDED_AT = '2026-09-01T03:00:00.000Z'; // Tuesday 10:00 in the province
// Five working days from Wednesday 2 September, then seven more, each to the end of the local day.
const REPORT_DUE = '2026-09-08T16:59:59.999Z';
const EVALUATION_DUE = '2026-09-17T16:59:59.999Z';
const DURING_PILOT_END = new Date('2026-09-01T04:00:00.000Z');

const registry = contractRegistry();

describe('evaluation service (e2e, one process)', () => {
  let app: INestApplication;
  let hub: ServiceHub;
  let service: OneProcessService;
  let upstream: InProcessEventBus;
  let clock = DURING_PILOT_END;

  beforeAll(async () => {
    service = await startOneProcessService({ name: 'evaluation', register: (c, h) => EvaluationModule.register(c, h), issuer: ISSUER, now: () => clock });
    ({ app, hub, upstream } = service);
  });

  afterAll(async () => {
    await service?.stop();
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
      people: { ...PEOPLE, proposerId },
      legalBasis: policyFrom({}).legalBasis,
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
      attachments: [], scopeUnitIds: [], submittedAt: clock.toISOString(), coProposerIds: [], legalBasis: policyFrom({}).legalBasis,
    }, { userId: proposerId, role: 'proposer' });
  }

  // ---- HTTP ----

  const headers = (userId: string, role?: string) => ({ authorization: `Bearer ${TOKENS[userId]}`, ...(role ? { 'x-role': role } : {}) });
  const post = (path: string, userId: string, role: string | undefined, body?: object) =>
    request(app.getHttpServer()).post(`/api/v1/evaluations/${path}`).set(headers(userId, role)).send(body);
  const get = (path: string, userId: string, role?: string) =>
    request(app.getHttpServer()).get(`/api/v1/evaluations${path}`).set(headers(userId, role));
  const postCase = (path: string, userId: string, role: string | undefined, body?: object) =>
    request(app.getHttpServer()).post(`/api/v1/inspection-cases${path}`).set(headers(userId, role)).send(body);
  const getCase = (path: string, userId: string, role?: string) =>
    request(app.getHttpServer()).get(`/api/v1/inspection-cases${path}`).set(headers(userId, role));

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

  /**
   * D73-eval: the evaluator drafts, the department's collective (director and deputy) votes for it
   * and the director tallies; then the cadre answers (C14-2.4f), so that liability may be decided.
   */
  async function assessed(proposalId: string, body: object = assessment(), answer = true): Promise<void> {
    await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', body).expect(200);
    await post(`${proposalId}/votes`, DIRECTOR, 'unit-head', { vote: 'for' }).expect(200);
    await post(`${proposalId}/votes`, DEPUTY, 'collective', { vote: 'for' }).expect(200);
    await post(`${proposalId}/tally`, DIRECTOR, 'unit-head', {}).expect(200);
    if (answer) await post(`${proposalId}/answer`, PROPOSER, undefined, { answer: 'Tôi đã đọc và thống nhất với đánh giá.' }).expect(200);
  }

  /** C14-2.4e: the case a referral opened, once the inspector can read it. */
  const inspectionCase = (caseId: string, ready: (body: any) => boolean = () => true) =>
    until(`inspection case ${caseId}`, async () => {
      const res = await getCase(`/${caseId}`, INSPECTOR, 'inspector');
      return res.status === 200 && ready(res.body) ? res.body : undefined;
    });

  /** The inspector's finding on a referral's case, once the evaluation has learnt it. */
  async function found(proposalId: string, caseId: string, finding: 'substantiated' | 'dismissed'): Promise<any> {
    await inspectionCase(caseId);
    await postCase(`/${caseId}/finding`, INSPECTOR, 'inspector', { finding, reasons: ['Kết quả xác minh của Ủy ban Kiểm tra.'] }).expect(200);
    return evaluation(proposalId, (v) => v.referrals.some((r: { caseId: string; finding: string | null }) => r.caseId === caseId && r.finding === finding));
  }

  /** A refused command leaves the stream as it was. */
  async function refusedWithoutTrace(proposalId: string, attempts: () => Promise<unknown>): Promise<void> {
    const before = await history(proposalId);
    await attempts();
    expect(await history(proposalId)).toEqual(before);
  }

  // ---- the hand-off from monitoring ----

  describe('PilotCompleted and PilotTerminated open the evaluation', () => {
    it('D73-eval: due dates in working days from the end, the pilot summary, the people of the plan (D73-10b) and D73-4', async () => {
      const proposalId = randomUUID();
      const ended = await completed(proposalId);
      const view = await evaluation(proposalId);
      expect(view).toMatchObject({
        proposalId, proposerId: PROPOSER, proposerUnitId: PROPOSER_UNIT, status: 'open',
        reportDueBy: REPORT_DUE, evaluationDueBy: EVALUATION_DUE, partyCommitteeConsultationRequired: true,
        pilot: { ending: 'completed', kind: 'pilot', endedAt: ENDED_AT, kpisOnTarget: 1, kpisTotal: 3, milestonesMet: 1, milestonesTotal: 2, flags: 2 },
        people: PEOPLE,
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

  describe('the list is paged on the server (issue 14)', () => {
    it('pages with limit and X-Next-Cursor, counts in X-Total-Count, shows another unit\'s proposer none, refuses a bad limit or cursor', async () => {
      const proposer = 'u-tthcc-chuyen-vien';
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) await completed(id, proposer, 'tm-tthcc');
      await until('three evaluations', async () => ((await get('', proposer).expect(200)).body.length === 3 ? true : undefined));
      const first = await get('?limit=2', proposer).expect(200);
      expect(first.body).toHaveLength(2);
      expect(first.headers['x-total-count']).toBe('3');
      const second = await get(`?limit=2&cursor=${first.headers['x-next-cursor']}`, proposer).expect(200);
      expect(second.headers['x-next-cursor']).toBeUndefined();
      expect([...first.body, ...second.body].map((v: { proposalId: string }) => v.proposalId).sort()).toEqual([...ids].sort());
      const outsiders = (await get('', OUTSIDER).expect(200)).body.map((v: { proposalId: string }) => v.proposalId);
      for (const id of ids) expect(outsiders).not.toContain(id);
      await get('?limit=0', proposer).expect(400);
      await get('?cursor=nonsense', proposer).expect(400);
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
      expect((await post(`${proposalId}/votes`, DIRECTOR, 'unit-head', { vote: 'for' }).expect(200)).body).toEqual({ proposalId, streamId, position: 5 });
      expect((await post(`${proposalId}/votes`, DEPUTY, 'collective', { vote: 'for' }).expect(200)).body).toEqual({ proposalId, streamId, position: 6 });
      expect((await post(`${proposalId}/tally`, DIRECTOR, 'unit-head', {}).expect(200)).body).toEqual({ proposalId, streamId, position: 8 });
      expect((await post(`${proposalId}/answer`, PROPOSER, undefined, { answer: 'Xin cảm ơn.' }).expect(200)).body).toEqual({ proposalId, streamId, position: 9 });
      expect((await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('none')).expect(200)).body).toEqual({ proposalId, streamId, position: 10 });
      expect((await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(200)).body).toEqual({ proposalId, streamId, position: 11 });

      const view = await evaluation(proposalId, (v) => v.status === 'closed');
      expect(view).toMatchObject({
        results: { reportedBy: PROPOSER, attachmentIds: ['doc-1'], late: false },
        consultations: [{ committeeUnitId: 'tm-so-noi-vu', opinion: 'supports', summary: 'Ủng hộ.', consultedBy: DIRECTOR }],
        assessment: {
          outcome: 'achieved', notable: true, damage: { caused: false }, motive: allPositive, resultsReported: true, late: false, assessedBy: EVALUATOR, round: 1,
        },
        tallies: [{ round: 1, for: 2, against: 0, members: 2, result: 'approved', talliedBy: DIRECTOR }],
        answer: { text: 'Xin cảm ơn.', answeredBy: PROPOSER },
        liability: { decision: 'none', decidedBy: EVALUATOR, legalBasis: policyFrom({}).legalBasis, protectedPersonIds: PROTECTED },
        referrals: [],
        closedAt: clock.toISOString(),
      });
      expect((await history(proposalId)).map((e) => e.type)).toEqual([
        'EvaluationOpened', 'ResultsReported', 'EvaluationPartyCommitteeConsulted', 'AssessmentProposed', 'EvaluationVoteRecorded',
        'EvaluationVoteRecorded', 'EvaluationVoteTallied', 'OutcomeAssessed', 'AssessmentAnswered', 'LiabilityDecided', 'EvaluationClosed',
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
      // D73-eval: due 7 working days from the receipt on Wednesday 9 September: the end of Friday 18 September.
      expect(view.evaluationDueBy).toBe('2026-09-18T16:59:59.999Z');
      clock = new Date('2026-09-18T02:00:00.000Z');
      expect((await get(`/${proposalId}`, EVALUATOR, 'evaluator').expect(200)).body.overdue).toEqual({ resultsReport: false, evaluation: false });
      clock = new Date('2026-09-18T17:00:00.000Z');
      expect((await get(`/${proposalId}`, EVALUATOR, 'evaluator').expect(200)).body.overdue).toEqual({ resultsReport: false, evaluation: true });
    });

    it('D73-eval / TZ-working-days: the evaluation is due 7 working days from RECEIPT of the report, not from its due date (wrong before)', async () => {
      const proposalId = await opened();
      // Received on Tuesday 1 September, 11:00 in the province: due at the end of Thursday 10 September there.
      await post(`${proposalId}/results`, PROPOSER, undefined, { report: 'Báo cáo sớm.' }).expect(200);
      const view = await evaluation(proposalId, (v) => v.status === 'results-reported');
      expect(view.evaluationDueBy).toBe('2026-09-10T16:59:59.999Z');
      expect(view.evaluationDueBy).not.toBe(EVALUATION_DUE);
    });
  });

  // ---- D73-11 over HTTP ----

  describe('D73-11: the liability the assessment admits', () => {
    it('D73-11: an achieved outcome carries no liability, and only none', async () => {
      const proposalId = await readyToAssess();
      await assessed(proposalId, assessment({ outcome: 'achieved', damage: { caused: false }, causes: [] }));
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
      await assessed(proposalId);
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
      await assessed(proposalId, selfInterest);
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
      const { referralId } = referral.body;
      expect(referral.body).toEqual({ proposalId, streamId: `evaluation-${proposalId}`, position: expect.any(Number), referralId: expect.any(String), caseId: referralId });
      // C14-2.4e: not closed while the case is open.
      await inspectionCase(referralId);
      await refusedWithoutTrace(proposalId, async () => {
        expect((await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(422)).body.details).toMatchObject({ clause: 'C14-2.4e', openCaseIds: [referralId] });
      });
      await found(proposalId, referralId, 'substantiated');
      await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(200);

      const view = await evaluation(proposalId, (v) => v.status === 'closed');
      expect(view.liability).toMatchObject({ decision: 'upheld', protectedPersonIds: [] });
      expect(view.referrals).toEqual([{
        referralId, caseId: referralId, grounds: ['self-interest'], description: 'Giao thầu cho doanh nghiệp người nhà.',
        stage: 'liability-decided', referredBy: EVALUATOR, referredAt: clock.toISOString(), finding: 'substantiated', foundAt: clock.toISOString(),
      }]);
      expect(view.abuseSubstantiated).toBe(true);
    });

    it('C14-2.4e: abuse substantiated after a protective decision reopens it; while the case is open the decision stands', async () => {
      const proposalId = await readyToAssess();
      await assessed(proposalId);
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('exempted')).expect(200);
      const { referralId } = (await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['corruption'], description: 'Nhận quà của nhà thầu.' }).expect(201)).body;
      const referred = await evaluation(proposalId, (v) => v.referrals.length === 1);
      expect(referred).toMatchObject({ liabilityToBeRedecided: false, openCaseIds: [referralId] });
      await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(422);
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('upheld')).expect(409);
      expect((await found(proposalId, referralId, 'substantiated')).liabilityToBeRedecided).toBe(true);
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

    it('jurisdiction: outside it a command and a query read as unknown (404, the unknown id\'s message)', async () => {
      const outside = randomUUID();
      await completed(outside, OUTSIDER, OUTSIDER_UNIT);
      await until('the outsider\'s evaluation', async () => ((await get(`/${outside}`, OUTSIDER)).status === 200 ? true : undefined));
      await get(`/${outside}`, EVALUATOR, 'evaluator').expect(404);
      await get(`/${outside}/history`, EVALUATOR, 'evaluator').expect(404);
      const consulted = await post(`${outside}/consult`, EVALUATOR, 'evaluator', { committeeUnitId: 'tm-so-khcn', opinion: 'supports', summary: 'x' }).expect(404);
      const unknown = randomUUID();
      const consultedUnknown = await post(`${unknown}/consult`, EVALUATOR, 'evaluator', { committeeUnitId: 'tm-so-khcn', opinion: 'supports', summary: 'x' }).expect(404);
      expect([consulted.body.code, consulted.body.message.replace(outside, 'ID')]).toEqual([consultedUnknown.body.code, consultedUnknown.body.message.replace(unknown, 'ID')]);
      expect(consulted.body.message).not.toContain(OUTSIDER_UNIT);
      await post(`${outside}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['corruption'], description: 'x' }).expect(404);
      expect((await get(`/${outside}/history`, OUTSIDER).expect(200)).body).toHaveLength(1);
      await refusedWithoutTrace(proposalId, () => post(`${proposalId}/abuse-referrals`, INSPECTOR, 'inspector', { grounds: ['corruption'], description: 'x' }).expect(404));
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

  // ---- D73-eval: the collective evaluates ----

  describe('D73-eval: the assessment is a decision of the collective of the evaluating unit', () => {
    it('D73-eval: a draft takes effect only when the collective approves it; rejected, the evaluator drafts again', async () => {
      const proposalId = await readyToAssess();
      await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment()).expect(200);
      const drafted = await evaluation(proposalId, (v) => v.collectiveVote !== null);
      expect(drafted).toMatchObject({
        status: 'results-reported', assessment: null,
        collectiveVote: { round: 1, unitId: 'tm-so-noi-vu', headId: DIRECTOR, memberIds: [DIRECTOR, DEPUTY], votes: {}, proposedBy: EVALUATOR },
      });
      await refusedWithoutTrace(proposalId, async () => {
        // Liability needs an assessment in effect; the cadre cannot answer a draft.
        await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('reduced')).expect(409);
        await post(`${proposalId}/answer`, PROPOSER, undefined, { answer: 'x' }).expect(409);
        // Neither the cadre, nor a colleague outside the collective, nor a deputy taking the chair.
        await post(`${proposalId}/votes`, PROPOSER, undefined, { vote: 'for' }).expect(403);
        await post(`${proposalId}/votes`, COLLEAGUE, 'collective', { vote: 'for' }).expect(403);
        await post(`${proposalId}/tally`, DEPUTY, 'collective', {}).expect(403);
        // Not everyone voted, and nobody closed the meeting.
        expect((await post(`${proposalId}/tally`, DIRECTOR, 'unit-head', {}).expect(422)).body.details).toMatchObject({ clause: 'D73-eval' });
        await post(`${proposalId}/votes`, DIRECTOR, 'unit-head', { vote: 'maybe' }).expect(400);
      });
      // Exactly half for, the head against: rejected (DOMAIN.md §4.3).
      await post(`${proposalId}/votes`, DIRECTOR, 'unit-head', { vote: 'against' }).expect(200);
      await post(`${proposalId}/votes`, DEPUTY, 'collective', { vote: 'for' }).expect(200);
      await post(`${proposalId}/tally`, DIRECTOR, 'unit-head', { closeMeeting: false }).expect(200);
      const rejected = await evaluation(proposalId, (v) => v.tallies.length === 1);
      expect(rejected).toMatchObject({ assessment: null, collectiveVote: null, tallies: [{ round: 1, for: 1, against: 1, tie: true, headVote: 'against', result: 'rejected' }] });
      await assessed(proposalId, assessment(), false);
      const adopted = await evaluation(proposalId, (v) => v.status === 'assessed');
      expect(adopted.assessment).toMatchObject({ round: 2, assessedBy: EVALUATOR, answerDueBy: expect.any(String) });
      expect(adopted.tallies.map((t: { result: string }) => t.result)).toEqual(['rejected', 'approved']);
    });

    it('D73-eval: the head may close the meeting once more than half took part; with one of two there is no quorum', async () => {
      const proposalId = await readyToAssess();
      await post(`${proposalId}/assessment`, EVALUATOR, 'evaluator', assessment()).expect(200);
      await post(`${proposalId}/votes`, DIRECTOR, 'unit-head', { vote: 'for' }).expect(200);
      const res = await post(`${proposalId}/tally`, DIRECTOR, 'unit-head', { closeMeeting: true }).expect(422);
      expect(res.body.details).toMatchObject({ clause: 'D73-eval' });
      expect(res.body.message).toMatch(/quorum/);
    });
  });

  // ---- C14-2.4f: the cadre answers ----

  describe('C14-2.4f: the cadre is told the assessment and may answer before liability', () => {
    it('C14-2.4f: liability waits for the written answer; only the cadre answers, once', async () => {
      const proposalId = await readyToAssess();
      await assessed(proposalId, assessment(), false);
      const view = await evaluation(proposalId, (v) => v.status === 'assessed');
      // Assessed on Tuesday 1 September in the province: 5 working days to answer, to the end of Tuesday 8 September.
      expect(view.assessment.answerDueBy).toBe('2026-09-08T16:59:59.999Z');
      await refusedWithoutTrace(proposalId, async () => {
        const early = await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('reduced')).expect(422);
        expect(early.body.details).toMatchObject({ clause: 'C14-2.4f', answerDueBy: '2026-09-08T16:59:59.999Z' });
        await post(`${proposalId}/answer`, COLLEAGUE, undefined, { answer: 'Trả lời hộ.' }).expect(403);
        await post(`${proposalId}/answer`, PROPOSER, undefined, { answer: '   ' }).expect(400);
        await post(`${proposalId}/answer`, PROPOSER, undefined, {}).expect(400);
      });
      await post(`${proposalId}/answer`, PROPOSER, undefined, { answer: 'Nguyên nhân chậm là do nhà thầu, tôi đã báo cáo kịp thời.' }).expect(200);
      await post(`${proposalId}/answer`, PROPOSER, undefined, { answer: 'Lần hai.' }).expect(409);
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('reduced')).expect(200);
      const decided = await evaluation(proposalId, (v) => v.status === 'liability-decided');
      expect(decided.answer).toMatchObject({ text: 'Nguyên nhân chậm là do nhà thầu, tôi đã báo cáo kịp thời.', answeredBy: PROPOSER });
      const types = (await history(proposalId)).map((e) => e.type);
      expect(types.indexOf('AssessmentAnswered')).toBeLessThan(types.indexOf('LiabilityDecided'));
    });

    it('C14-2.4f: once the window has ended liability is decided without an answer, and a late answer is refused', async () => {
      const proposalId = await readyToAssess();
      await assessed(proposalId, assessment(), false);
      await evaluation(proposalId, (v) => v.status === 'assessed');
      clock = new Date('2026-09-08T17:00:00.000Z');
      const late = await post(`${proposalId}/answer`, PROPOSER, undefined, { answer: 'Muộn.' }).expect(422);
      expect(late.body.details).toMatchObject({ clause: 'C14-2.4f' });
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('reduced')).expect(200);
    });
  });

  // ---- C14-2.4e, D73-6b: inspection cases ----

  describe('C14-2.4e: a referral is an allegation: an inspection case with a finding', () => {
    const failed = () => assessment({ outcome: 'not-achieved', damage: { caused: false }, causes: [{ description: 'Thiếu hạ tầng.', kind: 'objective' }] });

    async function referredAfterAssessment(): Promise<{ proposalId: string; caseId: string }> {
      const proposalId = await readyToAssess();
      await assessed(proposalId, failed());
      const res = await post(`${proposalId}/abuse-referrals`, EVALUATOR, 'evaluator', { grounds: ['corruption'], description: 'Đơn tố cáo nhận quà.' }).expect(201);
      const caseId = res.body.caseId as string;
      const opened = await inspectionCase(caseId);
      expect(opened).toMatchObject({
        caseId, kind: 'abuse-referral', proposalId, subjectIds: [PROPOSER], unitId: PROPOSER_UNIT, grounds: ['corruption'], reporterId: EVALUATOR, status: 'open', finding: null,
      });
      // C14-2.4e: liability waits while the case is open: the referral alone no longer forces upheld (wrong before).
      await evaluation(proposalId, (v) => v.openCaseIds.includes(caseId));
      await refusedWithoutTrace(proposalId, async () => {
        for (const decision of ['upheld', 'excluded']) {
          const res = await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability(decision)).expect(422);
          expect(res.body.details).toMatchObject({ clause: 'C14-2.4e', openCaseIds: [caseId] });
        }
      });
      return { proposalId, caseId };
    }

    it('C14-2.4e: dismissed: the evaluation goes on as if nothing had been referred and ends excluded', async () => {
      const { proposalId, caseId } = await referredAfterAssessment();
      const view = await found(proposalId, caseId, 'dismissed');
      expect(view).toMatchObject({ openCaseIds: [], abuseSubstantiated: false });
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('upheld')).expect(422);
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('excluded')).expect(200);
      await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(200);
      const closed = await evaluation(proposalId, (v) => v.status === 'closed');
      // D73-10b: the protection reaches the co-proposer, the implementer and the approving head too.
      expect(closed.liability).toMatchObject({ decision: 'excluded', protectedPersonIds: PROTECTED, legalBasis: policyFrom({}).legalBasis });
      const trail = await history(proposalId);
      expect(trail.find((e) => e.type === 'EvaluationClosed')?.data).toMatchObject({ abuseReferred: true, abuseSubstantiated: false });
      expect(trail.map((e) => e.type)).toContain('ReferralFindingRecorded');
      const caseTrail = (await getCase(`/${caseId}/history`, INSPECTOR, 'inspector').expect(200)).body;
      expect(caseTrail.map((e: RecordedEvent) => e.type)).toEqual(['InspectionCaseOpened', 'InspectionFindingRecorded']);
    });

    it('C14-2.4e: substantiated: only upheld, which protects nobody', async () => {
      const { proposalId, caseId } = await referredAfterAssessment();
      await found(proposalId, caseId, 'substantiated');
      const refused = await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('excluded')).expect(422);
      expect(refused.body.details).toMatchObject({ clause: 'C14-2.4e', allowed: ['upheld'] });
      await post(`${proposalId}/liability`, EVALUATOR, 'evaluator', liability('upheld')).expect(200);
      await post(`${proposalId}/close`, EVALUATOR, 'evaluator').expect(200);
      const closed = await evaluation(proposalId, (v) => v.status === 'closed');
      expect(closed).toMatchObject({ liability: { decision: 'upheld', protectedPersonIds: [] }, abuseSubstantiated: true });
    });

    it('C14-2.4e: the inspector alone records the finding, once; the case reads as unknown to others', async () => {
      const { caseId } = await referredAfterAssessment();
      const body = { finding: 'dismissed', reasons: ['Không có căn cứ.'] };
      await postCase(`/${caseId}/finding`, EVALUATOR, 'evaluator', body).expect(403);
      await postCase(`/${caseId}/finding`, PROPOSER, undefined, body).expect(403);
      await postCase(`/${caseId}/finding`, INSPECTOR, 'inspector', { finding: 'cleared', reasons: ['x'] }).expect(400);
      await postCase(`/${caseId}/finding`, INSPECTOR, 'inspector', { finding: 'dismissed', reasons: [] }).expect(400);
      await postCase(`/${randomUUID()}/finding`, INSPECTOR, 'inspector', body).expect(404);
      await getCase(`/${caseId}`, OUTSIDER).expect(404);
      await getCase(`/${caseId}`, ANALYST, 'analyst').expect(404);
      // The cadre it is about reads it, without who reported them.
      const own = (await getCase(`/${caseId}`, PROPOSER).expect(200)).body;
      expect(own).toMatchObject({ caseId, status: 'open' });
      expect(own).not.toHaveProperty('reporterId');
      await postCase(`/${caseId}/finding`, INSPECTOR, 'inspector', body).expect(200);
      await postCase(`/${caseId}/finding`, INSPECTOR, 'inspector', body).expect(409);
    });
  });

  describe('D73-6b: a prohibited act reported by any cadre reaches the inspector', () => {
    it('the cases list is paged on the server: the inspector follows X-Next-Cursor through every case once, X-Total-Count', async () => {
      const all = (await getCase('', INSPECTOR, 'inspector').expect(200)).body.map((c: { caseId: string }) => c.caseId);
      expect(all.length).toBeGreaterThanOrEqual(2);
      const pages = await everyPage((cursor) => getCase(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`, INSPECTOR, 'inspector').expect(200));
      expect(pages.map((p) => p.headers['x-total-count'])).toEqual(all.map((_: unknown, i: number) => (i === 0 ? String(all.length) : undefined)));
      expect(pages.flatMap((p) => p.body.map((c: { caseId: string }) => c.caseId))).toEqual(all);
      await getCase('?limit=0', INSPECTOR, 'inspector').expect(400);
    });

    const report = (overrides: Record<string, unknown> = {}) => ({
      kind: 'prohibited-act', subjectIds: [DIRECTOR], unitId: 'tm-so-noi-vu', grounds: ['obstructing-innovator', 'retaliating-against-innovator'],
      description: 'Giám đốc không cho trình đề xuất và điều chuyển người đề xuất sang vị trí khác.', ...overrides,
    });

    it('D73-6b: the report opens a case the inspector reads and finds on; the reporter follows it, the reported reads it without the reporter', async () => {
      const res = await postCase('', COLLEAGUE, undefined, report()).expect(201);
      const { caseId } = res.body;
      expect(res.body).toEqual({ caseId: expect.any(String), streamId: `inspection-case-${caseId}`, position: 1 });
      const seen = await until('the report in the inspector\'s list', async () => {
        const list = (await getCase('', INSPECTOR, 'inspector').expect(200)).body;
        return list.find((c: { caseId: string }) => c.caseId === caseId);
      });
      expect(seen).toMatchObject({ kind: 'prohibited-act', subjectIds: [DIRECTOR], unitId: 'tm-so-noi-vu', reporterId: COLLEAGUE, status: 'open', proposalId: null });
      expect((await getCase('', COLLEAGUE).expect(200)).body.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
      const aboutMe = (await getCase(`/${caseId}`, DIRECTOR, 'unit-head').expect(200)).body;
      expect(aboutMe).not.toHaveProperty('reporterId');
      const trail = (await getCase(`/${caseId}/history`, DIRECTOR, 'unit-head').expect(200)).body;
      expect(trail[0].data).not.toHaveProperty('reporterId');
      expect(trail[0].redacted).toEqual(['reporterId']);
      expect((await getCase('', OUTSIDER).expect(200)).body.map((c: { caseId: string }) => c.caseId)).not.toContain(caseId);
      await postCase(`/${caseId}/finding`, INSPECTOR, 'inspector', { finding: 'substantiated', reasons: ['Có căn cứ cản trở người đổi mới.'] }).expect(200);
      const after = await inspectionCase(caseId, (c) => c.status === 'found');
      expect(after).toMatchObject({ finding: 'substantiated', recordedBy: INSPECTOR });
    });

    it('D73-6: refusing an assigned task is reportable, naming the proposal it concerns', async () => {
      const proposalId = randomUUID();
      const res = await postCase('', PROPOSER, undefined, report({ grounds: ['refusing-assigned-task'], proposalId, subjectIds: [COLLEAGUE], unitId: PROPOSER_UNIT })).expect(201);
      expect((await inspectionCase(res.body.caseId)).proposalId).toBe(proposalId);
    });

    it('D73-6b: refusals write nothing: a role that is no cadre, unknown people or units, abuse grounds, a report about oneself', async () => {
      await postCase('', ANALYST, 'analyst', report()).expect(403);
      await postCase('', COLLEAGUE, undefined, report({ subjectIds: ['u-khong-co'] })).expect(400);
      await postCase('', COLLEAGUE, undefined, report({ unitId: 'tm-khong-co' })).expect(400);
      await postCase('', COLLEAGUE, undefined, report({ grounds: ['corruption'] })).expect(400);
      await postCase('', COLLEAGUE, undefined, report({ kind: 'abuse-referral' })).expect(400);
      await postCase('', COLLEAGUE, undefined, report({ subjectIds: [COLLEAGUE] })).expect(400);
      await postCase('', COLLEAGUE, undefined, report({ extra: 1 })).expect(400);
      await postCase('', COLLEAGUE, undefined, report({ proposalId: 'not-a-uuid' })).expect(400);
    });
  });

  // ---- who reads what ----

  describe('restricted text', () => {
    let proposalId: string;
    beforeAll(async () => {
      proposalId = await readyToAssess();
      await assessed(proposalId);
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
        expect(view.answer.text).toBe('Tôi đã đọc và thống nhất với đánh giá.');
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
        // C14-2.4f: the cadre's answer is theirs and the evaluating bodies' to read.
        expect(view.answer).toMatchObject({ answeredBy: PROPOSER });
        expect(view.answer).not.toHaveProperty('text');
        const listed = (await get('', user, role).expect(200)).body.find((v: { proposalId: string }) => v.proposalId === proposalId);
        expect(listed.assessment).not.toHaveProperty('text');
      }
      const trail = (await get(`/${proposalId}/history`, DIRECTOR, 'unit-head').expect(200)).body;
      const assessed = trail.find((e: RecordedEvent) => e.type === 'OutcomeAssessed');
      expect(assessed.data).not.toHaveProperty('assessment');
      expect(assessed.data).not.toHaveProperty('causes');
      expect(assessed.redacted).toEqual(['assessment', 'causes']);
      expect(trail.find((e: RecordedEvent) => e.type === 'AbuseReferred').data).not.toHaveProperty('description');
      expect(trail.find((e: RecordedEvent) => e.type === 'AssessmentAnswered').data).not.toHaveProperty('answer');
      expect(trail.find((e: RecordedEvent) => e.type === 'AssessmentProposed').data).not.toHaveProperty('assessment');
      const full = await history(proposalId);
      expect(full.find((e) => e.type === 'OutcomeAssessed')?.data).toHaveProperty('assessment');
    });
  });
});
