import { createPrivateKey } from 'crypto';
import { mkdtemp, rm } from 'fs/promises';
import { readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { INestApplication } from '@nestjs/common';
import { ClassicLevel } from 'classic-level';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import { loadOrgChart, policyFrom } from '@dotpha/org';
import { LocalIssuer, type RuntimeConfig, SAMPLE_ORG_FILE, createServiceApp, newAuditKeyPem } from '@dotpha/service-runtime';
// The five services as `npm start` hosts them.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { allServices } from '../../apps/platform/src/services';

/**
 * Issue 12, one process: the embedded log is damaged while the process is down (one commit
 * deleted from its LevelDB folder, the last of a stream, and a whole stream). `npm start` on it
 * starts, says so, and POST /audit/verify names each stream against the checkpoint signed before.
 */
describe('one process on a damaged embedded log (issue 12)', () => {
  const issuer = new LocalIssuer();
  const auditKey = createPrivateKey(newAuditKeyPem());
  const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
  const PROPOSER = 'u-ccvc-chuyen-vien';
  const ADMIN = 'u-vp-quan-tri';
  const draft = { title: 'Số hóa hồ sơ', field: 'administrative-reform', problemType: 'unregulated', isScheme: false, report: {} };
  let dataDir: string;
  let app: INestApplication | undefined;
  let base: string;
  let logged: string[];

  /** The one-process platform as platform.ts assembles it, on a data folder that outlives it. */
  async function start(): Promise<void> {
    logged = [];
    const config: RuntimeConfig = {
      instance: org.instance.code, org, policy: policyFrom({}),
      storage: { kind: 'embedded', dataDir },
      bus: { kind: 'in-process', broker: new InProcessBroker() },
      auth: { kind: 'local', issuer },
      auditKey,
      log: (message) => logged.push(message),
    };
    ({ app } = await createServiceApp('Đột Phá', Object.values(allServices), config));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }
  async function stop(): Promise<void> {
    await app?.close();
    app = undefined;
  }
  async function call(method: string, path: string, userId: string, body?: unknown, role?: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${await issuer.token(userId)}`, 'content-type': 'application/json', ...(role ? { 'x-role': role } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dotpha-audit-'));
  });
  afterAll(async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('starts on the damaged log, logs a clear message, and verify names the shortened and the missing stream', async () => {
    await start();
    const created = async () => {
      const reply = await call('POST', '/proposals', PROPOSER, draft);
      expect(reply.status).toBe(201);
      return `proposal-${reply.body.proposalId as string}`;
    };
    const [shortened, missing, intact] = [await created(), await created(), await created()];
    expect((await call('PUT', `/proposals/${shortened.slice('proposal-'.length)}`, PROPOSER, { ...draft, title: 'Số hóa hồ sơ (sửa)' })).status).toBe(200);
    const issued = await call('POST', '/audit/checkpoints', ADMIN, undefined, 'admin');
    expect(issued.status).toBe(201);
    const before = await call('POST', '/audit/verify', ADMIN, undefined, 'admin');
    expect(before.body.find((s: { service: string }) => s.service === 'proposals')).toMatchObject({ ok: true, findings: [], damage: [] });
    await stop();

    // Behind the application's back: the commit of position 2 of one stream, the only commit of another.
    const db = new ClassicLevel<string, unknown>(join(dataDir, 'proposals'), { valueEncoding: 'json' });
    await db.open();
    const commitKey = (streamId: string, from: number) => `s!${Buffer.from(streamId).toString('hex')}!${String(from).padStart(16, '0')}`;
    const deleted = [commitKey(shortened, 2), commitKey(missing, 1)];
    for (const key of deleted) {
      expect(await db.get(key)).toBeDefined();
      await db.del(key);
    }
    await db.close();

    await start();
    const damaged = logged.filter((m) => m.includes('DAMAGED EVENT LOG'));
    expect(damaged).toHaveLength(2);
    for (const key of deleted) expect(damaged.some((m) => m.includes(key))).toBe(true);
    expect(damaged.join('\n')).toMatch(/POST \/api\/v1\/audit\/verify/);
    // Still serving: the intact stream reads as before.
    expect((await call('GET', `/audit/streams/${intact}`, PROPOSER)).body.verification).toMatchObject({ ok: true });

    const report = await call('POST', '/audit/verify', ADMIN, undefined, 'admin');
    expect(report.status).toBe(200);
    const proposals = report.body.find((s: { service: string }) => s.service === 'proposals');
    expect(proposals).toMatchObject({ ok: false, checkpoint: { headsMatchRoot: true, signatureValid: true } });
    expect(proposals.findings).toEqual(
      [
        { streamId: shortened, finding: 'shortened', signedPosition: 2, storedPosition: 1 },
        { streamId: missing, finding: 'missing', signedPosition: 1, storedPosition: 0 },
      ].sort((a, b) => (a.streamId < b.streamId ? -1 : 1)),
    );
    expect([...proposals.damage].sort()).toEqual([...deleted].sort());
    for (const other of report.body.filter((s: { service: string }) => s.service !== 'proposals')) expect(other).toMatchObject({ ok: true, findings: [], damage: [] });
  }, 240_000);
});
