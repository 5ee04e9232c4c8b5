import { randomUUID } from 'crypto';
import { mkdtemp, rm } from 'fs/promises';
import { readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { type INestApplication, Module } from '@nestjs/common';
import { mongo } from 'mongoose';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import { type Projection, type RecordedEvent, GENESIS_HASH, topicName } from '@dotpha/kernel';
import { loadOrgChart, policyFrom } from '@dotpha/org';
import { LocalIssuer, type RuntimeConfig, SAMPLE_ORG_FILE, type ServiceHub, type StorageConfig, createServiceApp, serviceModule } from '@dotpha/service-runtime';
import { testServers } from '@dotpha/testkit';

/**
 * Dead letters for operators (issue 12), through the HTTP API of a service whose projection fails
 * while a switch says so: parked, still there after a restart (the one-process mode once lost
 * them), listed, read, re-driven while the cause remains (kept, counted) and after it is gone
 * (applied, removed); every read and re-drive recorded on the service's operations stream.
 */
const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
const ADMIN = 'u-vp-quan-tri';
let failing = true;
const flaky: Projection<{ titles: string[] }> = {
  name: 'flaky',
  collection: 'flaky-titles',
  canHandle: ['ProposalDrafted'],
  key: (e) => e.streamId,
  apply: (current, e) => {
    if (failing) throw new Error('the read model cannot take this yet');
    return { titles: [...(current?.titles ?? []), String((e.data as { title?: string }).title)] };
  },
};

@Module({})
class FlakyModule {}
const register = (config: RuntimeConfig, hub: ServiceHub) =>
  serviceModule({ module: FlakyModule, spec: { name: 'proposals', reads: ['proposals'], projections: [flaky], reactors: [] }, config, hub, controllers: [] });

const storages: [string, () => Promise<{ storage: StorageConfig; dispose: () => Promise<void> }>][] = [
  ['the embedded store (one-process mode)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dotpha-dead-letters-'));
    return { storage: { kind: 'embedded', dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }],
  [`${process.env.DOTPHA_MONGO_KIND} (distributed mode)`, async () => {
    const databasePrefix = `dl${randomUUID().slice(0, 8)}`;
    return {
      storage: { kind: 'mongodb', url: testServers().mongoUrl, databasePrefix },
      dispose: async () => {
        const client = await mongo.MongoClient.connect(testServers().mongoUrl);
        await client.db(`${databasePrefix}_${org.instance.code}_proposals`).dropDatabase().catch(() => undefined);
        await client.close();
      },
    };
  }],
];

describe.each(storages)('Dead letters on %s (issue 12)', (_what, makeStorage) => {
  const issuer = new LocalIssuer();
  const broker = new InProcessBroker();
  let storage: StorageConfig;
  let dispose: () => Promise<void>;
  let app: INestApplication;
  let hub: ServiceHub;
  let base: string;

  const start = async () => {
    const config: RuntimeConfig = { instance: org.instance.code, org, policy: policyFrom({}), storage, bus: { kind: 'in-process', broker }, auth: { kind: 'local', issuer }, log: () => undefined };
    ({ app, hub } = await createServiceApp('dead letters', [register], config));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  };
  const call = async (method: string, path: string, userId = ADMIN, role = 'admin') => {
    const response = await fetch(`${base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${await issuer.token(userId)}`, 'x-role': role } });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  };
  const until = async <T>(probe: () => Promise<T>, holds: (v: T) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const value = await probe();
      if (holds(value)) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('timed out');
  };

  beforeAll(async () => {
    ({ storage, dispose } = await makeStorage());
    await start();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  it('parks, keeps across a restart, lists, reads, re-drives (failed, then applied) and records each action', async () => {
    failing = true;
    const proposalId = randomUUID();
    const event: RecordedEvent = {
      eventId: randomUUID(), type: 'ProposalDrafted', version: 2, streamId: `proposal-${proposalId}`, streamType: 'proposal', streamPosition: 1,
      occurredAt: new Date().toISOString(), recordedAt: new Date().toISOString(), instance: org.instance.code, actor: { userId: 'u-ccvc-chuyen-vien', role: 'proposer' },
      correlationId: randomUUID(), causationId: null, classification: 'restricted', prevHash: GENESIS_HASH, hash: GENESIS_HASH,
      data: { proposalId, title: 'Tiêu đề riêng tư' },
    };
    const topic = topicName(org.instance.code, 'proposals');
    broker.topics.set(topic, [...(broker.topics.get(topic) ?? []), event]);
    broker.wakers.forEach((wake) => wake());
    const listed = await until(() => call('GET', '/admin/dead-letters'), (r) => r.status === 200 && r.body.some((l: { eventId: string }) => l.eventId === event.eventId));
    const letter = listed.body.find((l: { eventId: string }) => l.eventId === event.eventId);
    expect(letter).toMatchObject({ service: 'proposals', group: 'flaky', eventType: 'ProposalDrafted', streamId: event.streamId, error: 'the read model cannot take this yet' });

    // Only an operator handles them.
    expect((await call('GET', '/admin/dead-letters', 'u-ccvc-chuyen-vien', 'proposer')).status).toBe(403);
    expect((await call('POST', `/admin/dead-letters/${encodeURIComponent(letter.id)}/redrive`, 'u-snv-giam-doc', 'unit-head')).status).toBe(403);

    // A restart keeps them (the bus is not asked again: the letter comes from the store).
    await app.close();
    await start();
    const afterRestart = await call('GET', '/admin/dead-letters');
    expect(afterRestart.body.map((l: { id: string }) => l.id)).toContain(letter.id);

    const read = await call('GET', `/admin/dead-letters/${encodeURIComponent(letter.id)}`);
    expect(read.status).toBe(200);
    expect(read.body.event).toMatchObject({ eventId: event.eventId, type: 'ProposalDrafted' });
    expect(JSON.stringify(read.body.event)).not.toContain('Tiêu đề riêng tư');

    const failed = await call('POST', `/admin/dead-letters/${encodeURIComponent(letter.id)}/redrive`);
    expect(failed.body).toMatchObject({ outcome: 'failed', error: 'the read model cannot take this yet' });
    expect((await call('GET', '/admin/dead-letters')).body.find((l: { id: string }) => l.id === letter.id)).toMatchObject({ attempts: letter.attempts + 1 });

    failing = false;
    const applied = await call('POST', `/admin/dead-letters/${encodeURIComponent(letter.id)}/redrive`);
    expect(applied.body).toMatchObject({ outcome: 'applied', error: null });
    expect((await call('GET', '/admin/dead-letters')).body.map((l: { id: string }) => l.id)).not.toContain(letter.id);
    expect((await call('GET', `/admin/dead-letters/${encodeURIComponent(letter.id)}`)).status).toBe(404);
    const kernel = hub.kernel('proposals');
    expect((await kernel.readModels.get('flaky-titles', event.streamId))?.data).toEqual({ titles: ['Tiêu đề riêng tư'] });

    const operations = await kernel.history('operations-proposals');
    expect(operations.map((e) => [e.type, (e.data as { outcome?: string }).outcome ?? null, e.actor.userId])).toEqual([
      ['DeadLetterInspected', null, ADMIN],
      ['DeadLetterRedriven', 'failed', ADMIN],
      ['DeadLetterRedriven', 'applied', ADMIN],
    ]);
    expect(operations.every((e) => (e.data as { letterId: string }).letterId === letter.id)).toBe(true);
  }, 60_000);
});
