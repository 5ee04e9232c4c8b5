import { generateKeyPairSync } from 'crypto';
import { auditKeyFromEnv, configFromEnv, newAuditKeyPem } from './config';

describe('the audit key that signs checkpoints (issue 12)', () => {
  const oidc = { DOTPHA_OIDC_ISSUER: 'https://sso.example', DOTPHA_OIDC_AUDIENCE: 'dotpha', DOTPHA_OIDC_JWKS_URL: 'https://sso.example/jwks' };

  it('reads an Ed25519 private key from DOTPHA_AUDIT_KEY', () => {
    const key = auditKeyFromEnv({ DOTPHA_AUDIT_KEY: newAuditKeyPem() });
    expect([key?.type, key?.asymmetricKeyType]).toEqual(['private', 'ed25519']);
  });

  it('refuses another kind of key, a key that is not PEM, and both variables at once', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => auditKeyFromEnv({ DOTPHA_AUDIT_KEY: rsa })).toThrow(/must be an Ed25519 private key, got rsa/);
    expect(() => auditKeyFromEnv({ DOTPHA_AUDIT_KEY: 'not a key' })).toThrow(/DOTPHA_AUDIT_KEY is not a readable PEM private key/);
    expect(() => auditKeyFromEnv({ DOTPHA_AUDIT_KEY: newAuditKeyPem(), DOTPHA_AUDIT_KEY_FILE: '/somewhere' })).toThrow(/not both/);
  });

  it('without a key: a fresh one per process in development, a refusal to start in production', () => {
    expect(auditKeyFromEnv({})).toBeUndefined();
    expect(configFromEnv({}).auditKey).toBeUndefined();
    expect(() => auditKeyFromEnv({ NODE_ENV: 'production' })).toThrow(/production needs the instance audit key.*DOTPHA_AUDIT_KEY.*DOTPHA_AUDIT_KEY_FILE/);
    expect(() => configFromEnv({ NODE_ENV: 'production', ...oidc })).toThrow(/production needs the instance audit key/);
    expect(configFromEnv({ NODE_ENV: 'production', ...oidc, DOTPHA_AUDIT_KEY: newAuditKeyPem() }).auditKey?.asymmetricKeyType).toBe('ed25519');
  });

  it('takes the checkpoint schedule from DOTPHA_CHECKPOINT_EVERY_MINUTES', () => {
    expect(configFromEnv({}).checkpointEveryMinutes).toBeUndefined();
    expect(configFromEnv({ DOTPHA_CHECKPOINT_EVERY_MINUTES: '15' }).checkpointEveryMinutes).toBe(15);
    expect(() => configFromEnv({ DOTPHA_CHECKPOINT_EVERY_MINUTES: '0' })).toThrow(/DOTPHA_CHECKPOINT_EVERY_MINUTES must be a positive whole number/);
  });
});
