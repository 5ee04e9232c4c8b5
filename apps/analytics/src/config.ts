/** The analytics service's settings (README "The national view"): read from the environment. */
export interface AnalyticsConfig {
  readonly brokers: readonly string[];
  /** SASL/SCRAM credentials for the broker, when it asks for them. */
  readonly sasl?: { readonly mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain'; readonly username: string; readonly password: string };
  readonly ssl?: boolean;
  readonly topicPrefix: string;
  /** The instances to read: a list of codes, or '*' for every instance whose public topics exist. */
  readonly instances: readonly string[] | '*';
  readonly groupId: string;
  readonly mongoUrl: string;
  readonly database: string;
  /** Registrations a unit owes a year (Decree 73 Art. 5; an instance's minRegistrationsPerYear), by instance. */
  readonly quota: (instance: string) => number;
  readonly holidays: readonly string[];
  readonly timeZone: string;
  /** How often to look for the public topics of instances that appeared since (pattern mode). */
  readonly discoverEveryMs: number;
  /** The operator's bearer token for POST /api/v1/analytics/replay (unset: no replay over HTTP). */
  readonly adminToken?: string;
  readonly port: number;
  readonly host: string;
  readonly log?: (message: string) => void;
}

const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function analyticsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const brokers = list(env.DOTPHA_KAFKA_BROKERS);
  if (brokers.length === 0) throw new Error('DOTPHA_KAFKA_BROKERS is required: analytics reads the instances\' public topics');
  const mongoUrl = env.DOTPHA_ANALYTICS_MONGO_URL ?? env.DOTPHA_MONGO_URL;
  if (!mongoUrl) throw new Error('DOTPHA_ANALYTICS_MONGO_URL (or DOTPHA_MONGO_URL) is required: analytics keeps its read models in MongoDB');
  const topicPrefix = env.DOTPHA_TOPIC_PREFIX ?? 'dotpha';
  const instances = list(env.DOTPHA_ANALYTICS_INSTANCES ?? '*');
  const quotaSetting = env.DOTPHA_ANALYTICS_QUOTA ?? '1';
  const quotas: Record<string, number> = /^\d+$/.test(quotaSetting) ? {} : JSON.parse(quotaSetting);
  const defaultQuota = /^\d+$/.test(quotaSetting) ? Number(quotaSetting) : (quotas['*'] ?? 1);
  const mechanism = env.DOTPHA_KAFKA_SASL_MECHANISM?.toLowerCase();
  return {
    brokers,
    sasl: mechanism ? { mechanism: mechanism as never, username: env.DOTPHA_KAFKA_SASL_USERNAME ?? '', password: env.DOTPHA_KAFKA_SASL_PASSWORD ?? '' } : undefined,
    ssl: env.DOTPHA_KAFKA_TLS === 'true' || undefined,
    topicPrefix,
    instances: instances.length === 0 || instances.includes('*') ? '*' : instances,
    // The secured cluster's ACLs let the analytics user use consumer groups whose id starts with its name.
    groupId: env.DOTPHA_ANALYTICS_GROUP ?? 'analytics',
    mongoUrl,
    database: env.DOTPHA_ANALYTICS_DB ?? `${env.DOTPHA_DB_PREFIX ?? 'dotpha'}_analytics`,
    quota: (instance) => quotas[instance] ?? defaultQuota,
    holidays: list(env.DOTPHA_ANALYTICS_HOLIDAYS),
    timeZone: env.DOTPHA_ANALYTICS_TIME_ZONE ?? 'Asia/Ho_Chi_Minh',
    discoverEveryMs: Number(env.DOTPHA_ANALYTICS_DISCOVER_MS ?? 30_000),
    adminToken: env.DOTPHA_ANALYTICS_ADMIN_TOKEN || undefined,
    port: Number(env.PORT ?? 3100),
    host: env.HOST ?? '127.0.0.1',
  };
}

/** The public topic contexts (docs/asyncapi.json's channels). */
export const PUBLIC_CONTEXTS = ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards'] as const;

/** The public topics to read: each listed instance's, or every instance's. */
export function publicTopicPattern(config: Pick<AnalyticsConfig, 'topicPrefix' | 'instances'>): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const instance = config.instances === '*' ? '[a-z0-9-]+' : `(?:${config.instances.map(escape).join('|')})`;
  return new RegExp(`^${escape(config.topicPrefix)}\\.${instance}\\.public\\.(?:${PUBLIC_CONTEXTS.join('|')})$`);
}
