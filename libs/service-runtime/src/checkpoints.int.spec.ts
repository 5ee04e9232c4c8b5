import { createPrivateKey, createPublicKey } from 'crypto';
import { mkdtemp, rm, writeFile } from 'fs/promises';
import { readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import { type AuditCheckpoint, checkpointSignatureValid, keyIdOf, verifyInclusion } from '@dotpha/kernel';
import { loadOrgChart, policyFrom } from '@dotpha/org';
import { LocalIssuer } from './auth';
import { type RuntimeConfig, SAMPLE_ORG_FILE, auditKeyFromEnv, newAuditKeyPem } from './config';
import { ServiceKernel } from './service-kernel';

/** A service kernel on the embedded store, issuing checkpoints (issue 12). */
describe('checkpoints of a running service (issue 12)', () => {
  const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
  let dataDir: string;
  let kernel: ServiceKernel;
  const auditKey = createPrivateKey(newAuditKeyPem());

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dotpha-checkpoints-'));
    const config: RuntimeConfig = {
      instance: org.instance.code, org, policy: policyFrom({}), storage: { kind: 'embedded', dataDir },
      bus: { kind: 'in-process', broker: new InProcessBroker() }, auth: { kind: 'local', issuer: new LocalIssuer() }, auditKey,
    };
    kernel = await ServiceKernel.open({ name: 'proposals', projections: [], reactors: [], reads: [] }, config);
  });
  let closed = false;
  afterEach(async () => {
    if (!closed) await kernel.close();
    closed = false;
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A stream of the store that the checkpoints cover (any event the store accepts will do). */
  const write = async (streamId: string, checkpoint: AuditCheckpoint) =>
    kernel.store.append({
      streamId, streamType: 'sample', expectedVersion: await kernel.store.streamVersion(streamId),
      events: [{ eventId: `e-${streamId}-${Date.now()}-${Math.random()}`, type: 'AuditCheckpointIssued', data: checkpoint, occurredAt: new Date().toISOString(), actor: { userId: 'u', role: 'system' }, correlationId: 'c', causationId: null }],
    });

  it('records each checkpoint on its own stream, signed with the configured key, and leaves that stream out of the tree', async () => {
    const first = await kernel.issueCheckpoint();
    expect(first).toMatchObject({ instance: 'tm', service: 'proposals', sequence: 1, streams: 0, keyId: keyIdOf(createPublicKey(auditKey)) });
    expect(checkpointSignatureValid(first, createPublicKey(auditKey))).toBe(true);
    await write('sample-1', first);
    const second = await kernel.issueCheckpoint({ userId: 'u-vp-quan-tri', role: 'admin' });
    expect(second).toMatchObject({ sequence: 2, streams: 1 });
    const recorded = await kernel.store.readStream('audit-checkpoint-proposals');
    expect(recorded.map((e) => [e.type, e.streamType, e.classification, e.actor, e.data])).toEqual([
      ['AuditCheckpointIssued', 'audit-checkpoint', 'public', { userId: 'svc-proposals', role: 'system' }, first],
      ['AuditCheckpointIssued', 'audit-checkpoint', 'public', { userId: 'u-vp-quan-tri', role: 'admin' }, second],
    ]);
    expect(await kernel.latestCheckpoint()).toEqual(second);
    const proof = await kernel.inclusionProof('sample-1');
    expect(verifyInclusion(proof!, createPublicKey(auditKey))).toEqual({ ok: true });
    expect(await kernel.inclusionProof('audit-checkpoint-proposals')).toBeNull();
    expect((await kernel.audit())).toMatchObject({ ok: true, findings: [], damage: [], checkpoint: { sequence: 2, signatureValid: true } });
  });

  it('skips a scheduled checkpoint while the heads are those of the latest one', async () => {
    expect(await kernel.scheduledCheckpoint()).toBeNull();
    const first = await kernel.issueCheckpoint();
    expect(await kernel.scheduledCheckpoint()).toBeNull();
    await write('sample-1', first);
    expect(await kernel.scheduledCheckpoint()).toMatchObject({ sequence: 2, streams: 1 });
    expect(await kernel.scheduledCheckpoint()).toBeNull();
    expect((await kernel.store.readStream('audit-checkpoint-proposals')).length).toBe(2);
  });

  it('issues one checkpoint at a time when asked for several at once', async () => {
    const issued = await Promise.all([kernel.issueCheckpoint(), kernel.issueCheckpoint(), kernel.issueCheckpoint()]);
    expect(issued.map((c) => c.sequence)).toEqual([1, 2, 3]);
  });

  it('never keeps the process alive for its schedule, and stops it on close', async () => {
    const timer = () => (kernel as unknown as { checkpointTimer?: NodeJS.Timeout }).checkpointTimer;
    expect(timer()?.hasRef()).toBe(false);
    await kernel.close();
    closed = true;
    expect(timer()).toBeUndefined();
  });

  it('reads the key from DOTPHA_AUDIT_KEY_FILE', async () => {
    const file = join(dataDir, 'audit-key.pem');
    await writeFile(file, newAuditKeyPem());
    expect(auditKeyFromEnv({ DOTPHA_AUDIT_KEY_FILE: file })?.asymmetricKeyType).toBe('ed25519');
    expect(() => auditKeyFromEnv({ DOTPHA_AUDIT_KEY_FILE: join(dataDir, 'none.pem') })).toThrow(/DOTPHA_AUDIT_KEY_FILE .* is not a readable PEM private key/);
  });
});
