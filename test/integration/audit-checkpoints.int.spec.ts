import { createPrivateKey, randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import type { INestApplication } from '@nestjs/common';
import { mongo } from 'mongoose';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import type { RecordedEvent } from '@dotpha/kernel';
import { loadOrgChart, policyFrom } from '@dotpha/org';
import { LocalIssuer, type RuntimeConfig, SAMPLE_ORG_FILE, createServiceApp, newAuditKeyPem } from '@dotpha/service-runtime';
import { testServers } from '@dotpha/testkit';
// The proposals service as its process hosts it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { allServices } from '../../apps/platform/src/services';

/**
 * Issue 12 on the MongoDB store, through the service: a stream's last event deleted, a whole
 * stream deleted, an event edited and two events swapped in the database after a checkpoint was
 * signed; POST /api/v1/audit/verify names each stream (hash chains alone passed the first two).
 */
describe(`Audit against the signed checkpoint over ${process.env.DOTPHA_MONGO_KIND} (issue 12)`, () => {
  const issuer = new LocalIssuer();
  const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
  const prefix = `audit${randomUUID().slice(0, 8)}`;
  const database = `${prefix}_${org.instance.code}_proposals`;
  const PROPOSER = 'u-ccvc-chuyen-vien';
  const draft = { title: 'Số hóa hồ sơ', field: 'administrative-reform', problemType: 'unregulated', isScheme: false, report: {} };
  let app: INestApplication;
  let base: string;
  let client: mongo.MongoClient;

  const call = async (method: string, path: string, userId: string, body?: unknown, role?: string): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${await issuer.token(userId)}`, 'content-type': 'application/json', ...(role ? { 'x-role': role } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
  const verify = async () => {
    const reply = await call('POST', '/audit/verify', 'u-vp-quan-tri', undefined, 'admin');
    expect(reply.status).toBe(200);
    return reply.body.find((s: { service: string }) => s.service === 'proposals');
  };

  beforeAll(async () => {
    const config: RuntimeConfig = {
      instance: org.instance.code, org, policy: policyFrom({}),
      storage: { kind: 'mongodb', url: testServers().mongoUrl, databasePrefix: prefix },
      bus: { kind: 'in-process', broker: new InProcessBroker() },
      auth: { kind: 'local', issuer },
      auditKey: createPrivateKey(newAuditKeyPem()),
      log: () => undefined,
    };
    ({ app } = await createServiceApp('Đột Phá — proposals', [allServices.proposals], config));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    client = await mongo.MongoClient.connect(testServers().mongoUrl);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await client?.db(database).dropDatabase().catch(() => undefined);
    await client?.close();
  });

  it('names the stream cut short, the stream removed, the one edited and the one reordered', async () => {
    const proposal = async (revisions: number) => {
      const reply = await call('POST', '/proposals', PROPOSER, draft);
      expect(reply.status).toBe(201);
      for (let i = 1; i <= revisions; i++) expect((await call('PUT', `/proposals/${reply.body.proposalId}`, PROPOSER, { ...draft, title: `Số hóa hồ sơ ${i}` })).status).toBe(200);
      return `proposal-${reply.body.proposalId as string}`;
    };
    const shortened = await proposal(1);
    const missing = await proposal(0);
    const altered = await proposal(1);
    const reordered = await proposal(1);
    const untouched = await proposal(1);
    expect((await call('POST', '/audit/checkpoints', 'u-vp-quan-tri', undefined, 'admin')).status).toBe(201);
    const before = await verify();
    expect(before).toMatchObject({ ok: true, broken: [], findings: [], checkpoint: { headsMatchRoot: true, signatureValid: true } });
    expect(before.streams).toBeGreaterThanOrEqual(5);

    const commits = client.db(database).collection<{ _id: string; streamId: string; from: number; events: RecordedEvent[] }>('commits');
    expect((await commits.deleteOne({ _id: `${shortened}|2` })).deletedCount).toBe(1);
    expect((await commits.deleteMany({ streamId: missing })).deletedCount).toBe(1);
    const edited = (await commits.findOne({ _id: `${altered}|1` }))!;
    await commits.updateOne({ _id: edited._id }, { $set: { events: edited.events.map((e) => ({ ...e, data: { ...(e.data as object), title: 'Đã bị sửa lén' } })) } });
    const [first, second] = [(await commits.findOne({ _id: `${reordered}|1` }))!, (await commits.findOne({ _id: `${reordered}|2` }))!];
    await commits.updateOne({ _id: first._id }, { $set: { events: second.events } });
    await commits.updateOne({ _id: second._id }, { $set: { events: first.events } });

    const after = await verify();
    expect(after.ok).toBe(false);
    expect(after.findings.map((f: { streamId: string; finding: string }) => [f.streamId, f.finding]).sort()).toEqual(
      [[shortened, 'shortened'], [missing, 'missing'], [altered, 'altered'], [reordered, 'reordered']].sort(),
    );
    expect(after.findings).toContainEqual({ streamId: shortened, finding: 'shortened', signedPosition: 2, storedPosition: 1 });
    expect(after.findings).toContainEqual({ streamId: missing, finding: 'missing', signedPosition: 1, storedPosition: 0 });
    expect(after.findings.some((f: { streamId: string }) => f.streamId === untouched)).toBe(false);
    expect(after.damage).toEqual([]);
  });
});
