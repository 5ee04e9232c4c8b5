import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { contractRegistry } from '@dotpha/contracts';
import type { InProcessEventBus } from '@dotpha/event-bus-in-process';
import { GENESIS_HASH, type RecordedEvent, hashEvent } from '@dotpha/kernel';
import { loadOrgChart } from '@dotpha/org';
import { LocalIssuer, SAMPLE_ORG_FILE, type ServiceHub } from '@dotpha/service-runtime';
import { type OneProcessService, startOneProcessService } from '@dotpha/service-testkit';
import { everyPage, testTokens } from '@dotpha/testkit';
import { RewardsModule } from './rewards.module';

/** The services trust this issuer only; tokens are minted once for every user of the sample province. */
const ISSUER = new LocalIssuer();
const TOKENS = testTokens(ISSUER);

// The sample province (libs/org/data/sample-province.json): a cadre of the civil-servants office
// of the Department of Home Affairs, the heads above them, and the people who act in rewards.
const PROPOSER = 'u-ccvc-chuyen-vien';
const PROPOSER_UNIT = 'tm-snv-ccvc';
const COLLEAGUE = 'u-ccvc-pho-phong';
const UNIT_HEAD = 'u-ccvc-truong-phong';
const DEPARTMENT_HEAD = 'u-snv-giam-doc'; // head of tm-so-noi-vu, which manages tm-snv-ccvc; also an authority
const OTHER_AUTHORITY = 'u-skhcn-giam-doc'; // Department of Science and Technology: not the proposer's chain
const OTHER_CADRE = 'u-cds-chuyen-vien';
const ORG_OFFICE = 'u-snv-thi-dua';
const EVALUATOR = 'u-snv-danh-gia';
const INSPECTOR = 'u-ubkt-kiem-tra-vien';
const CITY_COMMITTEE = 'u-ubnd-pct-1';
const ANALYST = 'u-vp-phan-tich';

const NOW = new Date('2026-09-15T03:00:00.000Z');
const YEAR = 2026;

const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
const contract = contractRegistry();

let app: INestApplication;
let hub: ServiceHub;
let upstream: InProcessEventBus;
let service: OneProcessService;

beforeAll(async () => {
  service = await startOneProcessService({ name: 'rewards', register: (c, h) => RewardsModule.register(c, h), issuer: ISSUER, org, now: () => NOW });
  ({ app, hub, upstream } = service);
});

afterAll(async () => {
  await service?.stop();
});

// ---- Upstream contexts, simulated: events as their services would record and publish them ----

const chains = new Map<string, { position: number; hash: string }>();

/** A RecordedEvent of another context: payload checked against the published contract, hash-chained per stream. */
function recorded(type: string, streamType: string, proposalId: string, data: Record<string, unknown>, actor = { userId: EVALUATOR, role: 'evaluator' }): RecordedEvent {
  const streamId = `${streamType}-${proposalId}`;
  const at = new Date(NOW.getTime() - 86_400_000).toISOString();
  const envelope = { eventId: randomUUID(), type, data, occurredAt: at, actor, correlationId: randomUUID(), causationId: null };
  contract.validateAppend([envelope]);
  const { version, classification } = contract.definition(type);
  const previous = chains.get(streamId) ?? { position: 0, hash: GENESIS_HASH };
  const unhashed = {
    ...envelope, version, streamId, streamType, streamPosition: previous.position + 1, recordedAt: at, instance: org.instance.code,
    classification, prevHash: previous.hash,
  };
  const event = { ...unhashed, hash: hashEvent(unhashed) };
  chains.set(streamId, { position: event.streamPosition, hash: event.hash });
  return event;
}

const subject = (proposalId: string, proposerId = PROPOSER, proposerUnitId = PROPOSER_UNIT) => ({ proposalId, proposerId, proposerUnitId });

function outcomeAssessed(proposalId: string, outcome: 'achieved' | 'partially-achieved' | 'not-achieved', notable: boolean, who?: [string, string]) {
  return recorded('OutcomeAssessed', 'evaluation', proposalId, {
    ...subject(proposalId, ...(who ?? [])),
    outcome,
    notable,
    damage: { caused: false },
    causes: [{ description: 'Quy trình mới được các phòng phối hợp tốt', kind: 'objective' }],
    motive: { followedApprovedPlan: true, pureMotive: true, commonGood: true, noSelfInterest: true },
    assessment: 'Đạt các chỉ tiêu đã đề ra, thời gian giải quyết hồ sơ giảm một nửa.',
    resultsReported: true,
    evaluationDueBy: '2026-09-20T10:00:00.000Z',
    late: false,
    assessedBy: EVALUATOR,
    assessedAt: '2026-09-14T02:00:00.000Z',
    round: 1,
    answerDueBy: '2026-09-21T10:00:00.000Z',
  });
}

function liabilityDecided(proposalId: string, liability: string, protectedPersonIds: string[] = [PROPOSER]) {
  return recorded('LiabilityDecided', 'evaluation', proposalId, {
    ...subject(proposalId),
    liability,
    reasons: ['Kết quả đạt, không phát sinh trách nhiệm'],
    outcome: 'achieved',
    damageCaused: false,
    decidedBy: EVALUATOR,
    decidedAt: '2026-09-14T04:00:00.000Z',
    legalBasis: 'Kết luận 14-KL/TW',
    protectedPersonIds,
  });
}

function abuseReferred(proposalId: string, stage: string, referralId: string = randomUUID()) {
  return recorded('AbuseReferred', 'evaluation', proposalId, {
    ...subject(proposalId),
    referralId,
    grounds: ['self-interest'],
    description: 'Có dấu hiệu lợi dụng chủ trương để trục lợi khi chọn nhà cung cấp.',
    stage,
    referredBy: EVALUATOR,
    referredAt: '2026-09-14T06:00:00.000Z',
  });
}

function proposalSubmitted(proposalId: string, field: string, coProposerIds: string[] = []) {
  const text = 'Nội dung đầy đủ của mục này.';
  return recorded('ProposalSubmitted', 'proposal', proposalId, {
    ...subject(proposalId),
    revision: 1,
    title: 'Số hóa hồ sơ công chức',
    field,
    problemType: 'regulated-but-unsuitable',
    isScheme: false,
    report: {
      necessity: text, basis: text, feasibility: text, currentSituation: text, content: text, organization: text, recommendations: text,
      impactForecast: { positive: text, negative: text, expectedEffectiveness: text },
      objectives: [{ description: text, targets: [{ indicator: 'Tỷ lệ hồ sơ số hóa', target: '100', unit: '%' }] }],
      implementationPlan: { milestones: [{ name: 'Hoàn thành số hóa', dueDate: '2026-06-30' }] },
      resources: { people: '2 công chức' },
    },
    attachments: [],
    scopeUnitIds: [],
    coProposerIds,
    legalBasis: 'Kết luận 14-KL/TW',
    submittedAt: '2026-01-10T02:00:00.000Z',
  }, { userId: PROPOSER, role: 'proposer' });
}

const publish = (...events: RecordedEvent[]) => upstream.publish(events);

// ---- HTTP ----

const as = (userId: string, role?: string): Record<string, string> => (role ? { authorization: `Bearer ${TOKENS[userId]}`, 'x-role': role } : { authorization: `Bearer ${TOKENS[userId]}` });
const get = (path: string, headers: Record<string, string>) => request(app.getHttpServer()).get(`/api/v1${path}`).set(headers);
const post = (path: string, headers: Record<string, string>, body: unknown) => request(app.getHttpServer()).post(`/api/v1${path}`).set(headers).send(body as object);

const orgOffice = as(ORG_OFFICE, 'organization-office');

/** Polls until the read model shows what a reaction or projection will write. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const recognition = (proposalId: string, headers = orgOffice) => get(`/recognitions/${proposalId}`, headers);
const untilRecognition = (proposalId: string, ok: (body: any) => boolean, what: string) =>
  until(() => recognition(proposalId), (r) => r.status === 200 && ok(r.body), what).then((r) => r.body);
const record = (userId: string, headers = orgOffice) => get(`/cadres/${userId}/record`, headers);
const historyTypes = async (proposalId: string): Promise<string[]> =>
  (await get(`/recognitions/${proposalId}/history`, orgOffice).expect(200)).body.map((e: RecordedEvent) => e.type);

const AWARDS = {
  commendation: { level: 'reward', form: 'Bằng khen của Chủ tịch UBND tỉnh' },
  bonusPoints: 5,
  promotionPriority: true,
  planningPriority: true,
  salaryStepEarlyMonths: 12,
  excellentAchievement: true,
};
const PROPORTIONALITY = { scale: 'province', effectiveness: 'high', influence: 'province', justification: 'Áp dụng toàn tỉnh, giảm một nửa thời gian xử lý hồ sơ.' };
const GRANT = { awards: AWARDS, proportionality: PROPORTIONALITY };
const REPLICATION = { targetUnitIds: ['tm-so-khcn', 'tm-xa-an-binh'], reviewPeriod: '2026-H1', reasons: ['Mô hình hiệu quả, dễ áp dụng'] };
const INSTITUTIONALIZATION = {
  level: 'local',
  addressedTo: 'Hội đồng nhân dân tỉnh',
  instrument: 'Nghị quyết quy định quy trình số hóa hồ sơ công chức',
  reasons: ['Đã nhân rộng thành công'],
};

// ---- Scenarios ----

const achieved = randomUUID(); // achieved → recommended → granted, replicated, institutionalized
const notablePartial = randomUUID(); // partially-achieved and notable → recommended → declined
const plainPartial = randomUUID(); // partially-achieved, not notable → nothing to recognise
const referredAfter = randomUUID(); // recommended, then abuse referred → suspended (C14-2.4e)
const referredBefore = randomUUID(); // abuse referred before any assessment → recommended, the grant waits
const elsewhere = randomUUID(); // another unit's proposal: outside the proposer's chain

describe('rewards (one process, embedded store, in-process bus)', () => {
  describe('recommendation on OutcomeAssessed', () => {
    it('recommends recognition for an achieved outcome, once even when the event is delivered again', async () => {
      const event = outcomeAssessed(achieved, 'achieved', false);
      await publish(proposalSubmitted(achieved, 'administrative-reform'), event);
      const view = await untilRecognition(achieved, (r) => r.status === 'recommended', 'the recommendation');
      expect(view).toMatchObject({ proposalId: achieved, proposerId: PROPOSER, proposerUnitId: PROPOSER_UNIT, outcome: 'achieved', barred: null });
      await publish(event, outcomeAssessed(elsewhere, 'achieved', false, [OTHER_CADRE, 'tm-skhcn-cds']));
      await untilRecognition(elsewhere, (r) => r.status === 'recommended', 'the other recommendation');
      expect(await historyTypes(achieved)).toEqual(['RecognitionRecommended']);
    });

    it('recommends a notable partial outcome and not a plain partial one', async () => {
      await publish(outcomeAssessed(plainPartial, 'partially-achieved', false), outcomeAssessed(notablePartial, 'partially-achieved', true));
      // The bus keeps the order of the topic: once the later one is in, the earlier one was handled.
      await untilRecognition(notablePartial, (r) => r.status === 'recommended' && r.notable === true, 'the notable partial recommendation');
      await recognition(plainPartial).expect(404);
    });
  });

  describe('POST /recognitions/:proposalId/grant', () => {
    const path = `/recognitions/${achieved}/grant`;

    it('refuses roles other than the organization office (403)', async () => {
      await post(path, as(EVALUATOR, 'evaluator'), GRANT).expect(403);
      await post(path, as(DEPARTMENT_HEAD, 'authority'), GRANT).expect(403);
      await post(path, as(PROPOSER), GRANT).expect(403);
      await post(path, {}, GRANT).expect(401);
      await post(path, as(PROPOSER, 'organization-office'), GRANT).expect(403); // a role the user does not hold
    });

    it('refuses malformed bodies (400)', async () => {
      await post(path, orgOffice, { ...GRANT, extra: 1 }).expect(400);
      await post(path, orgOffice, { ...GRANT, awards: { ...AWARDS, cash: 1000 } }).expect(400);
      await post(path, orgOffice, { ...GRANT, awards: { ...AWARDS, commendation: { level: 'reward', form: 'x', by: 'y' } } }).expect(400);
      await post(path, orgOffice, { ...GRANT, proportionality: { ...PROPORTIONALITY, justification: { $gt: '' } } }).expect(400);
      await post(path, orgOffice, { awards: AWARDS }).expect(400);
      await post(path, orgOffice, { ...GRANT, proportionality: { ...PROPORTIONALITY, scale: 'galaxy' } }).expect(400);
      await post(path, orgOffice, { ...GRANT, awards: { ...AWARDS, bonusPoints: '5' } }).expect(400);
      await post('/recognitions/not-a-uuid/grant', orgOffice, GRANT).expect(400);
    });

    it('refuses awards the rules do not allow (422)', async () => {
      const tooMany = await post(path, orgOffice, { ...GRANT, awards: { bonusPoints: 50 } }).expect(422);
      expect(tooMany.body.details.clause).toBe('HP-points');
      const early = await post(path, orgOffice, { ...GRANT, awards: { salaryStepEarlyMonths: 6 } }).expect(422);
      expect(early.body.details.clause).toBe('D73-10');
      await post(path, orgOffice, { ...GRANT, awards: { promotionPriority: false } }).expect(422);
    });

    it('answers 404 for a proposal with no recognition', async () => {
      await post(`/recognitions/${randomUUID()}/grant`, orgOffice, GRANT).expect(404);
      await post(`/recognitions/${plainPartial}/grant`, orgOffice, GRANT).expect(404);
    });

    it('wrote nothing for the refused commands', async () => {
      expect(await historyTypes(achieved)).toEqual(['RecognitionRecommended']);
    });

    it('grants the recognition and the bonus points show on the cadre record', async () => {
      const res = await post(path, orgOffice, GRANT).expect(200);
      expect(res.body).toEqual({ proposalId: achieved, streamId: `recognition-${achieved}`, position: 2 });
      const view = await untilRecognition(achieved, (r) => r.status === 'granted', 'the grant');
      expect(view.grant).toMatchObject({ awards: AWARDS, proportionality: PROPORTIONALITY, grantedBy: ORG_OFFICE, grantedAt: NOW.toISOString() });
      const cadre = await until(() => record(PROPOSER), (r) => r.status === 200 && r.body.recognitions.length === 1, 'the recorded recognition');
      expect(cadre.body).toMatchObject({
        userId: PROPOSER,
        totalBonusPoints: 5,
        bonusPointsByYear: { [YEAR]: 5 },
        recognitions: [{ proposalId: achieved, proposerUnitId: PROPOSER_UNIT, awards: AWARDS, grantedAt: NOW.toISOString() }],
      });
    });

    it('refuses a second grant or a decline of a granted recognition (409)', async () => {
      await post(path, orgOffice, GRANT).expect(409);
      await post(`/recognitions/${achieved}/decline`, orgOffice, { reasons: ['Không đủ điều kiện'] }).expect(409);
      expect(await historyTypes(achieved)).toEqual(['RecognitionRecommended', 'RecognitionGranted']);
    });

    // Was HCM3815-3: since D73-10c anything beyond praise for a partial outcome is refused under that clause.
    it('HCM3815-3, D73-10c: keeps career benefits for achieved outcomes (422 on a notable partial one)', async () => {
      const res = await post(`/recognitions/${notablePartial}/grant`, orgOffice, { ...GRANT, awards: { bonusPoints: 2, promotionPriority: true } }).expect(422);
      expect(res.body.details.clause).toBe('D73-10c');
    });
  });

  describe('POST /recognitions/:proposalId/decline', () => {
    const path = `/recognitions/${notablePartial}/decline`;

    it('refuses other roles (403) and bad input (400)', async () => {
      await post(path, as(CITY_COMMITTEE, 'city-committee'), { reasons: ['x'] }).expect(403);
      await post(path, orgOffice, { reasons: [] }).expect(400);
      await post(path, orgOffice, {}).expect(400);
      await post(path, orgOffice, { reasons: [{ $gt: '' }] }).expect(400);
      await post(path, orgOffice, { reasons: ['Chưa đủ căn cứ'], note: 'x' }).expect(400);
      expect(await historyTypes(notablePartial)).toEqual(['RecognitionRecommended']);
    });

    it('declines a recommended recognition with its reasons', async () => {
      const reasons = ['Kết quả mới đạt một phần, chưa đủ căn cứ khen thưởng'];
      const res = await post(path, orgOffice, { reasons }).expect(200);
      expect(res.body).toMatchObject({ proposalId: notablePartial, position: 2 });
      const view = await untilRecognition(notablePartial, (r) => r.status === 'declined', 'the decline');
      expect(view.decline).toEqual({ reasons, declinedBy: ORG_OFFICE, declinedAt: NOW.toISOString() });
      await post(`/recognitions/${notablePartial}/grant`, orgOffice, GRANT).expect(409);
    });
  });

  describe('POST /recognitions/:proposalId/replication and /institutionalization', () => {
    it('refuses roles that do not spread models (403) and an authority outside its jurisdiction as an unknown recognition (404)', async () => {
      await post(`/recognitions/${achieved}/replication`, as(EVALUATOR, 'evaluator'), REPLICATION).expect(403);
      const outside = await post(`/recognitions/${achieved}/replication`, as(OTHER_AUTHORITY, 'authority'), REPLICATION).expect(404);
      expect(outside.body).toMatchObject({ code: 'NOT_FOUND', message: `recognition '${achieved}' was not found` });
      await post(`/recognitions/${achieved}/institutionalization`, orgOffice, INSTITUTIONALIZATION).expect(403);
    });

    it('refuses bad input (400), unknown target units included', async () => {
      const path = `/recognitions/${achieved}/replication`;
      const authority = as(DEPARTMENT_HEAD, 'authority');
      await post(path, authority, { ...REPLICATION, reviewPeriod: '2026-H3' }).expect(400);
      await post(path, authority, { ...REPLICATION, targetUnitIds: ['tm-khong-co'] }).expect(400);
      await post(path, authority, { ...REPLICATION, targetUnitIds: [{ $gt: '' }] }).expect(400);
      await post(path, authority, { targetUnitIds: [], reasons: ['x'] }).expect(400);
      await post(`/recognitions/${achieved}/institutionalization`, as(CITY_COMMITTEE, 'city-committee'), { ...INSTITUTIONALIZATION, level: 'planet' }).expect(400);
    });

    it('refuses institutionalization before replication (422)', async () => {
      const res = await post(`/recognitions/${achieved}/institutionalization`, as(CITY_COMMITTEE, 'city-committee'), INSTITUTIONALIZATION).expect(422);
      expect(res.body.details.clause).toBe('C14-2.5b');
      expect(await historyTypes(achieved)).toEqual(['RecognitionRecommended', 'RecognitionGranted']);
    });

    it('recommends replication (authority within jurisdiction), then proposes institutionalization (city committee)', async () => {
      const replication = await post(`/recognitions/${achieved}/replication`, as(DEPARTMENT_HEAD, 'authority'), REPLICATION).expect(201);
      expect(replication.body).toMatchObject({ proposalId: achieved, replicationId: expect.any(String), position: 3 });
      const proposal = await post(`/recognitions/${achieved}/institutionalization`, as(CITY_COMMITTEE, 'city-committee'), INSTITUTIONALIZATION).expect(201);
      expect(proposal.body).toMatchObject({ proposalId: achieved, institutionalizationId: expect.any(String), position: 4 });
      const view = await untilRecognition(achieved, (r) => r.institutionalizations.length === 1, 'the institutionalization');
      expect(view.replications).toEqual([{ replicationId: replication.body.replicationId, ...REPLICATION, recommendedBy: DEPARTMENT_HEAD, recommendedAt: NOW.toISOString() }]);
      expect(view.institutionalizations).toEqual([
        { institutionalizationId: proposal.body.institutionalizationId, ...INSTITUTIONALIZATION, proposedBy: CITY_COMMITTEE, proposedAt: NOW.toISOString() },
      ]);
    });

    it('replicates a declined model too: an effective model may spread without personal awards', async () => {
      await post(`/recognitions/${notablePartial}/replication`, orgOffice, { ...REPLICATION, targetUnitIds: [] }).expect(201);
    });
  });

  // Issue 11 (C14-2.4e): a referral is an allegation. It suspends the recognition while its
  // inspection case is open, no longer bars it for good; the refusals name C14-2.4e, the bar and
  // the record entry name the referral and its case (the finding scenarios are at the end).
  describe('abuse referral (AbuseReferred)', () => {
    it('C14-2.4e: suspends a recommended recognition: grant refused (422), nothing written, the record shows the referral', async () => {
      await publish(outcomeAssessed(referredAfter, 'achieved', false));
      await untilRecognition(referredAfter, (r) => r.status === 'recommended', 'the recommendation');
      const referral = abuseReferred(referredAfter, 'assessed');
      const { referralId } = referral.data as { referralId: string };
      await publish(referral, referral);
      const view = await untilRecognition(referredAfter, (r) => r.barred !== null, 'the bar');
      expect(view.barred).toEqual({
        grounds: ['self-interest'], referredAt: '2026-09-14T06:00:00.000Z', afterGrant: false, barredAt: NOW.toISOString(), final: false, caseIds: [referralId],
      });
      const res = await post(`/recognitions/${referredAfter}/grant`, orgOffice, GRANT).expect(422);
      expect(res.body.details.clause).toBe('C14-2.4e');
      await post(`/recognitions/${referredAfter}/replication`, orgOffice, REPLICATION).expect(422);
      expect(await historyTypes(referredAfter)).toEqual(['RecognitionRecommended', 'RecognitionBarred']);
      const cadre = await until(() => record(PROPOSER), (r) => r.body.abuseReferrals?.length === 1, 'the recorded referral');
      expect(cadre.body.abuseReferrals).toEqual([
        {
          proposalId: referredAfter, proposerUnitId: PROPOSER_UNIT, unitId: PROPOSER_UNIT, as: 'proposer', referralId, caseId: referralId,
          grounds: ['self-interest'], referredAt: '2026-09-14T06:00:00.000Z', recordedAt: NOW.toISOString(), finding: null, foundAt: null,
        },
      ]);
    });

    // Was: the recommendation was refused (a dead letter). It is now recorded and the grant waits,
    // so that a dismissed referral leaves the recognition where it would have been without it.
    it('C14-2.4e: suspends recognition before any assessment: the later recommendation is recorded, the grant waits (422)', async () => {
      await publish(abuseReferred(referredBefore, 'open'), outcomeAssessed(referredBefore, 'achieved', false));
      const view = await untilRecognition(referredBefore, (r) => r.barred !== null && r.status === 'recommended', 'the bar and the recommendation');
      expect(view.barred.final).toBe(false);
      const res = await post(`/recognitions/${referredBefore}/grant`, orgOffice, GRANT).expect(422);
      expect(res.body.details.clause).toBe('C14-2.4e');
      expect((await historyTypes(referredBefore)).sort()).toEqual(['RecognitionBarred', 'RecognitionRecommended']);
    });
  });

  describe('GET /recognitions', () => {
    it('shows a recognition to the proposer, their chain and the organization office; 404 to others', async () => {
      await recognition(achieved, as(PROPOSER)).expect(200);
      await recognition(achieved, as(UNIT_HEAD)).expect(200);
      await recognition(achieved, as(DEPARTMENT_HEAD)).expect(200);
      await recognition(elsewhere, orgOffice).expect(200);
      await recognition(achieved, as(OTHER_CADRE)).expect(404);
      await recognition(achieved, as(OTHER_AUTHORITY, 'authority')).expect(404);
      await get(`/recognitions/${achieved}/history`, as(OTHER_CADRE)).expect(404);
      await recognition('not-a-uuid').expect(400);
    });

    it('lists the caller jurisdiction; the organization office sees the whole instance', async () => {
      const all = (await get('/recognitions', orgOffice).expect(200)).body.map((r: { proposalId: string }) => r.proposalId);
      expect(all).toEqual(expect.arrayContaining([achieved, notablePartial, referredAfter, referredBefore, elsewhere]));
      const chain = (await get('/recognitions', as(DEPARTMENT_HEAD)).expect(200)).body.map((r: { proposalId: string }) => r.proposalId);
      expect(chain).toContain(achieved);
      expect(chain).not.toContain(elsewhere);
      const other = (await get('/recognitions', as(OTHER_CADRE)).expect(200)).body.map((r: { proposalId: string }) => r.proposalId);
      expect(other).toEqual([elsewhere]);
    });

    it('pages on the server: limit and X-Next-Cursor through every recognition once, X-Total-Count, a bad limit or cursor refused', async () => {
      const all = (await get('/recognitions', orgOffice).expect(200)).body.map((r: { proposalId: string }) => r.proposalId);
      const pages = await everyPage((cursor) => get(`/recognitions?limit=2${cursor ? `&cursor=${cursor}` : ''}`, orgOffice).expect(200));
      expect(pages.map((p) => p.body.length)).toEqual(pages.map((_, i) => Math.min(2, all.length - 2 * i)));
      expect(pages.map((p) => p.headers['x-total-count'])).toEqual(pages.map((_, i) => (i === 0 ? String(all.length) : undefined)));
      expect(pages.flatMap((p) => p.body.map((r: { proposalId: string }) => r.proposalId))).toEqual(all);
      expect(all.length).toBeGreaterThan(2);
      await get('/recognitions?limit=501', orgOffice).expect(400);
      await get('/recognitions?cursor=nonsense', orgOffice).expect(400);
    });

    it('returns the stream history, hash-chained', async () => {
      const events: RecordedEvent[] = (await get(`/recognitions/${achieved}/history`, as(PROPOSER)).expect(200)).body;
      expect(events.map((e) => e.type)).toEqual(['RecognitionRecommended', 'RecognitionGranted', 'ReplicationRecommended', 'InstitutionalizationProposed']);
      events.forEach((e, i) => expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1].hash));
      expect(events[0].causationId).toEqual(expect.any(String)); // caused by OutcomeAssessed
    });
  });

  describe('GET /cadres/:userId/record', () => {
    it('records liability decisions once, however often they are delivered', async () => {
      const decided = liabilityDecided(achieved, 'none');
      await publish(decided, decided);
      const cadre = await until(() => record(PROPOSER), (r) => r.body.liabilities?.length === 1, 'the recorded liability');
      expect(cadre.body.liabilities).toEqual([
        {
          proposalId: achieved, proposerUnitId: PROPOSER_UNIT, unitId: PROPOSER_UNIT, as: 'proposer', liability: 'none',
          decidedAt: '2026-09-14T04:00:00.000Z', recordedAt: NOW.toISOString(),
        },
      ]);
      const history = (await get(`/cadres/${PROPOSER}/record/history`, as(PROPOSER)).expect(200)).body.map((e: RecordedEvent) => e.type);
      // One referral per referred proposal (referredAfter, referredBefore), then the liability.
      expect(history).toEqual(['RecognitionRecorded', 'AbuseReferralRecorded', 'AbuseReferralRecorded', 'LiabilityRecorded']);
    });

    it('shows the record to the cadre, the heads above them, the organization office and inspectors', async () => {
      for (const headers of [as(PROPOSER), as(UNIT_HEAD), as(DEPARTMENT_HEAD), orgOffice, as(INSPECTOR, 'inspector')]) {
        const res = await record(PROPOSER, headers).expect(200);
        expect(res.body).toMatchObject({ totalBonusPoints: 5, unitIds: [PROPOSER_UNIT] });
      }
    });

    it('reads like an unknown cadre to colleagues and other units (404)', async () => {
      await record(PROPOSER, as(COLLEAGUE)).expect(404);
      await record(PROPOSER, as(OTHER_AUTHORITY, 'authority')).expect(404);
      await record(PROPOSER, as(ANALYST, 'analyst')).expect(404);
      await get(`/cadres/${PROPOSER}/record/history`, as(COLLEAGUE)).expect(404);
    });

    it('answers an empty record for a cadre with nothing on it, 404 for an unknown one, 400 for a malformed id', async () => {
      const empty = await record(OTHER_CADRE, as(OTHER_CADRE)).expect(200);
      expect(empty.body).toMatchObject({ userId: OTHER_CADRE, recognitions: [], totalBonusPoints: 0 });
      await record('u-khong-co').expect(404);
      await record('bad$id').expect(400);
    });
  });

  describe('GET /reports/periodic', () => {
    it('counts the year by unit and field for the instance', async () => {
      const res = await get(`/reports/periodic?year=${YEAR}`, as(ANALYST, 'analyst')).expect(200);
      expect(res.body.scope).toBe('instance');
      // The totals gained the life-cycle figures of C14-2.5d. Since C14-2.4e the proposal referred
      // before its assessment is recommended too (its grant waits for the finding): 5, was 4.
      expect(res.body.totals).toMatchObject({ recommended: 5, granted: 1, declined: 1, barred: 2, replications: 2, institutionalizations: 1, bonusPoints: 5 });
      expect(res.body.period).toEqual({ label: String(YEAR), from: `${YEAR}-01-01`, to: `${YEAR}-12-31` });
      expect(res.body.byUnit).toEqual([
        expect.objectContaining({ unitId: 'tm-skhcn-cds', recommended: 1 }),
        expect.objectContaining({ unitId: PROPOSER_UNIT, unitName: org.unit(PROPOSER_UNIT).name, recommended: 4, granted: 1 }),
      ]);
      expect(res.body.byField).toEqual([
        expect.objectContaining({ field: 'administrative-reform', recommended: 1, granted: 1, replications: 1, institutionalizations: 1, bonusPoints: 5 }),
        expect.objectContaining({ field: 'unknown', recommended: 4, declined: 1 }),
      ]);
      const before = await get(`/reports/periodic?year=${YEAR - 1}`, orgOffice).expect(200);
      expect(before.body.totals.recommended).toBe(0);
    });

    it('limits an authority to its jurisdiction', async () => {
      const res = await get(`/reports/periodic?year=${YEAR}`, as(OTHER_AUTHORITY, 'authority')).expect(200);
      expect(res.body).toMatchObject({ scope: 'jurisdiction', totals: { recommended: 1 }, byUnit: [{ unitId: 'tm-skhcn-cds' }] });
    });

    it('refuses other roles (403) and bad queries (400)', async () => {
      await get(`/reports/periodic?year=${YEAR}`, as(PROPOSER)).expect(403);
      await get(`/reports/periodic?year=${YEAR}`, as(INSPECTOR, 'inspector')).expect(403);
      await get('/reports/periodic', as(ANALYST, 'analyst')).expect(400);
      await get('/reports/periodic?year=twenty', as(ANALYST, 'analyst')).expect(400);
      await get(`/reports/periodic?year=${YEAR}&unit=x`, as(ANALYST, 'analyst')).expect(400);
      await get(`/reports/periodic?year[$gt]=1`, as(ANALYST, 'analyst')).expect(400);
    });
  });
  // ---- Issue 11: D73-10c, D73-10b, C14-2.4f, C14-2.5d ----

  describe('D73-10c: a notable partial outcome is only praised', () => {
    const praised = randomUUID();

    it('D73-10c: refuses a formal reward, points and the salary step (422), grants praise (biểu dương)', async () => {
      await publish(outcomeAssessed(praised, 'partially-achieved', true));
      const view = await untilRecognition(praised, (r) => r.status === 'recommended', 'the partial recommendation');
      expect(view).toMatchObject({ outcome: 'partially-achieved', praiseOnly: true });
      const before = (await record(PROPOSER).expect(200)).body.totalBonusPoints;
      // Wrong before issue 11: this grant of reward, points and the salary step was accepted.
      const refused = await post(`/recognitions/${praised}/grant`, orgOffice, { ...GRANT, awards: { commendation: AWARDS.commendation, bonusPoints: 2, salaryStepEarlyMonths: 12 } }).expect(422);
      expect(refused.body.details.clause).toBe('D73-10c');
      expect(await historyTypes(praised)).toEqual(['RecognitionRecommended']);
      const praise = { commendation: { level: 'praise', form: 'Biểu dương tại hội nghị sơ kết' } };
      await post(`/recognitions/${praised}/grant`, orgOffice, { ...GRANT, awards: praise }).expect(200);
      const cadre = await until(() => record(PROPOSER), (r) => r.body.recognitions?.some((x: { proposalId: string }) => x.proposalId === praised), 'the praise on the record');
      expect(cadre.body.totalBonusPoints).toBe(before);
    });
  });

  describe('D73-10b and C14-2.4f: the people of the plan, and their notices', () => {
    const noticed = randomUUID();
    const CO_PROPOSER = COLLEAGUE;
    const IMPLEMENTER = OTHER_CADRE; // another unit: the record keeps their own unit
    const dueBy = '2026-09-01T10:00:00.000Z';
    const approver = { userId: UNIT_HEAD, role: 'unit-head' };
    const reviewOpened = (proposalId: string) => recorded('ReviewOpened', 'review', proposalId, {
      ...subject(proposalId), round: 1, scopeUnitIds: [], reviewerUnitId: PROPOSER_UNIT, route: 'unit-head', reviewerIds: [UNIT_HEAD],
      collectiveMemberIds: [UNIT_HEAD, COLLEAGUE], headId: UNIT_HEAD, authorityCoversScope: true, dueBy, requirePartyConsultation: true,
      openedAt: '2026-08-20T02:00:00.000Z',
    }, approver);
    const proposalApproved = (proposalId: string) => recorded('ProposalApproved', 'review', proposalId, {
      ...subject(proposalId), round: 1, decision: 'pilot', reasons: 'Lý do phê duyệt chỉ đọc trong hồ sơ thẩm định',
      decidedBy: { unitId: PROPOSER_UNIT, reviewerId: UNIT_HEAD, collective: true, override: false, collectiveMemberIds: [UNIT_HEAD, COLLEAGUE], headId: UNIT_HEAD },
      legalBasis: 'Kết luận 14-KL/TW',
      attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
      plan: { scope: 'Phòng Công chức', startDate: '2026-03-01', endDate: '2026-08-31', kpis: [], milestones: [], resources: [], supervisorId: null, implementerIds: [IMPLEMENTER] },
      overdue: false,
      decidedAt: '2026-08-25T02:00:00.000Z',
    }, approver);
    const notices = (headers: Record<string, string>) => get('/me/notices', headers);
    const typesOf = (body: { type: string; proposalId?: string }[], proposalId = noticed) => body.filter((n) => n.proposalId === proposalId).map((n) => n.type);

    it('C14-2.4f: the proposer and the co-proposer are told the review opened and the approval', async () => {
      await publish(proposalSubmitted(noticed, 'socio-economic', [CO_PROPOSER]), reviewOpened(noticed), proposalApproved(noticed));
      const mine = await until(() => notices(as(PROPOSER)), (r) => r.status === 200 && typesOf(r.body).includes('ProposalApproved'), "the proposer's notices");
      expect(typesOf(mine.body)).toEqual(expect.arrayContaining(['ReviewOpened', 'ProposalApproved']));
      const co = await notices(as(CO_PROPOSER)).expect(200);
      expect(typesOf(co.body)).toEqual(expect.arrayContaining(['ReviewOpened', 'ProposalApproved']));
      const approval = mine.body.find((n: { type: string }) => n.type === 'ProposalApproved');
      expect(approval).toMatchObject({ id: expect.any(String), proposalId: noticed, streamId: `review-${noticed}`, position: 2, readAt: `/api/v1/reviews/${noticed}` });
      expect(approval.summary).toContain('thí điểm');
      expect(JSON.stringify(mine.body)).not.toContain('Lý do phê duyệt');
    });

    it('D73-10b: the recommendation names the co-proposer, the implementer and the approving head; the grant lands on each record', async () => {
      await publish(outcomeAssessed(noticed, 'achieved', false));
      const view = await untilRecognition(noticed, (r) => r.status === 'recommended', 'the recommendation');
      expect(view.people).toEqual({ proposerId: PROPOSER, coProposerIds: [CO_PROPOSER], implementerIds: [IMPLEMENTER], approvingHeadId: UNIT_HEAD });
      await post(`/recognitions/${noticed}/grant`, orgOffice, { ...GRANT, awards: { commendation: AWARDS.commendation, bonusPoints: 1 } }).expect(200);
      for (const [userId, as_, unitId] of [[PROPOSER, 'proposer', PROPOSER_UNIT], [CO_PROPOSER, 'co-proposer', PROPOSER_UNIT], [IMPLEMENTER, 'implementer', 'tm-skhcn-cds'], [UNIT_HEAD, 'approving-head', PROPOSER_UNIT]]) {
        const res = await until(() => record(userId), (r) => r.status === 200 && r.body.recognitions?.some((x: { proposalId: string }) => x.proposalId === noticed), `the recognition on ${userId}'s record`);
        expect(res.body.recognitions.find((x: { proposalId: string }) => x.proposalId === noticed)).toMatchObject({ as: as_, unitId, proposerUnitId: PROPOSER_UNIT });
      }
      // The implementer's record is read by the heads of the implementer's own unit.
      await record(IMPLEMENTER, as('u-cds-truong-phong')).expect(200);
    });

    it('D73-10b: a liability decision lands on the record of each protected person', async () => {
      await publish(liabilityDecided(noticed, 'none', [PROPOSER, CO_PROPOSER, IMPLEMENTER, UNIT_HEAD]));
      for (const userId of [PROPOSER, CO_PROPOSER, IMPLEMENTER, UNIT_HEAD]) {
        await until(() => record(userId), (r) => r.body.liabilities?.some((x: { proposalId: string }) => x.proposalId === noticed), `the liability on ${userId}'s record`);
      }
    });

    it('C14-2.4f: GET /me/notices lists every decision about the caller, newest first, and nobody else reads them', async () => {
      const mine = await until(() => notices(as(PROPOSER)), (r) => typesOf(r.body).includes('LiabilityDecided') && typesOf(r.body).includes('RecognitionGranted'), 'the later notices');
      expect(typesOf(mine.body)).toEqual(expect.arrayContaining(['ReviewOpened', 'ProposalApproved', 'OutcomeAssessed', 'RecognitionRecommended', 'RecognitionGranted', 'LiabilityDecided']));
      const at = mine.body.map((n: { at: string }) => n.at);
      expect(at).toEqual([...at].sort().reverse());
      // The assessment is restricted text: the notice says where to read it.
      expect(JSON.stringify(mine.body)).not.toContain('Đạt các chỉ tiêu đã đề ra');
      const implementer = await notices(as(IMPLEMENTER)).expect(200);
      expect(typesOf(implementer.body)).toEqual(expect.arrayContaining(['ProposalApproved', 'LiabilityDecided']));
      expect(typesOf((await notices(as(ANALYST, 'analyst')).expect(200)).body)).toEqual([]);
      await get('/me/notices', {}).expect(401);
    });

    it('C14-2.4f, D73-6: a prohibited-act report is told to its reporter and its subject, by case', async () => {
      const caseId = randomUUID();
      await publish(recorded('InspectionCaseOpened', 'inspection-case', caseId, {
        caseId, kind: 'prohibited-act', subjectIds: [DEPARTMENT_HEAD], unitId: 'tm-so-noi-vu', grounds: ['obstructing-innovator'],
        description: 'Nội dung phản ánh chi tiết', reporterId: PROPOSER, openedAt: '2026-09-10T02:00:00.000Z',
      }, { userId: PROPOSER, role: 'proposer' }));
      for (const userId of [PROPOSER, DEPARTMENT_HEAD]) {
        const res = await until(() => notices(as(userId)), (r) => r.body.some?.((n: { caseId?: string }) => n.caseId === caseId), `the case notice of ${userId}`);
        expect(JSON.stringify(res.body)).not.toContain('Nội dung phản ánh chi tiết');
      }
    });

    it('HN24-shirk, C14-2.5d, D73-6: the report shows the overdue review per person and the prohibited-act report per unit', async () => {
      const stalled = randomUUID();
      await publish(reviewOpened(stalled));
      const report = await until(
        () => get('/reports/periodic?period=H2-2026', as(ANALYST, 'analyst')),
        (r) => r.status === 200 && r.body.overdue.some((p: { steps: { proposalId: string }[] }) => p.steps.some((s) => s.proposalId === stalled)),
        'the overdue review',
      );
      const head = report.body.overdue.find((p: { userId: string }) => p.userId === UNIT_HEAD);
      expect(head.steps).toEqual([{ kind: 'review', proposalId: stalled, unitId: PROPOSER_UNIT, dueBy }]);
      // The approved review is decided: not overdue.
      expect(JSON.stringify(report.body.overdue)).not.toContain(noticed);
      expect(report.body.prohibitedActs).toEqual([{ unitId: 'tm-so-noi-vu', unitName: org.unit('tm-so-noi-vu').name, reports: 1 }]);
      expect(report.body.period).toEqual({ label: 'H2-2026', from: '2026-07-01', to: '2026-12-31' });
    });
  });

  describe('C14-2.5d: periodic reports by period, unit and field; CSV; sent upward', () => {
    it('C14-2.5a, C14-2.5d: filters by unit (and the units it manages) and by field', async () => {
      const unit = await get('/reports/periodic?period=2026&unitId=tm-so-noi-vu', orgOffice).expect(200);
      expect(unit.body.byUnit.map((u: { unitId: string }) => u.unitId)).toEqual(expect.arrayContaining([PROPOSER_UNIT, 'tm-so-noi-vu']));
      expect(unit.body.byUnit.map((u: { unitId: string }) => u.unitId)).not.toContain('tm-skhcn-cds');
      // achieved, referredAfter, referredBefore and noticed were assessed achieved in the proposer's unit.
      expect(unit.body.totals).toMatchObject({ submitted: 2, approvedForPilot: 1, outcomesAchieved: 4 });
      const field = await get('/reports/periodic?period=2026&field=socio-economic', orgOffice).expect(200);
      expect(field.body.byField.map((f: { field: string }) => f.field)).toEqual(['socio-economic']);
      expect(field.body.totals).toMatchObject({ submitted: 1, approvedForPilot: 1, outcomesAchieved: 1, recognitionsGranted: 1, liabilityDecisions: 1 });
      // Same figures by year as by period.
      const byYear = await get('/reports/periodic?year=2026&field=socio-economic', orgOffice).expect(200);
      expect(byYear.body.totals).toEqual(field.body.totals);
    });

    it('C14-2.5d: format=csv downloads text/csv with a header row', async () => {
      const res = await get('/reports/periodic?period=H2-2026&format=csv', as(ANALYST, 'analyst')).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toContain('H2-2026.csv');
      const [header, total] = res.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(header).toContain('Đề xuất đã nộp');
      expect(header).toContain('Phản ánh hành vi bị cấm');
      expect(total.startsWith('H2-2026,2026-07-01,2026-12-31,Tổng')).toBe(true);
    });

    it('C14-2.5d: refuses bad periods, unknown units (400) and units outside the caller jurisdiction (403)', async () => {
      const analyst = as(ANALYST, 'analyst');
      await get('/reports/periodic?period=H3-2026', analyst).expect(400);
      await get('/reports/periodic?period=2026-02-30..2026-03-01', analyst).expect(400);
      await get('/reports/periodic?period=2026&year=2026', analyst).expect(400);
      await get('/reports/periodic?period=2026&unitId=tm-khong-co', analyst).expect(400);
      await get('/reports/periodic?period=2026&field=astrology', analyst).expect(400);
      await get('/reports/periodic?period=2026&format=xlsx', analyst).expect(400);
      await get('/reports/periodic?period=2026&unitId=tm-so-noi-vu', as(OTHER_AUTHORITY, 'authority')).expect(403);
    });

    it('C14-2.5d: a unit head sends the report up to the superior party committee and the organisation office', async () => {
      const body = { period: 'H2-2026', unitId: 'tm-so-noi-vu' };
      await post('/reports/periodic/send', as(PROPOSER), body).expect(403);
      await post('/reports/periodic/send', as(OTHER_AUTHORITY, 'unit-head'), body).expect(403);
      await post('/reports/periodic/send', orgOffice, { ...body, period: 'H3-2026' }).expect(400);
      await post('/reports/periodic/send', orgOffice, { ...body, extra: 1 }).expect(400);
      const res = await post('/reports/periodic/send', as(DEPARTMENT_HEAD, 'unit-head'), body).expect(201);
      expect(res.body).toMatchObject({
        unitId: 'tm-so-noi-vu',
        period: { label: 'H2-2026', from: '2026-07-01', to: '2026-12-31' },
        streamId: 'report-tm-so-noi-vu-H2-2026',
        position: 1,
        recipients: { partyCommittee: { unitId: 'tm-tinh-uy', headId: 'u-tu-bi-thu' }, organizationOfficeIds: expect.arrayContaining([ORG_OFFICE, 'u-btc-chuyen-vien']) },
      });
      const [sent] = await hub.kernel('rewards').history('report-tm-so-noi-vu-H2-2026');
      expect(sent).toMatchObject({ type: 'PeriodicReportSent', data: { sentBy: DEPARTMENT_HEAD, sending: 1, figures: { prohibitedActReports: 1 } } });
      // The secretary of the party committee finds it among their notices.
      await until(() => get('/me/notices', as('u-tu-bi-thu')), (r) => r.body.some?.((n: { type: string }) => n.type === 'PeriodicReportSent'), "the party committee's notice");
    });
  });

  // ---- Issue 11: C14-2.4e an abuse referral is an allegation; C14-2.4d a substantiated one bars for good ----

  describe('C14-2.4e, C14-2.4d: a referral suspends recognition until the finding on its inspection case', () => {
    const inspector = { userId: INSPECTOR, role: 'inspector' };
    /** Evaluation opens the case under the referral's id, for the inspection body (C14-2.4e). */
    const caseOpened = (proposalId: string, caseId: string) => recorded('InspectionCaseOpened', 'inspection-case', caseId, {
      caseId, kind: 'abuse-referral', proposalId, subjectIds: [PROPOSER], unitId: PROPOSER_UNIT, grounds: ['self-interest'],
      description: 'Có dấu hiệu lợi dụng chủ trương để trục lợi khi chọn nhà cung cấp.', reporterId: EVALUATOR, openedAt: '2026-09-14T06:30:00.000Z',
    });
    const FOUND_AT = '2026-09-14T09:00:00.000Z';
    const findingRecorded = (proposalId: string, caseId: string, finding: 'dismissed' | 'substantiated') => recorded('InspectionFindingRecorded', 'inspection-case', caseId, {
      caseId, kind: 'abuse-referral', proposalId, subjectIds: [PROPOSER], unitId: PROPOSER_UNIT, finding,
      reasons: [finding === 'dismissed' ? 'Không có căn cứ về việc trục lợi' : 'Có căn cứ về việc trục lợi'], recordedBy: INSPECTOR, recordedAt: FOUND_AT,
    }, inspector);
    /** The evaluation's echo of the finding, on the evaluation stream right after the referral. */
    const findingEchoed = (proposalId: string, caseId: string, finding: 'dismissed' | 'substantiated') => recorded('ReferralFindingRecorded', 'evaluation', proposalId, {
      ...subject(proposalId), referralId: caseId, caseId, finding, foundAt: FOUND_AT, recordedAt: '2026-09-14T09:00:01.000Z',
    }, inspector);
    const referralOnRecord = async (proposalId: string, ok: (entry: any) => boolean, what: string) => {
      const res = await until(() => record(PROPOSER), (r) => r.body.abuseReferrals?.some((x: any) => x.proposalId === proposalId && ok(x)), what);
      return res.body.abuseReferrals.filter((x: { proposalId: string }) => x.proposalId === proposalId);
    };

    const dismissed = randomUUID();
    const substantiated = randomUUID();
    const twice = randomUUID();

    // Wrong before issue 11: the referral barred the recognition for good, whatever the inspector found.
    it('C14-2.4e: a dismissed referral lets a grant through, as if it had not been made', async () => {
      await publish(outcomeAssessed(dismissed, 'achieved', false));
      await untilRecognition(dismissed, (r) => r.status === 'recommended', 'the recommendation');
      const caseId = randomUUID();
      await publish(abuseReferred(dismissed, 'assessed', caseId), caseOpened(dismissed, caseId));
      await untilRecognition(dismissed, (r) => r.barred !== null, 'the suspension');
      expect((await post(`/recognitions/${dismissed}/grant`, orgOffice, GRANT).expect(422)).body.details.clause).toBe('C14-2.4e');

      await publish(findingRecorded(dismissed, caseId, 'dismissed'));
      const view = await untilRecognition(dismissed, (r) => r.barred === null && r.referrals.length === 1, 'the lifted bar');
      expect(view.referrals).toEqual([
        expect.objectContaining({ referralId: caseId, caseId, finding: 'dismissed', foundAt: FOUND_AT, referredAt: '2026-09-14T06:00:00.000Z' }),
      ]);
      // The echo on the evaluation stream is the same finding: taken once.
      await publish(findingEchoed(dismissed, caseId, 'dismissed'));
      await post(`/recognitions/${dismissed}/grant`, orgOffice, GRANT).expect(200);
      await post(`/recognitions/${dismissed}/replication`, orgOffice, REPLICATION).expect(201);
      expect(await historyTypes(dismissed)).toEqual(['RecognitionRecommended', 'RecognitionBarred', 'RecognitionBarLifted', 'RecognitionGranted', 'ReplicationRecommended']);
    });

    it('C14-2.4e: the referral on the cadre record shows its dismissal; the recognition lands beside it', async () => {
      const entries = await referralOnRecord(dismissed, (x) => x.finding === 'dismissed', 'the dismissal on the record');
      expect(entries).toEqual([expect.objectContaining({ finding: 'dismissed', foundAt: FOUND_AT, grounds: ['self-interest'], as: 'proposer' })]);
      await until(() => record(PROPOSER), (r) => r.body.recognitions.some((x: { proposalId: string }) => x.proposalId === dismissed), 'the recognition on the record');
      const history = (await get(`/cadres/${PROPOSER}/record/history`, as(PROPOSER)).expect(200)).body as RecordedEvent[];
      expect(history.filter((e) => (e.data as { proposalId: string }).proposalId === dismissed).map((e) => e.type)).toEqual([
        'AbuseReferralRecorded', 'AbuseReferralFindingRecorded', 'RecognitionRecorded',
      ]);
    });

    it("C14-2.4e, C14-2.4f: the cadre's notices tell of the suspension and of its end", async () => {
      const res = await until(
        () => get('/me/notices', as(PROPOSER)),
        (r) => r.body.some?.((n: { type: string; proposalId?: string }) => n.type === 'RecognitionBarLifted' && n.proposalId === dismissed),
        'the lifted-bar notice',
      );
      const types = res.body.filter((n: { proposalId?: string }) => n.proposalId === dismissed).map((n: { type: string }) => n.type);
      expect(types).toEqual(expect.arrayContaining(['RecognitionBarred', 'RecognitionBarLifted', 'RecognitionGranted']));
      const lift = res.body.find((n: { type: string; proposalId?: string }) => n.type === 'RecognitionBarLifted' && n.proposalId === dismissed);
      expect(lift.summary).toContain('được tiếp tục');
    });

    it('C14-2.4d: a substantiated referral bars the recognition for good, and the record shows the finding', async () => {
      await publish(outcomeAssessed(substantiated, 'achieved', false));
      await untilRecognition(substantiated, (r) => r.status === 'recommended', 'the recommendation');
      const caseId = randomUUID();
      await publish(abuseReferred(substantiated, 'assessed', caseId), caseOpened(substantiated, caseId), findingRecorded(substantiated, caseId, 'substantiated'));
      const view = await untilRecognition(substantiated, (r) => r.barred?.final === true, 'the confirmed bar');
      expect(view.referrals).toEqual([expect.objectContaining({ caseId, finding: 'substantiated', foundAt: FOUND_AT })]);
      expect((await post(`/recognitions/${substantiated}/grant`, orgOffice, GRANT).expect(422)).body.details.clause).toBe('C14-2.4d');
      expect((await post(`/recognitions/${substantiated}/replication`, orgOffice, REPLICATION).expect(422)).body.details.clause).toBe('C14-2.4d');
      expect(await historyTypes(substantiated)).toEqual(['RecognitionRecommended', 'RecognitionBarred', 'RecognitionBarConfirmed']);
      const entries = await referralOnRecord(substantiated, (x) => x.finding === 'substantiated', 'the substantiated finding on the record');
      expect(entries).toEqual([expect.objectContaining({ referralId: caseId, caseId, finding: 'substantiated', foundAt: FOUND_AT })]);
    });

    it('C14-2.4e: a second open referral keeps the bar until its own finding', async () => {
      await publish(outcomeAssessed(twice, 'achieved', false));
      await untilRecognition(twice, (r) => r.status === 'recommended', 'the recommendation');
      const [first, second] = [randomUUID(), randomUUID()];
      await publish(abuseReferred(twice, 'assessed', first), abuseReferred(twice, 'assessed', second));
      await untilRecognition(twice, (r) => r.referrals.length === 2, 'both bars');
      await publish(findingRecorded(twice, first, 'dismissed'));
      const still = await untilRecognition(twice, (r) => r.referrals.some((x: { finding: string | null }) => x.finding === 'dismissed'), 'the first dismissal');
      expect(still.barred).toMatchObject({ final: false, caseIds: [second] });
      expect((await post(`/recognitions/${twice}/grant`, orgOffice, GRANT).expect(422)).body.details.clause).toBe('C14-2.4e');
      // The second finding comes by the evaluation's echo alone: it lifts the bar all the same.
      await publish(findingEchoed(twice, second, 'dismissed'));
      await untilRecognition(twice, (r) => r.barred === null, 'the second dismissal');
      await post(`/recognitions/${twice}/grant`, orgOffice, GRANT).expect(200);
      expect(await historyTypes(twice)).toEqual([
        'RecognitionRecommended', 'RecognitionBarred', 'RecognitionBarred', 'RecognitionBarLifted', 'RecognitionBarLifted', 'RecognitionGranted',
      ]);
      const entries = await referralOnRecord(twice, (x) => x.caseId === second && x.finding === 'dismissed', 'both findings on the record');
      expect(entries.map((x: { caseId: string; finding: string }) => [x.caseId, x.finding])).toEqual([[first, 'dismissed'], [second, 'dismissed']]);
    });
  });
});
