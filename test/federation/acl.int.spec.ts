import { join } from 'path';
import type { INestApplication } from '@nestjs/common';
import { type Consumer, Kafka, type SASLOptions, logLevel } from 'kafkajs';
import { type RecordedEvent, topicName } from '@dotpha/kernel';
import { KafkaEventBus } from '@dotpha/event-bus-kafka';
import { type RuntimeConfig, configFromEnv, createServiceApp, kafkaSecurityFromEnv } from '@dotpha/service-runtime';
import { testServers, uniqueName } from '@dotpha/testkit';
import { type SecureKafka, startSecureKafka } from '../infra/secure-kafka-process';
import { ok, request, until } from '../e2e/client';
import { proposalContent } from '../e2e/fixtures';
// The instance's services hosted as `npm start` hosts them, through the platform's own list.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { allServices } from '../../apps/platform/src/services';

/**
 * Three instances on one secured cluster (issue 15): the broker takes only SASL/SCRAM logins and
 * KRaft's StandardAuthorizer holds each user to its ACLs (test/infra/secure-kafka.mjs): an instance
 * writes and reads only its own topics and consumer groups, analytics and other agencies read only
 * the public topics.
 */
const AUTHORIZATION = /not authorized|authorization failed/i;
let kafka: SecureKafka;
/** What the broker said to the clients below: kafkajs keeps some refusals only in its debug lines (FindCoordinator). */
let heard: string[] = [];

function client(user: string): Kafka {
  return new Kafka({
    clientId: `acl-${user}`,
    brokers: [kafka.brokers],
    sasl: { ...kafka.credentials[user] } as SASLOptions,
    retry: { retries: 1 },
    logLevel: logLevel.DEBUG,
    logCreator: () => ({ log }) => {
      const error = (log as { error?: unknown }).error;
      if (error) heard.push(`${log.message}: ${(error as Error).message ?? String(error)}`);
    },
  });
}

/** Every reason a refusal gives: the error, the errors it gathers, their causes, and the client's debug lines. */
async function refusal(attempt: () => Promise<unknown>): Promise<string> {
  heard = [];
  try {
    await attempt();
  } catch (error) {
    const reasons: string[] = [];
    const walk = (e: unknown): void => {
      if (!e || typeof e !== 'object') return;
      const { message, type, errors, cause, originalError } = e as Record<string, unknown>;
      reasons.push(`${String(type ?? '')} ${String(message ?? '')}`);
      if (Array.isArray(errors)) errors.forEach(walk);
      walk(cause);
      walk(originalError);
    };
    walk(error);
    return [...reasons, ...heard].join('\n');
  }
  throw new Error('it was allowed');
}

beforeAll(async () => {
  kafka = await startSecureKafka({ instances: ['hn', 'hcm', 'hp'] });
  process.stderr.write(`[acl] Kafka: ${kafka.kind} at ${kafka.brokers}\n`);
  // The topics the instances' services would have created; the readers may not create any.
  await kafka.createTopics(['hn', 'hcm', 'hp'].flatMap((i) => [topicName(i, 'acl'), topicName(i, 'acl', 'dotpha', 'public')]));
}, 180_000);
afterAll(() => kafka?.stop());

async function produce(user: string, topic: string, value = `from ${user}`): Promise<void> {
  const producer = client(user).producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: user, value }] });
  } finally {
    await producer.disconnect();
  }
}

/** The values on a topic from its start, read in a consumer group of the user's; resolves once `count` came. */
async function consume(user: string, topic: string, group: string, count = 1, ms = 30_000): Promise<string[]> {
  const consumer: Consumer = client(user).consumer({ groupId: group, sessionTimeout: 6_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${user} read ${seen.length} of ${count} on ${topic} in ${ms} ms`)), ms);
      consumer.on(consumer.events.CRASH, ({ payload }) => (clearTimeout(timer), reject(payload.error)));
      void consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(message.value!.toString());
            if (seen.length < count) return;
            clearTimeout(timer);
            resolve();
          },
        })
        .catch(reject);
    });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

async function fetchGroupOffsets(user: string, groupId: string, topic: string): Promise<unknown> {
  const admin = client(user).admin();
  await admin.connect();
  try {
    return await admin.fetchOffsets({ groupId, topics: [topic] });
  } finally {
    await admin.disconnect();
  }
}

describe('one Kafka cluster, three instances, SASL/SCRAM and ACLs (issue 15)', () => {
  it("an instance writes and reads its own topics (internal and public) in its own consumer groups", async () => {
    await produce('hn', topicName('hn', 'acl'));
    await produce('hn', topicName('hn', 'acl', 'dotpha', 'public'));
    expect(await consume('hn', topicName('hn', 'acl'), 'dotpha.hn.acl.projections')).toEqual(['from hn']);
    expect(await fetchGroupOffsets('hn', 'dotpha.hn.acl.projections', topicName('hn', 'acl'))).toBeDefined();
  });

  it.each([
    ["hn writes hcm's internal topic", () => produce('hn', topicName('hcm', 'acl'))],
    ["hn reads hcm's internal topic", () => consume('hn', topicName('hcm', 'acl'), 'dotpha.hn.acl.spy')],
    ["hn writes hp's public topic (another instance's events under its name)", () => produce('hn', topicName('hp', 'acl', 'dotpha', 'public'))],
    ["hn looks into hcm's consumer group", () => fetchGroupOffsets('hn', 'dotpha.hcm.acl.projections', topicName('hn', 'acl'))],
    ["hcm creates a topic in hn's name", async () => {
      const admin = client('hcm').admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic: topicName('hn', 'forged') }] });
      } finally {
        await admin.disconnect();
      }
    }],
    ["analytics reads hn's internal topic", () => consume('analytics', topicName('hn', 'acl'), 'analytics-acl')],
    ["analytics writes a public topic", () => produce('analytics', topicName('hcm', 'acl', 'dotpha', 'public'))],
    ["the subscriber reads hp's internal topic", () => consume('subscriber', topicName('hp', 'acl'), 'subscriber-acl')],
  ])('refused: %s', async (_what, attempt) => {
    expect(await refusal(attempt)).toMatch(AUTHORIZATION);
  });

  it('analytics reads the public topics of every instance, in its own consumer group', async () => {
    await produce('hcm', topicName('hcm', 'acl', 'dotpha', 'public'));
    await produce('hp', topicName('hp', 'acl', 'dotpha', 'public'));
    const read = await Promise.all(['hn', 'hcm', 'hp'].map((i) => consume('analytics', topicName(i, 'acl', 'dotpha', 'public'), `analytics-acl-${i}`)));
    expect(read).toEqual([['from hn'], ['from hcm'], ['from hp']]);
  });

  it("over TLS: the bus on hn's login, trusting the cluster's CA (DOTPHA_KAFKA_TLS_CA_FILE), publishes and reads; a client not trusting it is refused", async () => {
    const { tls } = kafka;
    if (!tls) throw new Error('the secure broker has no TLS listener: openssl (which makes its certificate) is not on PATH');
    const security = kafkaSecurityFromEnv({ ...kafka.env('hn'), DOTPHA_KAFKA_TLS_CA_FILE: tls.caFile });
    const bus = new KafkaEventBus({ brokers: [tls.brokers], security, instance: 'hn', contextOf: (e) => e.streamType });
    try {
      const seen: RecordedEvent[] = [];
      await bus.subscribe({ group: 'hn.tls.projections', contexts: ['tls'], handle: async (e) => void seen.push(e) });
      const at = new Date().toISOString();
      await bus.publish([{
        eventId: `tls-${Date.now()}`, type: 'NoteAdded', version: 1, streamId: 'tls-1', streamType: 'tls', streamPosition: 1, occurredAt: at, recordedAt: at,
        instance: 'hn', actor: { userId: 'u', role: 'proposer' }, correlationId: 'c', causationId: null, classification: 'internal', data: { text: 'over TLS' }, prevHash: '0', hash: '1',
      }]);
      await until(async () => seen.map((e) => e.data), (data) => data.length === 1, 'the event to come back over TLS');
    } finally {
      await bus.close();
    }
    const untrusting = new Kafka({ brokers: [tls.brokers], ssl: true, sasl: { ...kafka.credentials.hn } as SASLOptions, logLevel: logLevel.NOTHING, connectionTimeout: 15_000, retry: { retries: 0 } }).admin();
    await expect(untrusting.connect()).rejects.toThrow(/certificate/i);
  });

  it('no login, or a wrong password, and the broker does not serve at all', async () => {
    const anonymous = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 3000, retry: { retries: 0 } }).admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect();
    // Not `{ ...credentials.hn, password }`: kafkajs keeps its authenticator, bound to the password it was given, on the
    // sasl object of a client (credentials.hn has been through several by now), and a spread would copy it along.
    const { mechanism, username } = kafka.credentials.hn;
    const wrong = new Kafka({ brokers: [kafka.brokers], sasl: { mechanism, username, password: 'guessed' }, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    await expect(wrong.connect().then(() => wrong.listTopics())).rejects.toThrow(/authentication failed/i);
    await wrong.disconnect();
  });
});

describe('an instance running on its own Kafka login (deploy/instances/hn)', () => {
  let app: INestApplication | undefined;
  let config: RuntimeConfig;
  let base = '';

  beforeAll(async () => {
    const root = join(__dirname, '..', '..');
    config = configFromEnv({
      DOTPHA_ORG_FILE: join(root, 'deploy', 'instances', 'hn', 'org.json'),
      DOTPHA_POLICY_FILE: join(root, 'deploy', 'instances', 'hn', 'policy.json'),
      DOTPHA_MONGO_URL: testServers().mongoUrl,
      DOTPHA_DB_PREFIX: uniqueName('acl'),
      // the shared FerretDB answers slowly while other suites run
      DOTPHA_MONGO_TIMEOUT_MS: '15000',
      DOTPHA_READS_PER_MINUTE: '100000',
      ...kafka.env('hn'),
    });
    const { proposals, approvals } = allServices;
    ({ app } = await createServiceApp('Đột Phá (hn)', [proposals, approvals], config));
    await app.listen(0, '127.0.0.1');
    base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1`;
  }, 120_000);
  afterAll(() => app?.close());

  it('a proposal submitted in hn reaches its review through the bus, and its public view reaches analytics', async () => {
    if (config.auth.kind !== 'local') throw new Error('the test signs its own tokens');
    const { issuer } = config.auth;
    const call = async (userId: string, method: string, path: string, body?: unknown, role?: string) =>
      request(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${await issuer.token(userId)}`, 'content-type': 'application/json', ...(role ? { 'x-role': role } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const { proposalId } = ok(await call('u-ccvc-chuyen-vien', 'POST', '/proposals', proposalContent('Liên thông hồ sơ (hn, SASL)')), 201);
    ok(await call('u-ccvc-chuyen-vien', 'POST', `/proposals/${proposalId}/submit`));
    const review = await until(() => call('u-ccvc-truong-phong', 'GET', `/reviews/${proposalId}`, undefined, 'unit-head'), (r) => r.status === 200, 'the review to open in approvals');
    expect(review.body).toMatchObject({ reviewerUnitId: 'hn-snv-ccvc' });
    await until(() => call('u-ccvc-chuyen-vien', 'GET', `/proposals/${proposalId}`), (r) => r.body?.status === 'under-review', 'the proposal to be under review');

    const [published] = (await consume('analytics', topicName('hn', 'proposals', 'dotpha', 'public'), 'analytics-acl-proposals')).map((v) => JSON.parse(v) as RecordedEvent);
    expect(published).toMatchObject({ instance: 'hn', type: 'ProposalSubmitted', streamId: expect.stringContaining(proposalId) });
  }, 120_000);
});
