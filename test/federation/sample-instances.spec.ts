import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { configFromEnv } from '@dotpha/service-runtime';

/**
 * The sample instances shipped in deploy/instances/<code>/ (issue 15): each starts from its own
 * instance.env as an operator would run it, with its own organisation file and policy.
 */
const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'deploy', 'instances');

function instanceEnv(code: string): Record<string, string> {
  const lines = readFileSync(join(DIR, code, 'instance.env'), 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l));
  // The files name paths from the repository root.
  return Object.fromEntries(lines.map((l) => l.split(/=(.*)/s)).map(([k, v]) => [k, k.endsWith('_FILE') ? join(ROOT, v) : v]));
}

describe('sample instances hn, hcm, hp (deploy/instances)', () => {
  const codes = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  it('three are shipped, each loaded from its own files under its own code and Kafka user', () => {
    expect(codes).toEqual(['hcm', 'hn', 'hp']);
    for (const code of codes) {
      const env = instanceEnv(code);
      const config = configFromEnv({ ...env, DOTPHA_KAFKA_BROKERS: '127.0.0.1:9092', DOTPHA_KAFKA_SASL_PASSWORD: 'from-the-secret-store', DOTPHA_DATA_DIR: '/nonexistent' });
      expect(config.instance).toBe(code);
      expect(config.org.instance.code).toBe(code);
      expect(config.bus).toMatchObject({ kind: 'kafka', security: { sasl: { mechanism: 'scram-sha-512', username: code } } });
      // Every unit is named under the instance's code, so no two instances share a unit id.
      const units = (JSON.parse(readFileSync(env.DOTPHA_ORG_FILE, 'utf8')) as { units: { id: string }[] }).units;
      expect(units.every((u) => u.id.startsWith(`${code}-`))).toBe(true);
    }
  });

  it('C14-2.3b, D73-2: the policies differ where the places differ (Hà Nội collective route; Hải Phòng leaders and managers only)', () => {
    const policy = (code: string) => configFromEnv(instanceEnv(code)).policy;
    expect(policy('hn').headProposalRoute).toBe('collective');
    expect(policy('hcm')).toMatchObject({ headProposalRoute: 'superior-head', minRegistrationsPerYear: 2 });
    expect(policy('hp')).toMatchObject({ coverage: 'leaders-and-managers', legalBasis: expect.stringContaining('Nghị định 73/2023') });
    expect(() => configFromEnv({ ...instanceEnv('hn'), DOTPHA_POLICY: '{}' })).toThrow(/DOTPHA_POLICY or DOTPHA_POLICY_FILE, not both/);
  });
});
