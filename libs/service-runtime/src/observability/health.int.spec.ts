import { readFileSync } from 'fs';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import { loadOrgChart, policyFrom } from '@dotpha/org';
import { LocalIssuer } from '../auth';
import { createServiceApp } from '../bootstrap';
import { type RuntimeConfig, SAMPLE_ORG_FILE } from '../config';
import type { ServiceHub } from '../hub';
import { serviceModule } from '../module';
import type { GracefulShutdown } from '../shutdown';
import { STOPPING } from './health.controller';

@Module({})
class BareModule {}

/** One service with no projection, reactor or route of its own (the runtime's routes only), on the embedded store. */
describe('The readiness probe of a service process (issue 17)', () => {
  let dataDir: string;
  let app: INestApplication;
  let hub: ServiceHub;
  let shutdown: GracefulShutdown;
  let url: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dotpha-health-'));
    const org = loadOrgChart(JSON.parse(readFileSync(SAMPLE_ORG_FILE, 'utf8')));
    const config: RuntimeConfig = {
      instance: org.instance.code, org, policy: policyFrom({}), storage: { kind: 'embedded', dataDir },
      auth: { kind: 'local', issuer: new LocalIssuer() }, bus: { kind: 'in-process', broker: new InProcessBroker() },
    };
    ({ app, hub, shutdown } = await createServiceApp('health', [(c, h) => serviceModule({ module: BareModule, spec: { name: 'proposals', projections: [], reactors: [], reads: [] }, config: c, hub: h, controllers: [] })], config));
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterEach(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const ready = async () => {
    const answer = await fetch(`${url.replace('[::1]', '127.0.0.1')}/health/ready`);
    return { status: answer.status, body: (await answer.json()) as { status: string; details: Record<string, { status: string; message?: string }> } };
  };

  it('is ready with the store answering and consumption started; answers 503 naming the store once the store does not answer, while live stays 200', async () => {
    const up = await ready();
    expect(up.status).toBe(200);
    expect(up.body.details).toMatchObject({ process: { status: 'up' }, 'proposals-store': { status: 'up' }, 'proposals-bus': { status: 'up' }, 'proposals-consumers': { status: 'up' } });

    await hub.kernel('proposals').store.close();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    expect(down.body.details['proposals-store']).toMatchObject({ status: 'down', message: expect.any(String) });
    expect(down.body.details.process).toMatchObject({ status: 'up' });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    // The probes are not counted against any caller's request budget, and are not under /api/v1.
    expect((await fetch(`${url}/api/v1/health/ready`)).status).toBe(404);
  });

  it('is not ready once a graceful stop began', async () => {
    expect((await ready()).status).toBe(200);
    // From the first moment of the stop the probe says so (and the listener closes): traffic goes elsewhere.
    let exited: number | undefined;
    const stopping = shutdown.stop({ timeoutMs: 5000, exit: (code) => void (exited = code) });
    expect(shutdown.isStopping).toBe(true);
    expect(app.get(STOPPING)()).toBe(true);
    await stopping;
    expect(exited).toBe(0);
    await expect(fetch(`${url}/health/ready`)).rejects.toThrow();
  });
});
