import { configFromEnv, newAuditKeyPem } from './config';

describe('configuration from the environment', () => {
  it('issue 12: production never runs the local issuer, whatever else is set (DOTPHA_ALLOW_LOCAL_ISSUER once let it sign tokens for anyone)', () => {
    const key = { DOTPHA_AUDIT_KEY: newAuditKeyPem() };
    expect(() => configFromEnv({ NODE_ENV: 'production', DOTPHA_ALLOW_LOCAL_ISSUER: '1', ...key })).toThrow(/production needs the instance identity provider/);
    expect(() => configFromEnv({ NODE_ENV: 'production', ...key })).toThrow(/DOTPHA_OIDC_ISSUER/);
    expect(configFromEnv({ ...key }).auth.kind).toBe('local');
  });

  it('issue 12: request budgets are positive whole numbers, each with its own variable', () => {
    const config = configFromEnv({ DOTPHA_COMMANDS_PER_MINUTE: '60', DOTPHA_READS_PER_MINUTE: '600', DOTPHA_AUDIT_PER_MINUTE: '10' });
    expect([config.commandsPerMinute, config.readsPerMinute, config.auditPerMinute]).toEqual([60, 600, 10]);
    expect(() => configFromEnv({ DOTPHA_READS_PER_MINUTE: 'lots' })).toThrow(/DOTPHA_READS_PER_MINUTE must be a positive whole number/);
    expect(() => configFromEnv({ DOTPHA_AUDIT_PER_MINUTE: '0' })).toThrow(/DOTPHA_AUDIT_PER_MINUTE/);
  });
});
