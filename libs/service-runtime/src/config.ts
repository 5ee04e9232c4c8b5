import { type KeyObject, createPrivateKey, generateKeyPairSync } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { InProcessBroker } from '@dotpha/event-bus-in-process';
import { KAFKA_SASL_MECHANISMS, type KafkaSaslMechanism, type KafkaSecurity } from '@dotpha/event-bus-kafka';
import { type AuthConfig, LocalIssuer } from './auth';
import { type InstancePolicy, type OrgChart, type PolicyInput, loadOrgChart, policyFrom } from '@dotpha/org';

export type StorageConfig =
  | { readonly kind: 'embedded'; readonly dataDir: string }
  /** Databases are named `<databasePrefix>_<instance>_<service>`. */
  | { readonly kind: 'mongodb'; readonly url: string; readonly databasePrefix?: string; readonly timeouts?: MongoTimeouts };

/**
 * How long the MongoDB driver waits before a request fails (issue 16): with the driver's defaults
 * a database outage held every request 30 s (server selection) before a 500. Short, a request
 * fails within seconds and is answered 503 STORE_UNAVAILABLE (http.ts); the driver keeps
 * monitoring the server and the service recovers by itself when it is back.
 */
export interface MongoTimeouts {
  /** Waiting for a usable server (selection) and for a new connection; DOTPHA_MONGO_TIMEOUT_MS. */
  readonly selectionMs: number;
  /** One operation's silence on an open connection (a frozen server, a lost network); DOTPHA_MONGO_SOCKET_TIMEOUT_MS. */
  readonly socketMs: number;
}

export const DEFAULT_MONGO_TIMEOUTS: MongoTimeouts = { selectionMs: 2000, socketMs: 30_000 };

/** The driver options of a service's MongoDB connection (mongoose.createConnection). */
export function mongoConnectionOptions(timeouts: MongoTimeouts = DEFAULT_MONGO_TIMEOUTS): {
  serverSelectionTimeoutMS: number; connectTimeoutMS: number; socketTimeoutMS: number; heartbeatFrequencyMS: number; waitQueueTimeoutMS: number;
} {
  return {
    serverSelectionTimeoutMS: timeouts.selectionMs,
    connectTimeoutMS: timeouts.selectionMs,
    socketTimeoutMS: timeouts.socketMs,
    // The monitor notices the server back (or gone) this often: recovery within about this much.
    heartbeatFrequencyMS: Math.max(500, Math.min(timeouts.selectionMs, 10_000)),
    // A request waiting for a pooled connection gives up like one waiting for the server.
    waitQueueTimeoutMS: timeouts.selectionMs,
  };
}

export type BusConfig =
  | { readonly kind: 'in-process'; readonly broker: InProcessBroker }
  | { readonly kind: 'kafka'; readonly brokers: readonly string[]; readonly topicPrefix?: string; readonly security?: KafkaSecurity };

/** Everything a service needs to run in one instance (one province or city). */
export interface RuntimeConfig {
  readonly instance: string;
  readonly org: OrgChart;
  readonly policy: InstancePolicy;
  readonly storage: StorageConfig;
  readonly bus: BusConfig;
  readonly auth: AuthConfig;
  /** Instances whose events this service may read besides its own (explicit cross-instance subscribers). */
  readonly crossInstances?: readonly string[];
  readonly now?: () => Date;
  /** Commands one caller may send a minute; default 120. */
  readonly commandsPerMinute?: number;
  /** Reads one caller may send a minute; default 1200. */
  readonly readsPerMinute?: number;
  /** Audit-trail reads one caller may send a minute (each recomputes a hash chain); default 30. */
  readonly auditPerMinute?: number;
  /**
   * The instance's Ed25519 key that signs the stores' checkpoints (issue 12). Unset: a fresh key
   * per process (development only; configFromEnv refuses to start in production without one).
   */
  readonly auditKey?: KeyObject;
  /** Minutes between scheduled checkpoints (skipped while nothing changed); default 60. */
  readonly checkpointEveryMinutes?: number;
  /** E-mail of the notices (issue 14): an SMTP server and the sender; none, notices stay in the console. */
  readonly mail?: MailConfig;
  /** The process's log; fields go along as fields (JSON lines with runService, see observability/logging.ts). */
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** `url`: smtp://[user:password@]host:port (STARTTLS when offered) or smtps:// (TLS from the start), as nodemailer reads it. */
export interface MailConfig {
  readonly url: string;
  readonly from: string;
}

export const SAMPLE_ORG_FILE = join(__dirname, '..', '..', 'org', 'data', 'sample-province.json');

/**
 * Reads the configuration from the environment (README "Configuration"):
 * DOTPHA_ORG_FILE, DOTPHA_POLICY (JSON) or DOTPHA_POLICY_FILE (a file of it), DOTPHA_MONGO_URL, DOTPHA_KAFKA_BROKERS, DOTPHA_DATA_DIR,
 * DOTPHA_TOPIC_PREFIX, DOTPHA_DB_PREFIX, DOTPHA_CROSS_INSTANCES, DOTPHA_OIDC_ISSUER /
 * DOTPHA_OIDC_AUDIENCE / DOTPHA_OIDC_JWKS_URL / DOTPHA_OIDC_CLIENT_ID (the console's client; else a local issuer, keyed by
 * DOTPHA_LOCAL_ISSUER_KEY when several processes must share it), DOTPHA_AUDIT_KEY /
 * DOTPHA_AUDIT_KEY_FILE (the checkpoint signing key), DOTPHA_CHECKPOINT_EVERY_MINUTES,
 * DOTPHA_MONGO_TIMEOUT_MS / DOTPHA_MONGO_SOCKET_TIMEOUT_MS (MongoTimeouts), DOTPHA_KAFKA_SASL_* /
 * DOTPHA_KAFKA_TLS* (kafkaSecurityFromEnv), DOTPHA_SMTP_URL / DOTPHA_SMTP_FROM (mailFromEnv). Without a MongoDB URL and Kafka brokers it runs on the embedded store and
 * the in-process bus.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, broker?: InProcessBroker): RuntimeConfig {
  const org = loadOrgChart(JSON.parse(readFileSync(env.DOTPHA_ORG_FILE || SAMPLE_ORG_FILE, 'utf8')));
  if (env.DOTPHA_POLICY && env.DOTPHA_POLICY_FILE) throw new Error('set DOTPHA_POLICY or DOTPHA_POLICY_FILE, not both');
  const policyJson = env.DOTPHA_POLICY || (env.DOTPHA_POLICY_FILE && readFileSync(env.DOTPHA_POLICY_FILE, 'utf8'));
  const policy = policyFrom(policyJson ? (JSON.parse(policyJson) as PolicyInput) : {});
  const storage: StorageConfig = env.DOTPHA_MONGO_URL
    ? { kind: 'mongodb', url: env.DOTPHA_MONGO_URL, databasePrefix: env.DOTPHA_DB_PREFIX || undefined, timeouts: {
      selectionMs: count(env.DOTPHA_MONGO_TIMEOUT_MS, 'DOTPHA_MONGO_TIMEOUT_MS') ?? DEFAULT_MONGO_TIMEOUTS.selectionMs,
      socketMs: count(env.DOTPHA_MONGO_SOCKET_TIMEOUT_MS, 'DOTPHA_MONGO_SOCKET_TIMEOUT_MS') ?? DEFAULT_MONGO_TIMEOUTS.socketMs,
    } }
    : { kind: 'embedded', dataDir: env.DOTPHA_DATA_DIR || join(process.cwd(), '.data', org.instance.code) };
  const bus: BusConfig = env.DOTPHA_KAFKA_BROKERS
    ? { kind: 'kafka', brokers: env.DOTPHA_KAFKA_BROKERS.split(','), topicPrefix: env.DOTPHA_TOPIC_PREFIX || undefined, security: kafkaSecurityFromEnv(env) }
    : { kind: 'in-process', broker: broker ?? new InProcessBroker() };
  const crossInstances = env.DOTPHA_CROSS_INSTANCES ? env.DOTPHA_CROSS_INSTANCES.split(',').filter(Boolean) : [];
  const auth = authFromEnv(env);
  return { instance: org.instance.code, org, policy, storage, bus, auth, crossInstances,
    auditKey: auditKeyFromEnv(env),
    checkpointEveryMinutes: count(env.DOTPHA_CHECKPOINT_EVERY_MINUTES, 'DOTPHA_CHECKPOINT_EVERY_MINUTES'),
    commandsPerMinute: count(env.DOTPHA_COMMANDS_PER_MINUTE, 'DOTPHA_COMMANDS_PER_MINUTE'),
    readsPerMinute: count(env.DOTPHA_READS_PER_MINUTE, 'DOTPHA_READS_PER_MINUTE'),
    auditPerMinute: count(env.DOTPHA_AUDIT_PER_MINUTE, 'DOTPHA_AUDIT_PER_MINUTE'),
    ...mailFromEnv(env, org.instance.code),
    log: (m) => process.stderr.write(`${m}\n`) };
}

/** DOTPHA_SMTP_URL (smtp:// or smtps://) and DOTPHA_SMTP_FROM (default no-reply@<instance>.invalid): unset, no e-mail. */
export function mailFromEnv(env: NodeJS.ProcessEnv, instance: string): { mail?: MailConfig } {
  const { DOTPHA_SMTP_URL: url, DOTPHA_SMTP_FROM: from } = env;
  if (!url) {
    if (from) throw new Error('DOTPHA_SMTP_FROM needs DOTPHA_SMTP_URL');
    return {};
  }
  if (!/^smtps?:\/\/[^/\s]+/.test(url)) throw new Error('DOTPHA_SMTP_URL must be smtp://[user:password@]host:port or smtps://...');
  return { mail: { url, from: from || `no-reply@${instance}.invalid` } };
}

/**
 * The instance's login to a secured Kafka cluster (issue 15): DOTPHA_KAFKA_SASL_USERNAME and
 * DOTPHA_KAFKA_SASL_PASSWORD (together), DOTPHA_KAFKA_SASL_MECHANISM (scram-sha-512 by default,
 * scram-sha-256, or plain: only over TLS), DOTPHA_KAFKA_TLS=true (system CAs) and/or
 * DOTPHA_KAFKA_TLS_CA_FILE (a PEM file of the CAs to trust; implies TLS). Unset: no login, no TLS.
 */
export function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv): KafkaSecurity | undefined {
  const { DOTPHA_KAFKA_SASL_MECHANISM: mechanism, DOTPHA_KAFKA_SASL_USERNAME: username, DOTPHA_KAFKA_SASL_PASSWORD: password } = env;
  const { DOTPHA_KAFKA_TLS: tls, DOTPHA_KAFKA_TLS_CA_FILE: caFile } = env;
  if (tls && !['true', 'false'].includes(tls)) throw new Error(`DOTPHA_KAFKA_TLS must be true or false, got '${tls}'`);
  const ssl = caFile ? { ca: readFileSync(caFile, 'utf8') } : tls === 'true' || undefined;
  if (!mechanism && !username && !password) return ssl ? { ssl } : undefined;
  if (!username || !password) throw new Error('DOTPHA_KAFKA_SASL_USERNAME and DOTPHA_KAFKA_SASL_PASSWORD go together');
  const chosen = (mechanism || 'scram-sha-512').toLowerCase() as KafkaSaslMechanism;
  if (!KAFKA_SASL_MECHANISMS.includes(chosen)) throw new Error(`DOTPHA_KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}, got '${mechanism}'`);
  // PLAIN sends the password itself: never over an unencrypted connection.
  if (chosen === 'plain' && !ssl) throw new Error('DOTPHA_KAFKA_SASL_MECHANISM=plain sends the password in clear: set DOTPHA_KAFKA_TLS=true or DOTPHA_KAFKA_TLS_CA_FILE');
  return { sasl: { mechanism: chosen, username, password }, ...(ssl ? { ssl } : {}) };
}

function authFromEnv(env: NodeJS.ProcessEnv): AuthConfig {
  const { DOTPHA_OIDC_ISSUER: issuer, DOTPHA_OIDC_AUDIENCE: audience, DOTPHA_OIDC_JWKS_URL: jwksUrl } = env;
  if (issuer || audience || jwksUrl) {
    if (!issuer || !audience || !jwksUrl) throw new Error('DOTPHA_OIDC_ISSUER, DOTPHA_OIDC_AUDIENCE and DOTPHA_OIDC_JWKS_URL go together');
    return { kind: 'oidc', issuer, audience, jwksUrl, ...(env.DOTPHA_OIDC_CLIENT_ID ? { clientId: env.DOTPHA_OIDC_CLIENT_ID } : {}) };
  }
  // No escape hatch: a local issuer signs a token for anyone who asks, so production never runs one.
  if (env.NODE_ENV === 'production') {
    throw new Error('production needs the instance identity provider: set DOTPHA_OIDC_ISSUER, DOTPHA_OIDC_AUDIENCE and DOTPHA_OIDC_JWKS_URL');
  }
  return { kind: 'local', issuer: env.DOTPHA_LOCAL_ISSUER_KEY ? LocalIssuer.fromPem(env.DOTPHA_LOCAL_ISSUER_KEY) : new LocalIssuer() };
}

/**
 * The checkpoint signing key: DOTPHA_AUDIT_KEY (PEM, PKCS#8 Ed25519 private key) or
 * DOTPHA_AUDIT_KEY_FILE (a file holding it). Production never signs with a key made up at start:
 * a checkpoint is only worth the key another agency knows the instance by.
 */
export function auditKeyFromEnv(env: NodeJS.ProcessEnv): KeyObject | undefined {
  const { DOTPHA_AUDIT_KEY: pem, DOTPHA_AUDIT_KEY_FILE: file } = env;
  if (pem && file) throw new Error('set DOTPHA_AUDIT_KEY or DOTPHA_AUDIT_KEY_FILE, not both');
  if (!pem && !file) {
    if (env.NODE_ENV === 'production') {
      throw new Error('production needs the instance audit key that signs checkpoints: set DOTPHA_AUDIT_KEY (PEM, PKCS#8 Ed25519 private key) or DOTPHA_AUDIT_KEY_FILE (a file holding it); make one with `openssl genpkey -algorithm ed25519`');
    }
    return undefined;
  }
  const source = pem ? 'DOTPHA_AUDIT_KEY' : `DOTPHA_AUDIT_KEY_FILE (${file})`;
  let key: KeyObject;
  try {
    key = createPrivateKey(pem ?? readFileSync(file!, 'utf8'));
  } catch (error) {
    throw new Error(`${source} is not a readable PEM private key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source} must be an Ed25519 private key, got ${key.asymmetricKeyType}`);
  return key;
}

/** A new Ed25519 signing key as PEM (PKCS#8), e.g. for DOTPHA_AUDIT_KEY of local processes. */
export function newAuditKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

let processAuditKey: KeyObject | undefined;

/** The key a service signs checkpoints with: the configured one, else one fresh key for the whole process. */
export function auditKeyOf(config: RuntimeConfig): KeyObject {
  return config.auditKey ?? (processAuditKey ??= generateKeyPairSync('ed25519').privateKey);
}

function count(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got '${value}'`);
  return n;
}
