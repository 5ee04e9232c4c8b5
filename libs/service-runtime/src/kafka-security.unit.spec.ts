import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { configFromEnv, kafkaSecurityFromEnv } from './config';

describe('the Kafka login from the environment (issue 15)', () => {
  const login = { DOTPHA_KAFKA_SASL_USERNAME: 'hn', DOTPHA_KAFKA_SASL_PASSWORD: 's3cret' };

  it('an instance logs in with SCRAM-SHA-512 unless it names another mechanism; nothing set, no login', () => {
    expect(kafkaSecurityFromEnv({})).toBeUndefined();
    expect(kafkaSecurityFromEnv(login)).toEqual({ sasl: { mechanism: 'scram-sha-512', username: 'hn', password: 's3cret' } });
    expect(kafkaSecurityFromEnv({ ...login, DOTPHA_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256' })?.sasl?.mechanism).toBe('scram-sha-256');
    const config = configFromEnv({ DOTPHA_KAFKA_BROKERS: '127.0.0.1:9092', DOTPHA_MONGO_URL: 'mongodb://127.0.0.1:1/', ...login });
    expect(config.bus).toMatchObject({ kind: 'kafka', security: { sasl: { username: 'hn' } } });
  });

  it('refuses half a login, an unknown mechanism, and PLAIN without TLS (the password would travel in clear)', () => {
    expect(() => kafkaSecurityFromEnv({ DOTPHA_KAFKA_SASL_USERNAME: 'hn' })).toThrow(/go together/);
    expect(() => kafkaSecurityFromEnv({ ...login, DOTPHA_KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/must be one of scram-sha-512, scram-sha-256, plain/);
    expect(() => kafkaSecurityFromEnv({ ...login, DOTPHA_KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/in clear/);
    expect(kafkaSecurityFromEnv({ ...login, DOTPHA_KAFKA_SASL_MECHANISM: 'plain', DOTPHA_KAFKA_TLS: 'true' })).toEqual({
      sasl: { mechanism: 'plain', username: 'hn', password: 's3cret' },
      ssl: true,
    });
    expect(() => kafkaSecurityFromEnv({ DOTPHA_KAFKA_TLS: 'yes' })).toThrow(/true or false/);
  });

  it('TLS trusts the CAs of DOTPHA_KAFKA_TLS_CA_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dotpha-ca-')), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(kafkaSecurityFromEnv({ DOTPHA_KAFKA_TLS_CA_FILE: file })).toEqual({ ssl: { ca: expect.stringContaining('BEGIN CERTIFICATE') } });
  });
});
