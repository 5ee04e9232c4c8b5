import { type ChildProcess, fork } from 'child_process';
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import { loadOrgChart } from '@dotpha/org';
import { RECOGNITION_STREAM_TYPE, mailPreferenceStreamId, recognitionDecider, recognitionStreamId } from '@dotpha/rewards-domain';
import { LocalIssuer, SAMPLE_ORG_FILE, type ServiceHub, createServiceApp } from '@dotpha/service-runtime';
import { type OneProcessService, startOneProcessService } from '@dotpha/service-testkit';
import { testTokens } from '@dotpha/testkit';
import { MAIL_PREFERENCES, recordEarlierChoices } from './application/notice-mail';
import { RewardsModule } from './rewards.module';

// C14-2.4f by e-mail (issue 14): the notices of /me/notices go out through a real SMTP server
// (the smtp-server package, in a process of its own), and each person may turn them off.
const PROPOSER = 'u-ccvc-chuyen-vien';
const CO_PROPOSER = 'u-ccvc-pho-phong';
const IMPLEMENTER = 'u-stc-chuyen-vien'; // no address in the organisation file: no e-mail
const ADDRESSES: Record<string, string> = { [PROPOSER]: 'giao.ha@snv.tinhmau.gov.vn', [CO_PROPOSER]: 'dat.cao@snv.tinhmau.gov.vn' };

interface Mail { readonly from: string; readonly to: string[]; readonly raw: string }

const ISSUER = new LocalIssuer();
const TOKENS = testTokens(ISSUER);
const raw = JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')) as { users: { id: string; email?: string }[] };
const org = loadOrgChart({ ...raw, users: raw.users.map((u) => (ADDRESSES[u.id] ? { ...u, email: ADDRESSES[u.id] } : u)) });

let sink: ChildProcess;
const mails: Mail[] = [];
let service: OneProcessService;
/** The service's app and hub: the first start's, then the restarted one's on the same data folder. */
let app: INestApplication;
let hub: ServiceHub;
let restarted: INestApplication | undefined;

beforeAll(async () => {
  sink = fork(join(__dirname, 'testing', 'smtp-sink.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    sink.once('error', reject);
    sink.once('exit', (code) => reject(new Error(`the SMTP server exited (${code})`)));
    sink.on('message', (m: { kind: string; port?: number } & Mail) => (m.kind === 'listening' ? resolve(m.port!) : mails.push({ ...m, raw: m.raw.replace(/=\r?\n/g, '') })));
  });
  service = await startOneProcessService({
    name: 'rewards', register: (c, h) => RewardsModule.register(c, h), issuer: ISSUER, org, mail: { url: `smtp://127.0.0.1:${port}`, from: 'dotpha@tinhmau.invalid' },
  });
  ({ app, hub } = service);
});

/** Stops the process's service and starts it again on its embedded store on disk: read models in memory, rebuilt from the log. */
async function restart(): Promise<void> {
  await service.closeApp();
  ({ app, hub } = await createServiceApp('rewards', [(c, h) => RewardsModule.register(c, h)], { ...service.config, bus: { kind: 'in-process', broker: new InProcessBroker() } }));
  restarted = app;
  await app.listen(0, '127.0.0.1');
}

afterAll(async () => {
  await restarted?.close();
  await service?.stop();
  sink?.removeAllListeners('exit');
  sink?.disconnect();
});

const as = (userId: string) => ({ authorization: `Bearer ${TOKENS[userId]}` });
const emailSetting = (userId: string) => request(app.getHttpServer()).get('/api/v1/me/notices/email').set(as(userId));
const setEmail = (userId: string, body: unknown) => request(app.getHttpServer()).put('/api/v1/me/notices/email').set(as(userId)).send(body as object);

/** A recognition recommended for a new proposal (the RecognitionRecommended notice reaches its people). */
async function recommend(): Promise<string> {
  const proposalId = randomUUID();
  const kernel = hub.kernel('rewards');
  const people = { proposerId: PROPOSER, coProposerIds: [CO_PROPOSER], implementerIds: [IMPLEMENTER], approvingHeadId: null };
  await kernel.execute(recognitionDecider, RECOGNITION_STREAM_TYPE, recognitionStreamId(proposalId), {
    type: 'RecommendRecognition',
    data: { proposalId, proposerId: PROPOSER, proposerUnitId: 'tm-snv-ccvc', outcome: 'achieved', notable: false, noSelfInterest: true, people },
    metadata: { actor: { userId: 'u-snv-danh-gia', role: 'evaluator' }, now: new Date(), correlationId: randomUUID(), causationId: null },
  });
  return proposalId;
}

async function mailsOf(proposalId: string, count: number): Promise<Mail[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = mails.filter((m) => m.raw.includes(proposalId));
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('C14-2.4f: notices by e-mail through SMTP, each person able to turn them off', () => {
  it('tells each person whether their notices are e-mailed and where; only a true or false is taken', async () => {
    expect((await emailSetting(PROPOSER).expect(200)).body).toEqual({ enabled: true, address: ADDRESSES[PROPOSER], sending: true });
    expect((await emailSetting(IMPLEMENTER).expect(200)).body).toEqual({ enabled: true, address: null, sending: true });
    await setEmail(PROPOSER, { enabled: 'no' }).expect(400);
    await setEmail(PROPOSER, {}).expect(400);
    await request(app.getHttpServer()).get('/api/v1/me/notices/email').expect(401);
  });

  it('e-mails a notice to each recipient with an address who has not turned e-mail off, once, whatever the redelivery', async () => {
    expect((await setEmail(CO_PROPOSER, { enabled: false }).expect(200)).body).toMatchObject({ enabled: false });
    expect((await emailSetting(CO_PROPOSER).expect(200)).body.enabled).toBe(false);
    const proposalId = await recommend();
    const [mail, ...more] = await mailsOf(proposalId, 1);
    expect(mail).toBeDefined();
    expect(mail.to).toEqual([ADDRESSES[PROPOSER]]);
    expect(mail.from).toBe('dotpha@tinhmau.invalid');
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/m); // the Vietnamese summary, encoded
    expect(mail.raw).toContain(`/api/v1/recognitions/${proposalId}`);
    expect(more).toEqual([]);

    // The same event again (a redelivery), then a notice of another proposal: by the time that one is
    // mailed the redelivered event was handled, and it sent nothing a second time.
    const kernel = hub.kernel('rewards');
    const [recommended] = await kernel.history(recognitionStreamId(proposalId));
    await service.upstream.publish([recommended]);
    const later = await recommend();
    expect((await mailsOf(later, 1)).map((m) => m.to)).toEqual([[ADDRESSES[PROPOSER]]]);
    expect(mails.filter((m) => m.raw.includes(proposalId))).toHaveLength(1);
  });

  it('sends again once the person turns e-mail back on; the notices stay in /me/notices either way', async () => {
    await setEmail(PROPOSER, { enabled: false }).expect(200);
    await setEmail(CO_PROPOSER, { enabled: true }).expect(200);
    const quiet = await recommend();
    expect((await mailsOf(quiet, 1)).map((m) => m.to)).toEqual([[ADDRESSES[CO_PROPOSER]]]);
    await setEmail(PROPOSER, { enabled: true }).expect(200);
    const loud = await recommend();
    expect((await mailsOf(loud, 2)).map((m) => m.to[0]).sort()).toEqual([ADDRESSES[CO_PROPOSER], ADDRESSES[PROPOSER]].sort());
    expect(mails.filter((m) => m.raw.includes(quiet)).map((m) => m.to)).toEqual([[ADDRESSES[CO_PROPOSER]]]);
    const notices = (await request(app.getHttpServer()).get('/api/v1/me/notices').set(as(PROPOSER)).expect(200)).body as { proposalId?: string }[];
    expect(notices.map((n) => n.proposalId)).toEqual(expect.arrayContaining([quiet, loud]));
  });

  it('keeps each choice across a restart of the one-process host (the choice is in the log) and mails no one who turned e-mail off', async () => {
    await setEmail(PROPOSER, { enabled: false }).expect(200);
    await setEmail(CO_PROPOSER, { enabled: true }).expect(200);
    await restart();
    expect((await emailSetting(PROPOSER).expect(200)).body.enabled).toBe(false);
    expect((await emailSetting(CO_PROPOSER).expect(200)).body.enabled).toBe(true);
    const history = await hub.kernel('rewards').history(mailPreferenceStreamId(PROPOSER));
    expect(history.map((e) => [e.type, (e.data as { enabled: boolean }).enabled])).toEqual([['NoticeEmailSet', false], ['NoticeEmailSet', true], ['NoticeEmailSet', false]]);
    // Through the audit trail the person reads their own setting's stream; anyone else finds no such stream.
    const audit = (userId: string) => request(app.getHttpServer()).get(`/api/v1/audit/streams/${mailPreferenceStreamId(PROPOSER)}`).set(as(userId));
    await audit(PROPOSER).expect(200);
    await audit(CO_PROPOSER).expect(404);
    const after = await recommend();
    expect((await mailsOf(after, 1)).map((m) => m.to)).toEqual([[ADDRESSES[CO_PROPOSER]]]);
    // A notice mailed later to the proposer alone shows the first one's mailing had ended without them.
    await setEmail(CO_PROPOSER, { enabled: false }).expect(200);
    await setEmail(PROPOSER, { enabled: true }).expect(200);
    const last = await recommend();
    expect((await mailsOf(last, 1)).map((m) => m.to)).toEqual([[ADDRESSES[PROPOSER]]]);
    expect(mails.filter((m) => m.raw.includes(after)).map((m) => m.to)).toEqual([[ADDRESSES[CO_PROPOSER]]]);
  }, 60_000);

  it('records as events the choices kept before they were events (a document no projection wrote), once', async () => {
    const kernel = hub.kernel('rewards');
    await kernel.readModels.put(MAIL_PREFERENCES, { id: IMPLEMENTER, data: { email: false, changedAt: '2026-01-05T08:00:00.000Z' }, applied: {} }, 0);
    expect(await recordEarlierChoices(kernel)).toBe(1);
    expect((await kernel.history(mailPreferenceStreamId(IMPLEMENTER))).map((e) => [e.type, e.actor, e.data])).toEqual([
      ['NoticeEmailSet', { userId: IMPLEMENTER, role: 'system' }, expect.objectContaining({ userId: IMPLEMENTER, enabled: false })],
    ]);
    // The projection takes it over (the document now names its stream): nothing to record again.
    const deadline = Date.now() + 5_000;
    while (!(mailPreferenceStreamId(IMPLEMENTER) in ((await kernel.readModels.get(MAIL_PREFERENCES, IMPLEMENTER))?.applied ?? {})) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await recordEarlierChoices(kernel)).toBe(0);
    expect((await emailSetting(IMPLEMENTER).expect(200)).body.enabled).toBe(false);
  });
});
