import { randomUUID } from 'crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { contractRegistry } from '@dotpha/contracts';
import { InProcessBroker, type InProcessEventBus } from '@dotpha/event-bus-in-process';
import { GENESIS_HASH, type RecordedEvent, hashEvent } from '@dotpha/kernel';
import { localDate } from '@dotpha/monitoring-domain';
import type { ProposalEvent } from '@dotpha/proposals-domain';
import { LocalIssuer, type RuntimeConfig, type ServiceHub, type ServiceKernel, createServiceApp } from '@dotpha/service-runtime';
import { type OneProcessService, startOneProcessService } from '@dotpha/service-testkit';
import { eventually, testTokens } from '@dotpha/testkit';
import { MonitoringModule } from './monitoring.module';

/** The services trust this issuer only; tokens are minted once for every user of the sample province. */
const ISSUER = new LocalIssuer();
const TOKENS = testTokens(ISSUER);

// People of the sample province (libs/org/data/sample-province.json).
const PROPOSER = 'u-cds-chuyen-vien'; // tm-skhcn-cds, under tm-so-khcn
const COLLEAGUE = 'u-cds-pho-phong'; // same unit, not the proposer
const UNIT_HEAD = 'u-cds-truong-phong';
const SUPERVISOR = 'u-skhcn-thanh-tra'; // the only holder of the supervisor role
const AUTHORITY = 'u-skhcn-giam-doc'; // tm-so-khcn manages tm-skhcn-cds
const WARD_PROPOSER = 'u-dt-kt-chuyen-vien'; // tm-dt-kinh-te, under tm-phuong-dong-thanh
const WARD_SUPERVISOR = 'u-dt-pct-1';
const WARD_AUTHORITY = 'u-dt-chu-tich'; // outside tm-so-khcn's line
const PROVINCE = 'u-ubnd-chu-tich'; // tm-ubnd manages both lines
const ANALYST = 'u-vp-phan-tich';
/** The role each acts in unless a test says otherwise (x-role; a user's first role is 'proposer'). */
const ACTING: Record<string, string> = {
  [SUPERVISOR]: 'supervisor', [AUTHORITY]: 'authority', [UNIT_HEAD]: 'unit-head', [WARD_AUTHORITY]: 'authority',
  [PROVINCE]: 'authority', [ANALYST]: 'analyst',
};

const day = (offset: number): string => {
  const date = new Date(`${localDate(new Date())}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
};
const TODAY = day(0);

const PILOT = randomUUID();
const IMPLEMENTATION = randomUUID();
const OPEN_ENDED = randomUUID();
const SELF_SUPERVISED = randomUUID();

type Outcome = ProposalEvent<'ProposalReviewOutcomeRecorded'>['data'];
type Approval = NonNullable<Outcome['approval']>;

interface ApprovalOverrides {
  readonly proposerId?: string;
  readonly proposerUnitId?: string;
  readonly decision?: Approval['decision'];
  readonly headId?: string;
  readonly plan?: Partial<Approval['plan']>;
  readonly coProposerIds?: string[];
}

/** The approval as the proposals context records it on the proposal stream (SAGA-withdraw). */
function approval(proposalId: string, o: ApprovalOverrides = {}): Outcome {
  const decision = o.decision ?? 'pilot';
  const headId = o.headId ?? AUTHORITY;
  const plan: Approval['plan'] = {
    scope: 'Số hóa hồ sơ một cửa tại Sở Khoa học và Công nghệ',
    startDate: day(-10),
    endDate: day(170),
    kpis: [
      { id: 'k-online', name: 'Tỷ lệ hồ sơ trực tuyến', unit: '%', target: 80, direction: 'at-least' },
      { id: 'k-days', name: 'Thời gian xử lý', unit: 'ngày', target: 3, direction: 'at-most' },
    ],
    milestones: [
      { id: 'm-software', name: 'Đưa phần mềm vào vận hành', dueDate: day(20) },
      { id: 'm-midterm', name: 'Sơ kết giữa kỳ', dueDate: day(90) },
    ],
    resources: [{ kind: 'funding', description: 'Kinh phí nâng cấp phần mềm', amount: 500_000_000 }],
    supervisorId: SUPERVISOR,
    implementerIds: [UNIT_HEAD],
    ...o.plan,
  };
  const proposerId = o.proposerId ?? PROPOSER;
  return {
    proposalId,
    outcome: `approved-${decision}`,
    round: 1,
    at: new Date().toISOString(),
    approval: {
      decision,
      plan,
      decidedBy: { unitId: 'tm-so-khcn', reviewerId: headId, headId, collective: true, override: false, collectiveMemberIds: [headId] },
      legalBasis: 'Kết luận 14-KL/TW ngày 22/9/2021 của Bộ Chính trị',
      proposerUnitId: o.proposerUnitId ?? 'tm-skhcn-cds',
      people: { proposerId, coProposerIds: o.coProposerIds ?? [], implementerIds: plan.implementerIds, approvingHeadId: headId },
    },
  };
}

const wardImplementation = approval(IMPLEMENTATION, {
  proposerId: WARD_PROPOSER,
  proposerUnitId: 'tm-dt-kinh-te',
  decision: 'implementation',
  headId: WARD_AUTHORITY,
  plan: {
    scope: 'Tiếp nhận phản ánh đô thị qua ứng dụng',
    startDate: day(-30),
    endDate: day(60),
    kpis: [{ id: 'k-complaints', name: 'Phản ánh tồn đọng', unit: 'vụ', target: 5, direction: 'at-most' }],
    milestones: [{ id: 'm-rollout', name: 'Triển khai toàn phường', dueDate: day(-1) }],
    resources: [],
    supervisorId: WARD_SUPERVISOR,
    implementerIds: [],
  },
});

describe('monitoring service (one process, embedded store, in-process bus)', () => {
  let app: INestApplication;
  let hub: ServiceHub;
  let kernel: ServiceKernel;
  let service: OneProcessService;
  let upstream: InProcessEventBus;
  let config: RuntimeConfig;
  const register = (c: RuntimeConfig, h: ServiceHub) => MonitoringModule.register(c, h);
  const registry = contractRegistry();
  const approvals = new Map<string, RecordedEvent>();

  beforeAll(async () => {
    service = await startOneProcessService({ name: 'monitoring', register, issuer: ISSUER });
    ({ app, hub, upstream, config } = service);
    kernel = hub.kernel('monitoring');
  });

  afterAll(async () => {
    // The app restarted below is this spec's own; the one started first the service closes.
    if (app !== service?.app) await app?.close();
    await service?.stop();
  });

  /** What the proposals service would publish: its record of the approval, checked against the published schema. */
  async function publishApproval(data: Outcome, again?: RecordedEvent): Promise<RecordedEvent> {
    const event = again ?? sealed('ProposalReviewOutcomeRecorded', `proposal-${data.proposalId}`, data, data.approval?.decidedBy.headId ?? AUTHORITY);
    registry.validateAppend([event]);
    await upstream.publish([event]);
    approvals.set(data.proposalId, event);
    return event;
  }

  function sealed(type: string, streamId: string, data: object, actor: string, version = registry.definition(type).version): RecordedEvent {
    const at = new Date().toISOString();
    const unsealed = {
      eventId: randomUUID(), type, version, streamId, streamType: streamId.split('-')[0],
      streamPosition: 1, occurredAt: at, recordedAt: at, instance: 'tm', actor: { userId: actor, role: 'authority' },
      correlationId: randomUUID(), causationId: null, classification: 'public' as const, data, prevHash: GENESIS_HASH,
    };
    return { ...unsealed, hash: hashEvent(unsealed) };
  }

  const server = () => app.getHttpServer();
  const as = (userId: string, role = ACTING[userId]): Record<string, string> => ({ authorization: `Bearer ${TOKENS[userId]}`, ...(role ? { 'x-role': role } : {}) });
  const command = (proposalId: string, action: string, userId: string, body?: unknown, role?: string) =>
    request(server()).post(`/api/v1/pilots/${proposalId}/${action}`).set(as(userId, role)).send(body as object);
  const read = (path: string, userId: string, role?: string) => request(server()).get(`/api/v1/pilots${path}`).set(as(userId, role));
  const events = async (proposalId: string) => kernel.history(`pilot-${proposalId}`);
  const types = async (proposalId: string) => (await events(proposalId)).map((e) => e.type);
  const lastEvent = async (proposalId: string) => (await events(proposalId)).at(-1)!;

  /** `eventually` polls synchronously; an HTTP answer arrives later, so the latest one is kept for it. */
  async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
    let ok = false;
    let asking = false;
    await eventually(() => {
      if (!asking) {
        asking = true;
        probe().then((answer) => (ok = answer), () => undefined).finally(() => (asking = false));
      }
      return ok;
    }, () => what, 15_000);
  }
  const pilotShows = (proposalId: string, userId: string, holds: (body: any) => boolean) =>
    until(async () => {
      const res = await read(`/${proposalId}`, userId);
      return res.status === 200 && holds(res.body);
    }, `pilot ${proposalId} as seen by ${userId}`);

  /** A refused command leaves the stream exactly as it was. */
  async function refused(proposalId: string, attempt: () => Promise<request.Response>, status: number, code?: string) {
    const before = await events(proposalId);
    const res = await attempt();
    expect({ status: res.status, body: res.body }).toEqual(expect.objectContaining({ status }));
    if (code) expect(res.body.code).toBe(code);
    expect(await events(proposalId)).toEqual(before);
    return res;
  }

  describe('hand-off from approvals', () => {
    it('SAGA-withdraw: plans a pilot and an implementation from the approval the proposal recorded, caused by it', async () => {
      const pilotApproval = await publishApproval(approval(PILOT));
      await publishApproval(wardImplementation);
      await pilotShows(PILOT, PROPOSER, (p) => p.status === 'planned');
      await pilotShows(IMPLEMENTATION, WARD_PROPOSER, (p) => p.status === 'planned');

      const pilot = (await read(`/${PILOT}`, PROPOSER).expect(200)).body;
      expect(pilot).toMatchObject({
        proposalId: PILOT,
        kind: 'pilot',
        status: 'planned',
        proposerId: PROPOSER,
        proposerUnitId: 'tm-skhcn-cds',
        supervisorId: SUPERVISOR,
        kpiTolerance: 0.1,
        offTarget: false,
        openFlags: [],
        lastReport: null,
        plan: { scope: approval(PILOT).approval!.plan.scope, startDate: day(-10), endDate: day(170), supervisorId: SUPERVISOR },
        people: { proposerId: PROPOSER, coProposerIds: [], implementerIds: [UNIT_HEAD], approvingHeadId: AUTHORITY },
      });
      expect(pilot.kpis.map((k: any) => [k.id, k.status, k.latest])).toEqual([['k-online', 'no-data', null], ['k-days', 'no-data', null]]);
      expect(pilot.milestones.map((m: any) => [m.id, m.metOn, m.overdue])).toEqual([['m-software', null, false], ['m-midterm', null, false]]);

      const implementation = (await read(`/${IMPLEMENTATION}`, WARD_SUPERVISOR).expect(200)).body;
      expect(implementation).toMatchObject({ kind: 'implementation', supervisorId: WARD_SUPERVISOR, proposerUnitId: 'tm-dt-kinh-te' });
      expect(implementation.milestones).toEqual([expect.objectContaining({ id: 'm-rollout', overdue: true, metOn: null })]);

      const history = (await read(`/${PILOT}/history`, SUPERVISOR).expect(200)).body;
      expect(history).toEqual([
        expect.objectContaining({
          type: 'PilotPlanned',
          streamId: `pilot-${PILOT}`,
          streamPosition: 1,
          causationId: pilotApproval.eventId,
          correlationId: pilotApproval.correlationId,
          actor: { userId: AUTHORITY, role: 'authority' },
        }),
      ]);
    });

    it('plans nothing on redelivery, and parks approvals it cannot follow instead of inventing a plan', async () => {
      await publishApproval(approval(PILOT), approvals.get(PILOT));
      await publishApproval(approval(OPEN_ENDED, { decision: 'implementation', plan: { endDate: null, supervisorId: null, kpis: [] } }));
      // C14-2.4a: a proposer never supervises their own pilot; approvals is not trusted to have checked.
      await publishApproval(approval(SELF_SUPERVISED, { plan: { supervisorId: PROPOSER } }));

      const parked = async () => (await kernel.deadLetters()).find((g) => g.group === 'tm.monitoring.reactors:approved-plans')?.letters ?? [];
      await until(async () => (await parked()).length === 2, 'two parked approvals');
      const letters = await parked();
      expect(letters.map((l) => [(l.event.data as Outcome).proposalId, l.error])).toEqual([
        [OPEN_ENDED, expect.stringMatching(/leaves its end date and supervisor open/)],
        [SELF_SUPERVISED, expect.stringMatching(/^C14-2\.4a: /)],
      ]);
      // The redelivered approval came before those on the same topic, so it has been handled.
      expect(await types(PILOT)).toEqual(['PilotPlanned']);
      expect(await types(OPEN_ENDED)).toEqual([]);
      expect(await types(SELF_SUPERVISED)).toEqual([]);
      await read(`/${OPEN_ENDED}`, PROVINCE).expect(404);
    });
      it('SAGA-withdraw: a withdrawn proposal never gets a pilot, whatever approvals published', async () => {
      const WITHDRAWN = randomUUID();
      const OLD = randomUUID();
      const REJECTED = randomUUID();
      const MARKER = randomUUID();
      const at = new Date().toISOString();
      // Approvals decided after the proposer withdrew; the proposal stream recorded no approval.
      // Wrong before this change: monitoring planned a pilot from this event alone.
      const { approval: recorded } = approval(WITHDRAWN);
      const approvedByApprovals = sealed('ProposalApproved', `review-${WITHDRAWN}`, {
        proposalId: WITHDRAWN, round: 1, proposerId: PROPOSER, proposerUnitId: 'tm-skhcn-cds', decision: 'pilot', reasons: 'Khả thi',
        decidedBy: recorded!.decidedBy, legalBasis: recorded!.legalBasis,
        attestation: { notContraryToConstitution: true, notContraryToPartyCharter: true, notContraryToLaw: true },
        plan: recorded!.plan, overdue: false, decidedAt: at,
      }, AUTHORITY);
      const withdrawn = sealed('ProposalWithdrawn', `proposal-${WITHDRAWN}`, {
        proposalId: WITHDRAWN, proposerId: PROPOSER, proposerUnitId: 'tm-skhcn-cds', previousStatus: 'under-review', withdrawnAt: at,
      }, PROPOSER);
      // An approval recorded before version 2 (its pilot was planned from ProposalApproved then), and a rejection.
      const v1 = sealed('ProposalReviewOutcomeRecorded', `proposal-${OLD}`, { proposalId: OLD, outcome: 'approved-pilot', round: 1, at }, AUTHORITY, 1);
      const rejected = sealed('ProposalReviewOutcomeRecorded', `proposal-${REJECTED}`, { proposalId: REJECTED, outcome: 'rejected', round: 1, at }, AUTHORITY);
      registry.validateAppend([approvedByApprovals, withdrawn, rejected]);
      await upstream.publish([approvedByApprovals, withdrawn, v1, rejected]);
      // A marker on the same topic that is parked: once it is, everything before it has been handled.
      await publishApproval(approval(MARKER, { decision: 'implementation', plan: { endDate: null } }));
      const parked = async () => (await kernel.deadLetters()).find((g) => g.group === 'tm.monitoring.reactors:approved-plans')?.letters ?? [];
      await until(async () => (await parked()).some((l) => (l.event.data as Outcome).proposalId === MARKER), 'the parked marker');
      for (const id of [WITHDRAWN, OLD, REJECTED, MARKER]) expect(await types(id)).toEqual([]);
      expect((await parked()).map((l) => (l.event.data as Outcome).proposalId)).toEqual([OPEN_ENDED, SELF_SUPERVISED, MARKER]);
      await read(`/${WITHDRAWN}`, PROVINCE).expect(404);
    });
  });

  describe('starting', () => {
    it('refuses anyone but the proposer or the named supervisor (404 to whoever may not read the pilot, as for an unknown one), and unknown pilots', async () => {
      await refused(PILOT, () => command(PILOT, 'start', ANALYST), 403, 'FORBIDDEN');
      await refused(PILOT, () => command(PILOT, 'start', COLLEAGUE), 403, 'FORBIDDEN');
      await refused(PILOT, () => command(PILOT, 'start', AUTHORITY), 403, 'FORBIDDEN');
      await refused(IMPLEMENTATION, () => command(IMPLEMENTATION, 'start', SUPERVISOR), 404, 'NOT_FOUND');
      await command(randomUUID(), 'start', PROPOSER).expect(404);
      await command('not-a-uuid', 'start', PROPOSER).expect(400);
      await request(server()).post(`/api/v1/pilots/${PILOT}/start`).expect(401);
    });

    it('refuses progress before the start (409)', async () => {
      await refused(PILOT, () => command(PILOT, 'progress', PROPOSER, { narrative: 'Chưa bắt đầu' }), 409, 'ILLEGAL_TRANSITION');
    });

    it('starts once, by the proposer', async () => {
      const res = await command(PILOT, 'start', PROPOSER).expect(200);
      expect(res.body).toEqual({ proposalId: PILOT, streamId: `pilot-${PILOT}`, position: 2 });
      expect(await lastEvent(PILOT)).toMatchObject({ type: 'PilotStarted', data: { proposalId: PILOT, startedBy: PROPOSER } });
      await refused(PILOT, () => command(PILOT, 'start', SUPERVISOR), 409, 'ILLEGAL_TRANSITION');
    });
  });

  describe('outside the caller’s reach', () => {
    it('reads like an unknown pilot, and refuses commands like an unknown pilot (404, the same message)', async () => {
      await read(`/${PILOT}`, WARD_AUTHORITY).expect(404);
      await read(`/${PILOT}/history`, WARD_AUTHORITY).expect(404);
      await read(`/${IMPLEMENTATION}`, SUPERVISOR).expect(404);
      await read(`/${randomUUID()}`, PROVINCE).expect(404);
      await read('/not-a-uuid', PROVINCE).expect(400);
      const outside = await refused(PILOT, () => command(PILOT, 'suspend', WARD_AUTHORITY, { reasons: ['Ngoài thẩm quyền'] }), 404, 'NOT_FOUND');
      const unknown = randomUUID();
      const missing = await command(unknown, 'suspend', WARD_AUTHORITY, { reasons: ['Ngoài thẩm quyền'] }).expect(404);
      expect([outside.body.code, outside.body.message.replace(PILOT, 'ID')]).toEqual([missing.body.code, missing.body.message.replace(unknown, 'ID')]);
      await refused(PILOT, () => command(PILOT, 'support', WARD_AUTHORITY, { kind: 'guidance', description: 'Hướng dẫn' }), 404);
    });
  });

  describe('progress reports', () => {
    const report = { kpiValues: [{ kpiId: 'k-online', value: 60 }], narrative: 'Tháng đầu vận hành' };

    it('refuses malformed reports (400) without writing', async () => {
      const bad: unknown[] = [
        { ...report, extra: true },
        { ...report, narrative: { $gt: '' } },
        { kpiValues: report.kpiValues },
        { ...report, kpiValues: [{ kpiId: 'k-online', value: 60, note: 'x' }] },
        { ...report, kpiValues: [{ kpiId: 'k-online', value: '60' }] },
        { ...report, kpiValues: [{ kpiId: { $ne: null }, value: 60 }] },
        { ...report, milestonesMet: [{ milestoneId: 'm-software', metOn: '30/04/2026' }] },
        { ...report, narrative: 'x'.repeat(20_001) },
      ];
      for (const body of bad) await refused(PILOT, () => command(PILOT, 'progress', PROPOSER, body), 400);
      // Well-formed but not in the plan, or met in the future: the decider refuses.
      await refused(PILOT, () => command(PILOT, 'progress', PROPOSER, { ...report, kpiValues: [{ kpiId: 'k-unknown', value: 1 }] }), 400, 'INVALID_INPUT');
      await refused(PILOT, () => command(PILOT, 'progress', PROPOSER, { ...report, milestonesMet: [{ milestoneId: 'm-software', metOn: day(5) }] }), 400, 'INVALID_INPUT');
    });

    it('C14-2.4a: refuses a percentage over 100 or a negative number of days (400), writing nothing', async () => {
      for (const kpiValues of [[{ kpiId: 'k-online', value: 140 }], [{ kpiId: 'k-days', value: -3 }]]) {
        await refused(PILOT, () => command(PILOT, 'progress', PROPOSER, { ...report, kpiValues }), 400, 'INVALID_INPUT');
      }
    });

    it('takes reports from the proposer only', async () => {
      await refused(PILOT, () => command(PILOT, 'progress', SUPERVISOR, report), 403, 'FORBIDDEN');
      await refused(PILOT, () => command(PILOT, 'progress', COLLEAGUE, report), 403, 'FORBIDDEN');
      await refused(PILOT, () => command(PILOT, 'progress', ANALYST, report), 403, 'FORBIDDEN');
    });

    it('C14-2.4a: a KPI off target raises IssueFlagged in the same decision and lists the pilot as off target', async () => {
      const res = await command(PILOT, 'progress', PROPOSER, {
        kpiValues: [{ kpiId: 'k-online', value: 60 }, { kpiId: 'k-days', value: 3 }],
        milestonesMet: [{ milestoneId: 'm-software', metOn: TODAY }],
        narrative: 'Tháng đầu vận hành: tỷ lệ trực tuyến còn thấp',
      }).expect(201);
      const { reportId } = res.body;
      expect(res.body).toEqual({ proposalId: PILOT, reportId: expect.any(String), streamId: `pilot-${PILOT}`, position: 4 });

      const [reported, flagged] = (await events(PILOT)).slice(-2);
      expect(reported).toMatchObject({ type: 'ProgressReported', data: { reportId, reportedBy: PROPOSER } });
      expect(flagged).toMatchObject({
        type: 'IssueFlagged',
        data: {
          flagId: `${reportId}/kpi:k-online`,
          category: 'risk',
          source: 'automatic',
          // Tolerance is the instance policy's, not the caller's.
          detection: { kind: 'kpi-off-target', kpiId: 'k-online', value: 60, target: 80, direction: 'at-least', tolerance: 0.1 },
        },
      });

      await pilotShows(PILOT, SUPERVISOR, (p) => p.lastReport?.reportId === reportId && p.openFlags.length === 1);
      const pilot = (await read(`/${PILOT}`, SUPERVISOR).expect(200)).body;
      expect(pilot.status).toBe('running');
      expect(pilot.offTarget).toBe(true);
      expect(pilot.kpis.map((k: any) => [k.id, k.status, k.latest])).toEqual([['k-online', 'off-target', 60], ['k-days', 'on-target', 3]]);
      expect(pilot.milestones[0]).toMatchObject({ id: 'm-software', metOn: TODAY, overdue: false });
      expect(pilot.openFlags).toEqual([
        expect.objectContaining({ flagId: `${reportId}/kpi:k-online`, source: 'automatic', detection: expect.objectContaining({ kpiId: 'k-online' }) }),
      ]);
      expect(pilot.lastReport).toMatchObject({ reportedBy: PROPOSER, narrative: 'Tháng đầu vận hành: tỷ lệ trực tuyến còn thấp' });
    });

    it('lists pilots by reach, with the off-target filter', async () => {
      const ids = async (path: string, userId: string) => (await read(path, userId).expect(200)).body.map((p: any) => p.proposalId).sort();
      expect(await ids('', PROVINCE)).toEqual([PILOT, IMPLEMENTATION].sort());
      expect(await ids('?offTarget=true', PROVINCE)).toEqual([PILOT]);
      expect(await ids('?offTarget=false', PROVINCE)).toEqual([IMPLEMENTATION]);
      expect(await ids('?kind=implementation', PROVINCE)).toEqual([IMPLEMENTATION]);
      expect(await ids('?status=running&offTarget=true', PROVINCE)).toEqual([PILOT]);
      expect(await ids('', SUPERVISOR)).toEqual([PILOT]);
      expect(await ids('', WARD_AUTHORITY)).toEqual([IMPLEMENTATION]);
      expect(await ids('', WARD_SUPERVISOR)).toEqual([IMPLEMENTATION]);
      await read('?offTarget=yes', PROVINCE).expect(400);
      await read('?owner=me', PROVINCE).expect(400);
    });
  });

  describe('supervision', () => {
    let autoFlag: string;
    let supervisorFlag: string;

    beforeAll(async () => {
      autoFlag = ((await events(PILOT)).find((e) => e.type === 'IssueFlagged')!.data as { flagId: string }).flagId;
    });

    it('takes checks and flags from the named supervisor only', async () => {
      const check = { findings: 'Kiểm tra thực tế tại bộ phận một cửa' };
      await refused(PILOT, () => command(PILOT, 'checks', AUTHORITY, check), 403);
      await refused(PILOT, () => command(PILOT, 'checks', PROPOSER, check), 403);
      await refused(PILOT, () => command(PILOT, 'flags', UNIT_HEAD, { category: 'risk', description: 'x' }), 403);
      await refused(IMPLEMENTATION, () => command(IMPLEMENTATION, 'flags', SUPERVISOR, { category: 'risk', description: 'x' }), 404);
    });

    it('refuses malformed checks and flags (400)', async () => {
      await refused(PILOT, () => command(PILOT, 'flags', SUPERVISOR, { category: 'rumour', description: 'Tin đồn' }), 400);
      await refused(PILOT, () => command(PILOT, 'flags', SUPERVISOR, { category: 'risk', description: { $gt: '' } }), 400);
      await refused(PILOT, () => command(PILOT, 'flags', SUPERVISOR, { category: 'risk' }), 400);
      await refused(PILOT, () => command(PILOT, 'checks', SUPERVISOR, { findings: 'Ổn', resolvesFlagIds: 'all' }), 400);
      await refused(PILOT, () => command(PILOT, 'checks', SUPERVISOR, { findings: 'Ổn', resolvesFlagIds: ['no-such-flag'] }), 400, 'INVALID_INPUT');
    });

    it('records a check that resolves the automatic flag, and a flag of its own', async () => {
      const check = await command(PILOT, 'checks', SUPERVISOR, { findings: 'Đã hướng dẫn bổ sung kênh trực tuyến', resolvesFlagIds: [autoFlag] }).expect(201);
      expect(check.body).toMatchObject({ proposalId: PILOT, checkId: expect.any(String), position: 5 });
      expect(await lastEvent(PILOT)).toMatchObject({ type: 'SupervisionCheckRecorded', data: { checkedBy: SUPERVISOR, resolvedFlagIds: [autoFlag] } });

      const flag = await command(PILOT, 'flags', SUPERVISOR, { category: 'violation', description: 'Thu phí ngoài quy định' }).expect(201);
      supervisorFlag = flag.body.flagId;
      expect(await lastEvent(PILOT)).toMatchObject({ type: 'IssueFlagged', data: { flagId: supervisorFlag, source: 'supervisor', category: 'violation' } });

      await pilotShows(PILOT, PROPOSER, (p) => p.openFlags.length === 1 && p.openFlags[0].flagId === supervisorFlag);
      expect((await read(`/${PILOT}`, PROPOSER)).body.openFlags[0]).toMatchObject({ description: 'Thu phí ngoài quy định', detection: null });
    });

    it('issue 12: what a check found and a flag says are in clear for the people concerned and the supervisor, redacted for a colleague and a leader who takes no part', async () => {
      // The proposer, the implementer and the approving head (D73-10b), and the supervisor the plan names.
      for (const userId of [PROPOSER, UNIT_HEAD, AUTHORITY, SUPERVISOR]) {
        expect([userId, (await read(`/${PILOT}`, userId).expect(200)).body.openFlags[0].description]).toEqual([userId, 'Thu phí ngoài quy định']);
        const trail = (await read(`/${PILOT}/history`, userId).expect(200)).body as RecordedEvent[];
        expect(trail.find((e) => e.type === 'SupervisionCheckRecorded')!.data).toMatchObject({ findings: 'Đã hướng dẫn bổ sung kênh trực tuyến' });
      }
      for (const [userId, role] of [[COLLEAGUE, undefined], [PROVINCE, undefined]] as const) {
        const view = (await read(`/${PILOT}`, userId, role).expect(200)).body;
        expect([userId, view.openFlags[0].flagId, 'description' in view.openFlags[0]]).toEqual([userId, supervisorFlag, false]);
        expect(JSON.stringify((await read('', userId, role).expect(200)).body)).not.toContain('Thu phí ngoài quy định');
        const trail = (await read(`/${PILOT}/history`, userId, role).expect(200)).body as (RecordedEvent & { redacted?: string[] })[];
        const check = trail.find((e) => e.type === 'SupervisionCheckRecorded')!;
        expect([userId, check.redacted, 'findings' in (check.data as object)]).toEqual([userId, ['findings'], false]);
        const flagged = trail.find((e) => e.type === 'IssueFlagged' && (e.data as { flagId: string }).flagId === supervisorFlag)!;
        expect([userId, flagged.redacted, 'description' in (flagged.data as object)]).toEqual([userId, ['description'], false]);
      }
    });

    it('takes support from leaders over the unit, and adjustments from the authority', async () => {
      const support = { kind: 'guidance', description: 'Chấn chỉnh việc thu phí', resolvesFlagIds: [supervisorFlag] };
      await refused(PILOT, () => command(PILOT, 'support', ANALYST, support), 403);
      await refused(PILOT, () => command(PILOT, 'support', PROPOSER, support), 403);
      await refused(PILOT, () => command(PILOT, 'support', UNIT_HEAD, { ...support, amount: -1 }), 400);
      const given = await command(PILOT, 'support', UNIT_HEAD, support).expect(201);
      expect(given.body.supportId).toEqual(expect.any(String));
      expect(await lastEvent(PILOT)).toMatchObject({ type: 'SupportProvided', actor: { userId: UNIT_HEAD, role: 'unit-head' }, data: { resolvedFlagIds: [supervisorFlag] } });

      const adjust = { reasons: ['Mục tiêu ban đầu chưa sát thực tế'], changes: { kpiTargets: [{ kpiId: 'k-online', target: 65 }] } };
      await refused(PILOT, () => command(PILOT, 'adjust', PROPOSER, adjust), 403);
      await refused(PILOT, () => command(PILOT, 'adjust', UNIT_HEAD, adjust), 403);
      await refused(PILOT, () => command(PILOT, 'adjust', AUTHORITY, { ...adjust, changes: {} }), 400, 'INVALID_INPUT');
      await refused(PILOT, () => command(PILOT, 'adjust', AUTHORITY, { ...adjust, changes: { ...adjust.changes, scope: 'x' } }), 400);
      await refused(PILOT, () => command(PILOT, 'adjust', AUTHORITY, { ...adjust, changes: { kpiTargets: [{ kpiId: 'k-online', target: 65, x: 1 }] } }), 400);
      await refused(PILOT, () => command(PILOT, 'adjust', AUTHORITY, { reasons: adjust.reasons }), 400);
      await refused(PILOT, () => command(PILOT, 'adjust', AUTHORITY, { ...adjust, changes: { startDate: day(-5) } }), 400, 'INVALID_INPUT');
      const adjusted = await command(PILOT, 'adjust', AUTHORITY, adjust).expect(200);
      expect(adjusted.body.adjustmentId).toEqual(expect.any(String));

      // 60 against 65 trails by under the 10% tolerance: back on target, nothing open.
      await pilotShows(PILOT, PROPOSER, (p) => p.plan.kpis[0].target === 65);
      const pilot = (await read(`/${PILOT}`, PROPOSER)).body;
      expect(pilot).toMatchObject({ offTarget: false, openFlags: [], flagCount: 2 });
      expect(pilot.kpis[0]).toMatchObject({ id: 'k-online', target: 65, latest: 60, status: 'on-target' });
      expect((await read('?offTarget=true', PROVINCE)).body).toEqual([]);
    });

    it('suspends and resumes', async () => {
      await refused(PILOT, () => command(PILOT, 'suspend', PROPOSER, { reasons: ['Tự dừng'] }), 403);
      await refused(PILOT, () => command(PILOT, 'suspend', SUPERVISOR, { reasons: [] }), 400);
      await refused(PILOT, () => command(PILOT, 'suspend', SUPERVISOR, {}), 400);
      await refused(PILOT, () => command(PILOT, 'resume', SUPERVISOR, { reasons: ['Chưa dừng'] }), 409, 'ILLEGAL_TRANSITION');
      await command(PILOT, 'suspend', SUPERVISOR, { reasons: ['Chờ hướng dẫn của Sở Tài chính'] }).expect(200);
      await refused(PILOT, () => command(PILOT, 'progress', PROPOSER, { narrative: 'Trong lúc tạm dừng' }), 409, 'ILLEGAL_TRANSITION');
      await refused(PILOT, () => command(PILOT, 'complete', SUPERVISOR), 409, 'ILLEGAL_TRANSITION');
      await refused(PILOT, () => command(PILOT, 'resume', PROPOSER, { reasons: ['Tự tiếp tục'] }), 403);
      await command(PILOT, 'resume', AUTHORITY, { reasons: ['Đã có hướng dẫn'] }).expect(200);
      await pilotShows(PILOT, PROPOSER, (p) => p.status === 'running');
    });
  });

  describe('ending', () => {
    it('D73-10b: completes the pilot: the named supervisor only, with the results and the people evaluation relies on', async () => {
      await refused(PILOT, () => command(PILOT, 'complete', AUTHORITY), 403);
      await refused(PILOT, () => command(PILOT, 'complete', PROPOSER), 403);
      await command(PILOT, 'complete', SUPERVISOR).expect(200);
      expect(await lastEvent(PILOT)).toMatchObject({
        type: 'PilotCompleted',
        data: {
          proposalId: PILOT,
          proposerId: PROPOSER,
          proposerUnitId: 'tm-skhcn-cds',
          kind: 'pilot',
          kpiTolerance: 0.1,
          kpiResults: [
            { id: 'k-online', target: 65, direction: 'at-least', latest: 60, onTarget: true },
            { id: 'k-days', target: 3, direction: 'at-most', latest: 3, onTarget: true },
          ],
          milestones: [
            { id: 'm-software', dueDate: day(20), metAt: TODAY },
            { id: 'm-midterm', dueDate: day(90), metAt: null },
          ],
          flags: 2,
          openFlags: 0,
          // D73-10b: evaluation and rewards learn from the pilot whom the protection and recognition reach.
          people: { proposerId: PROPOSER, coProposerIds: [], implementerIds: [UNIT_HEAD], approvingHeadId: AUTHORITY },
          legalBasis: 'Kết luận 14-KL/TW ngày 22/9/2021 của Bộ Chính trị',
          completedBy: SUPERVISOR,
        },
      });
      await refused(PILOT, () => command(PILOT, 'complete', SUPERVISOR), 409, 'ILLEGAL_TRANSITION');
      await refused(PILOT, () => command(PILOT, 'terminate', SUPERVISOR, { reasons: ['Đã xong'] }), 409, 'ILLEGAL_TRANSITION');
      await pilotShows(PILOT, PROPOSER, (p) => p.status === 'completed' && p.endedAt !== null);
    });

    it('D73-10b: terminates the implementation: an authority over its unit, with reasons and its people', async () => {
      await command(IMPLEMENTATION, 'start', WARD_PROPOSER).expect(200);
      const terminate = { reasons: ['Ứng dụng không đáp ứng yêu cầu bảo mật'] };
      await refused(IMPLEMENTATION, () => command(IMPLEMENTATION, 'terminate', SUPERVISOR, terminate), 404);
      await refused(IMPLEMENTATION, () => command(IMPLEMENTATION, 'terminate', AUTHORITY, terminate), 404);
      await refused(IMPLEMENTATION, () => command(IMPLEMENTATION, 'terminate', WARD_PROPOSER, terminate), 403);
      await refused(IMPLEMENTATION, () => command(IMPLEMENTATION, 'terminate', WARD_AUTHORITY, { reasons: [''] }), 400);
      await refused(IMPLEMENTATION, () => command(IMPLEMENTATION, 'terminate', WARD_AUTHORITY, { reasons: [{ $gt: '' }] }), 400);

      const res = await command(IMPLEMENTATION, 'terminate', WARD_AUTHORITY, terminate).expect(200);
      expect(res.body).toEqual({ proposalId: IMPLEMENTATION, streamId: `pilot-${IMPLEMENTATION}`, position: 3 });
      expect(await lastEvent(IMPLEMENTATION)).toMatchObject({
        type: 'PilotTerminated',
        data: {
          kind: 'implementation',
          reasons: terminate.reasons,
          terminatedBy: WARD_AUTHORITY,
          kpiResults: [{ id: 'k-complaints', latest: null, onTarget: false }],
          milestones: [{ id: 'm-rollout', metAt: null }],
          people: { proposerId: WARD_PROPOSER, coProposerIds: [], implementerIds: [], approvingHeadId: WARD_AUTHORITY },
        },
      });
      await refused(IMPLEMENTATION, () => command(IMPLEMENTATION, 'resume', WARD_AUTHORITY, { reasons: ['Làm lại'] }), 409);
      await pilotShows(IMPLEMENTATION, WARD_AUTHORITY, (p) => p.status === 'terminated');
      const history = (await read(`/${IMPLEMENTATION}/history`, WARD_AUTHORITY).expect(200)).body;
      expect(history.map((e: any) => e.type)).toEqual(['PilotPlanned', 'PilotStarted', 'PilotTerminated']);
    });

    it('keeps the whole history of the completed pilot in order', async () => {
      expect(await types(PILOT)).toEqual([
        'PilotPlanned', 'PilotStarted', 'ProgressReported', 'IssueFlagged', 'SupervisionCheckRecorded', 'IssueFlagged',
        'SupportProvided', 'PilotAdjusted', 'PilotSuspended', 'PilotResumed', 'PilotCompleted',
      ]);
      expect((await kernel.store.verify(`pilot-${PILOT}`)).ok).toBe(true);
    });
  });

  describe('after a restart', () => {
    it('rebuilds the in-memory read models from the store', async () => {
      await service.closeApp();
      ({ app, hub } = await createServiceApp('monitoring', [register], { ...config, bus: { kind: 'in-process', broker: new InProcessBroker() } }));
      // Listening once: supertest's per-request listeners reset connections under load.
      await app.listen(0, '127.0.0.1');
      kernel = hub.kernel('monitoring');
      const ids = (await read('', PROVINCE).expect(200)).body.map((p: any) => [p.proposalId, p.status]);
      expect(ids.sort()).toEqual([[PILOT, 'completed'], [IMPLEMENTATION, 'terminated']].sort());
      expect((await read(`/${PILOT}`, PROPOSER).expect(200)).body).toMatchObject({ flagCount: 2, offTarget: false, lastReport: { reportedBy: PROPOSER } });
    });
  });
});
