import { readFileSync } from 'fs';
import { join } from 'path';
import type { INestApplication } from '@nestjs/common';
import { parquetReadObjects } from 'hyparquet';
import { mongo } from 'mongoose';
import { topicName } from '@dotpha/kernel';
import { configFromEnv, createServiceApp } from '@dotpha/service-runtime';
import { testServers, uniqueName } from '@dotpha/testkit';
import { type SecureKafka, startSecureKafka } from '../infra/secure-kafka-process';
import { Caller, ok, request, until } from '../e2e/client';
import type { Platform } from '../e2e/platform';
import { attestation, pilotApproval, proposalContent } from '../e2e/fixtures';
// The system test runs what the repository ships: each instance's one-process host (the platform's
// list of services), central analytics and the agencies' example, each as its own app.
/* eslint-disable @nx/enforce-module-boundaries */
import { allServices } from '../../apps/platform/src/services';
import { type Analytics, startAnalytics } from '../../apps/analytics/src/analytics';
import type { AnalyticsConfig } from '../../apps/analytics/src/config';
import { startSubscriber } from '../../examples/agency-subscriber/src/subscriber';
/* eslint-enable @nx/enforce-module-boundaries */

/**
 * Federation (issue 15): three instances (hn, hcm, hp: deploy/instances) side by side on one
 * Kafka cluster with SASL/SCRAM and ACLs and one MongoDB-compatible server, each with its own
 * topics, databases and login; central analytics reads their public topics on its own login, the
 * example agency subscriber reads hcm's public proposals on its own.
 */
const INSTANCES = ['hn', 'hcm', 'hp'] as const;
type Instance = (typeof INSTANCES)[number];
const ROOT = join(__dirname, '..', '..');
const CONTEXTS = ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards'];
const ADMIN_TOKEN = 'operator-token-for-the-test';

let kafka: SecureKafka;
const hosts = {} as Record<Instance, { app: INestApplication; as: (userId: string, role?: string) => Caller }>;
let analytics: Analytics;
let analyticsUrl = '';
let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
const analyticsDb = uniqueName('fed_analytics');
const run = uniqueName('fed');

async function startInstance(instance: Instance) {
  const dir = join(ROOT, 'deploy', 'instances', instance);
  const config = configFromEnv({
    DOTPHA_ORG_FILE: join(dir, 'org.json'),
    DOTPHA_POLICY_FILE: join(dir, 'policy.json'),
    DOTPHA_MONGO_URL: testServers().mongoUrl,
    DOTPHA_DB_PREFIX: run,
    DOTPHA_READS_PER_MINUTE: '100000',
    // Three instances, analytics and the broker share the test machine: a slow answer is no outage here.
    DOTPHA_MONGO_TIMEOUT_MS: '15000',
    ...kafka.env(instance),
  });
  if (config.auth.kind !== 'local') throw new Error('the test signs its own tokens');
  const { issuer } = config.auth;
  const { app } = await createServiceApp(`Đột Phá (${instance})`, Object.values(allServices), config);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const platform = { url: () => base, token: (userId: string) => issuer.token(userId) } as unknown as Platform;
  hosts[instance] = { app, as: (userId, role) => new Caller(platform, userId, role) };
}

function analyticsConfig(): AnalyticsConfig {
  return {
    brokers: [kafka.brokers], sasl: kafka.credentials.analytics, topicPrefix: 'dotpha',
    instances: '*', groupId: 'analytics-national', mongoUrl: testServers().mongoUrl, database: analyticsDb,
    quota: () => 1, holidays: [], timeZone: 'Asia/Ho_Chi_Minh', discoverEveryMs: 60_000, adminToken: ADMIN_TOKEN, port: 0, host: '127.0.0.1',
    log: () => undefined,
  };
}

async function startAnalyticsApp(): Promise<void> {
  analytics = await startAnalytics(analyticsConfig());
  await analytics.app.listen(0, '127.0.0.1');
  analyticsUrl = `${(await analytics.app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
}

beforeAll(async () => {
  kafka = await startSecureKafka({ instances: [...INSTANCES] });
  process.stderr.write(`[federation] Kafka: ${kafka.kind}; MongoDB: ${testServers().mongoKind}\n`);
  // The public topics exist before their readers subscribe (readers may not create topics).
  await kafka.createTopics(INSTANCES.flatMap((i) => CONTEXTS.map((c) => topicName(i, c, 'dotpha', 'public'))));
  for (const instance of INSTANCES) await startInstance(instance);
  await startAnalyticsApp();
  subscriber = await startSubscriber({ province: 'hcm', brokers: [kafka.brokers], sasl: kafka.credentials.subscriber, groupId: 'subscriber-hcm-proposals' });
  await subscriber.app.listen(0, '127.0.0.1');
  phase('three instances, analytics and the subscriber started');
}, 300_000);

afterAll(async () => {
  await subscriber?.app.close();
  await analytics?.close();
  for (const instance of INSTANCES) await hosts[instance]?.app.close();
  const client = await mongo.MongoClient.connect(testServers().mongoUrl);
  await client.db(analyticsDb).dropDatabase().catch(() => undefined);
  await client.close();
  await kafka?.stop();
}, 120_000);

const get = async (path: string) => ok(await request(`${analyticsUrl}${path}`, {}));
const text = async (path: string) => (await fetch(`${analyticsUrl}${path}`)).text();
/** A Parquet file of the export as rows, read by another package than the one that wrote it. */
const parquetRows = async (path: string) => parquetReadObjects({ file: await (await fetch(`${analyticsUrl}${path}`)).arrayBuffer() });

/** Restricted values planted in each instance: names and free-text of a person never leave it. */
const planted: Record<Instance, string> = { hn: `PLANTED-HN-${run}`, hcm: `PLANTED-HCM-${run}`, hp: `PLANTED-HP-${run}` };
const proposals: Record<Instance, string[]> = { hn: [], hcm: [], hp: [] };
/** A cadre of each instance's civil-service office who may propose under its policy (hp: leaders and managers only, D73-2). */
const PROPOSER: Record<Instance, string> = { hn: 'u-ccvc-chuyen-vien', hcm: 'u-ccvc-chuyen-vien', hp: 'u-ccvc-pho-phong' };
const phase = (what: string) => process.stderr.write(`[federation ${new Date().toISOString().slice(11, 19)}] ${what}\n`);

function plantedContent(instance: Instance, title: string) {
  const content = proposalContent(title);
  return { ...content, report: { ...content.report, necessity: `${planted[instance]} (đánh giá riêng của cán bộ)`, feasibility: `Ý kiến của ${planted[instance]}` } };
}

/** Every user's name in the three organisation files: none may reach analytics. */
const names = INSTANCES.flatMap((i) => (JSON.parse(readFileSync(join(ROOT, 'deploy', 'instances', i, 'org.json'), 'utf8')).users as { name: string }[]).map((u) => u.name));

const byInstance = async () => {
  const { rows } = await get('/national/figures?groupBy=instance');
  return Object.fromEntries(rows.map((r: { group: { instance: string }; counts: Record<string, number> }) => [r.group.instance, r.counts]));
};

/** Everything analytics shows: its figures, grouped every way, its registrations, its dataset. */
async function everythingAnalyticsShows(): Promise<Record<string, unknown>> {
  return {
    byInstance: await get('/national/figures?groupBy=instance'),
    full: (await get('/national/figures?groupBy=instance,field,period,status&period=quarter')).rows,
    monthly: (await get('/national/figures?groupBy=period&period=month')).rows,
    registrations: await get('/national/registrations'),
    csv: await text('/open-data/proposals.csv'),
    jsonl: await text('/open-data/proposals.jsonl'),
    registrationsCsv: await text('/open-data/registrations.csv'),
    parquet: await parquetRows('/open-data/proposals.parquet'),
    registrationsParquet: await parquetRows('/open-data/registrations.parquet'),
  };
}

describe('three instances, central analytics and an agency on one secured cluster (issue 15)', () => {
  it('a proposal in each instance appears in the national figures and the open-data export', async () => {
    for (const instance of INSTANCES) {
      const proposer = hosts[instance].as(PROPOSER[instance]);
      const { proposalId } = ok(await proposer.post('/proposals', plantedContent(instance, `Liên thông hồ sơ (${instance})`)), 201);
      ok(await proposer.post(`/proposals/${proposalId}/submit`));
      proposals[instance].push(proposalId);
    }
    // hn approves its proposal (the office's collective votes on the plan, the head decides; the reasons are restricted).
    const hnHead = hosts.hn.as('u-ccvc-truong-phong', 'unit-head');
    const [hnProposal] = proposals.hn;
    await until(() => hnHead.get(`/reviews/${hnProposal}`), (r) => r.status === 200, 'the review to open in hn');
    ok(await hnHead.post(`/reviews/${hnProposal}/consult`, { opinion: 'Chi bộ đồng ý.' }));
    for (const [member, role] of [['u-ccvc-truong-phong', 'unit-head'], ['u-ccvc-pho-phong', 'collective']]) {
      ok(await hosts.hn.as(member, role).post(`/reviews/${hnProposal}/votes`, { vote: 'for' }));
    }
    ok(await hnHead.post(`/reviews/${hnProposal}/tally`, {}));
    await until(() => hnHead.get(`/reviews/${hnProposal}`), (r) => r.body?.tally != null, 'the tally to show');
    ok(await hnHead.post(`/reviews/${hnProposal}/approve`, { ...pilotApproval, attestation, reasons: `Lý do riêng: ${planted.hn}` }));
    // hcm's cadre submits a second proposal and withdraws it (the reason is restricted).
    const hcmProposer = hosts.hcm.as('u-ccvc-chuyen-vien');
    const { proposalId: withdrawn } = ok(await hcmProposer.post('/proposals', plantedContent('hcm', 'Một cửa liên thông (rút)')), 201);
    ok(await hcmProposer.post(`/proposals/${withdrawn}/submit`));
    ok(await hcmProposer.post(`/proposals/${withdrawn}/withdraw`, { reason: `Rút vì ${planted.hcm}` }));
    proposals.hcm.push(withdrawn);

    phase('the proposals are in; waiting for the national figures');
    const figures = await until(byInstance, (f) => f.hn?.approved === 1 && f.hn?.pilotsPlanned === 1 && f.hcm?.proposals === 2 && f.hcm?.withdrawn === 1 && f.hp?.proposals === 1, 'the national figures to count every instance', 90_000, 500);
    expect(figures.hn).toMatchObject({ proposals: 1, approved: 1, decided: 1, pilotsPlanned: 1 });
    expect(figures.hp).toMatchObject({ proposals: 1, approved: 0, withdrawn: 0 });
    const national = await get('/national/figures?groupBy=instance,field,status');
    expect(national.sources.map((s: { instance: string }) => s.instance)).toEqual(['hcm', 'hn', 'hp']);
    expect(national.rows).toContainEqual(expect.objectContaining({ group: { instance: 'hn', field: 'administrative-reform', status: 'pilot-planned' }, averageLeadWorkingDays: expect.any(Number) }));
    expect(national.rows).toContainEqual(expect.objectContaining({ group: { instance: 'hcm', field: 'administrative-reform', status: 'withdrawn' } }));

    const csv = (await text('/open-data/proposals.csv')).trimEnd().split('\r\n');
    expect(csv[0].split(',')).toEqual(expect.arrayContaining(['instance', 'proposal_id', 'field', 'status', 'lead_working_days']));
    const jsonl = (await text('/open-data/proposals.jsonl')).trimEnd().split('\n').map((line) => JSON.parse(line));
    for (const instance of INSTANCES) {
      for (const id of proposals[instance]) {
        expect(csv.some((line) => line.startsWith(`${instance},${id},`))).toBe(true);
        expect(jsonl).toContainEqual(expect.objectContaining({ instance, proposal_id: id }));
      }
    }
    const dataset = await get('/open-data');
    expect(dataset).toMatchObject({ title: expect.any(String), licenses: [expect.objectContaining({ name: 'CC-BY-4.0' })], instances: ['hcm', 'hn', 'hp'], temporal: { start: expect.any(String), end: expect.any(String) } });
    expect(dataset.resources.map((r: { path: string }) => r.path)).toEqual(expect.arrayContaining(['/api/v1/open-data/proposals.csv', '/api/v1/open-data/proposals.jsonl']));
    expect(dataset.resources[0].schema.fields.map((f: { name: string }) => f.name)).toEqual(csv[0].split(','));
  }, 180_000);

  it("the agency's example keeps a table of hcm's public proposals, and only hcm's", async () => {
    const rows = await until(async () => ok(await request(`${(await subscriber.app.getUrl()).replace('[::1]', '127.0.0.1')}/proposals`, {})), (r: { proposalId: string; status: string }[]) => r.length === 2 && r.some((p) => p.status === 'withdrawn'), "hcm's proposals in the subscriber's table", 60_000, 300);
    expect(rows.map((r: { proposalId: string }) => r.proposalId).sort()).toEqual([...proposals.hcm].sort());
    expect(rows).toContainEqual(expect.objectContaining({ proposalId: proposals.hcm[0], unitId: 'hcm-snv-ccvc', title: 'Liên thông hồ sơ (hcm)', status: 'submitted' }));
    expect(JSON.stringify(rows)).not.toContain(planted.hcm);
  }, 90_000);

  it("restricted values planted in each instance appear nowhere in analytics' database, API or export", async () => {
    // They are in the instances (the test would prove nothing otherwise) ...
    for (const instance of INSTANCES) {
      const own = ok(await hosts[instance].as(PROPOSER[instance]).get(`/proposals/${proposals[instance][0]}`));
      expect(JSON.stringify(own)).toContain(planted[instance]);
    }
    // ... and nowhere in what analytics stores or shows.
    const client = await mongo.MongoClient.connect(testServers().mongoUrl);
    const stored: unknown[] = [];
    try {
      const db = client.db(analyticsDb);
      for (const { name } of await db.listCollections().toArray()) stored.push(name, await db.collection(name).find({}).toArray());
    } finally {
      await client.close();
    }
    const scanned = { stored, shown: await everythingAnalyticsShows(), dataset: await get('/open-data') };
    const all = JSON.stringify(scanned);
    expect(all).toContain(proposals.hp[0]);
    for (const value of [...Object.values(planted), 'đánh giá riêng', 'Lý do riêng', ...names]) expect(all).not.toContain(value);
  }, 60_000);

  it('replay: analytics dropped and rebuilt from offset 0 gives the same figures; events delivered again change nothing', async () => {
    const before = await everythingAnalyticsShows();
    const sourcesBefore = (before.byInstance as { sources: unknown }).sources;

    // Delivered again from an instant before the test: every event comes twice, each is applied once.
    await analytics.replay(new Date(Date.now() - 3_600_000));
    await until(() => analytics.lag(), (lag) => lag === 0, 'the redelivered events to be read', 60_000, 500);
    phase('redelivered events read');
    expect(await everythingAnalyticsShows()).toEqual(before);

    // Dropped: the service stops, its database goes, a new one replays from offset 0 (the operator's call).
    await analytics.close();
    const client = await mongo.MongoClient.connect(testServers().mongoUrl);
    await client.db(analyticsDb).dropDatabase();
    await client.close();
    await startAnalyticsApp();
    phase('analytics dropped and started again');
    expect((await request(`${analyticsUrl}/analytics/replay`, { method: 'POST' })).status).toBe(401);
    expect((await request(`${analyticsUrl}/analytics/replay`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(202);
    await until(async () => (await get('/national/figures?groupBy=instance')).sources, (s) => JSON.stringify(s) === JSON.stringify(sourcesBefore), 'the replay to read every event again', 90_000, 500);
    phase('replayed from offset 0');
    expect(await everythingAnalyticsShows()).toEqual(before);
  }, 240_000);
});
