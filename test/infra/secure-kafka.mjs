// One Apache Kafka 4.0 broker (KRaft) secured as the federation runs it (issue 15): every client logs in with
// SASL/SCRAM-SHA-512, and KRaft's StandardAuthorizer lets each principal do only what its ACLs allow.
//
//   const kafka = await startSecureKafka({ instances: ['hn', 'hcm', 'hp'] });
//   kafka.brokers                   -> '127.0.0.1:PORT' (listener SASL_PLAINTEXT)
//   kafka.tls                       -> { brokers: '127.0.0.1:PORT2' (listener SASL_SSL), caFile, ca } (a CA made by openssl;
//                                      null, said on the log, where openssl is missing)
//   kafka.admin                     -> { mechanism, username: 'admin', password } (super user)
//   kafka.credentials.hn            -> { mechanism: 'scram-sha-512', username: 'hn', password }   (kafkajs `sasl`: give it a
//                                      copy, { ...credentials.hn }: kafkajs keeps its authenticator, bound to the password,
//                                      on that object, and a later spread of it with another password would log in anyway)
//   kafka.credentials.analytics, .subscriber, and one per name in `readers`
//   kafka.env('hn')                 -> { DOTPHA_KAFKA_BROKERS, DOTPHA_KAFKA_SASL_MECHANISM/USERNAME/PASSWORD }
//   await kafka.createTopics(['dotpha.hn.public.proposals'])   (as admin, e.g. before a reader subscribes)
//   await kafka.stop();
//
// jest runs the tests as CommonJS and cannot import this ES module: test/infra/secure-kafka-process.ts runs it as a
// child process (`node test/infra/secure-kafka.mjs '<options as JSON>'`), which prints one JSON line
// {"event":"ready",brokers,kind,prefix,admin,credentials} (or {"event":"failed",error}) and stops the broker when
// its stdin ends (the test is gone, however it died) or on SIGTERM/SIGINT.
//
// What each principal may do (prefixed ACLs; `prefix` is the topic prefix, default 'dotpha'):
//   instance <i>  topics `<prefix>.<i>.` (its internal and public ones): create, write, read, describe, describe configs;
//                 consumer groups `<prefix>.<i>.`: read, describe. Nothing on another instance's topics or groups.
//   reader <r>    topics `<prefix>.<i>.public.` of every instance: read, describe. Consumer groups starting with `<r>`
//                 (e.g. 'analytics-server', 'subscriber.hn'). It cannot write anywhere nor read an internal topic.
// The broker's own connections (inter-broker SCRAM, controller PLAIN) log in as the super user `admin`; no listener
// accepts an unauthenticated client.
//
// The broker process, its ports and data dir are servers.mjs's restartable broker (same jars, same watchdog): this
// file only adds the security settings, the SCRAM users (written into the storage at format time) and the ACLs.

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, freePorts, startRestartableKafka } from './servers.mjs';

const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

export const SECURE_KAFKA_KIND = 'apache-kafka 4.0.0 (local process, KRaft, SASL/SCRAM-SHA-512 + StandardAuthorizer ACLs)';
const MECHANISM = 'scram-sha-512';
const DEFAULT_READERS = ['analytics', 'subscriber'];

const secret = () => crypto.randomBytes(18).toString('base64url');
const login = (username) => ({ mechanism: MECHANISM, username, password: secret() });

/**
 * A CA and a certificate for 127.0.0.1 signed by it (openssl), in `dir`: ca.pem for the clients to trust, server.pem
 * (unencrypted PKCS#8 key + certificate) as the broker's PEM keystore.
 */
function makeCertificates(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const openssl = (args) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.slice(0, 2).join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  };
  const newKey = (name, subject) => ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-subj', subject];
  openssl([...newKey('ca', '/CN=dotpha test CA'), '-x509', '-days', '2', '-out', 'ca.pem']);
  openssl([...newKey('server', '/CN=127.0.0.1'), '-out', 'server.csr']);
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt']);
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
  fs.writeFileSync(path.join(dir, 'server.pem'), read('server.key') + read('server.crt'));
  return { caFile: path.join(dir, 'ca.pem'), keystore: path.join(dir, 'server.pem') };
}

/**
 * server.properties lines (they override servers.mjs's PLAINTEXT ones) for a broker with ACLs that takes only SASL
 * logins: on `port` in plain TCP (SASL_PLAINTEXT) and on `tls.port` over TLS (SASL_SSL, the certificate of
 * `tls.keystore`).
 */
function securityProperties(admin, tls) {
  const jaas = (module, extra = '') => `${module} required username="${admin.username}" password="${admin.password}"${extra};`;
  const sslListener = tls ? [`SASL_SSL://127.0.0.1:${tls.port}`] : [];
  return (port, controllerPort) => [
    `listeners=${[`SASL_PLAINTEXT://127.0.0.1:${port}`, ...sslListener, `CONTROLLER://127.0.0.1:${controllerPort}`].join(',')}`,
    `advertised.listeners=${[`SASL_PLAINTEXT://127.0.0.1:${port}`, ...sslListener].join(',')}`,
    'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    // clients and the broker itself: SCRAM, the users kept in the cluster metadata
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=${jaas('org.apache.kafka.common.security.scram.ScramLoginModule')}`,
    ...(tls
      ? [
          'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
          'listener.name.sasl_ssl.ssl.keystore.type=PEM',
          `listener.name.sasl_ssl.ssl.keystore.location=${tls.keystore}`,
        ]
      : []),
    // the controller cannot check SCRAM before it has read the metadata: PLAIN with its own user list
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    'sasl.mechanism.controller.protocol=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=${jaas('org.apache.kafka.common.security.plain.PlainLoginModule', ` user_${admin.username}="${admin.password}"`)}`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${admin.username}`,
    'allow.everyone.if.no.acl.found=false',
  ];
}

/** The ACLs of the federation (see the head of this file), as kafkajs createAcls entries. */
export function federationAcls({ instances, readers, prefix = 'dotpha' }) {
  const { AclResourceTypes: R, AclOperationTypes: O, AclPermissionTypes: P, ResourcePatternTypes: T } = requireFromRepo('kafkajs');
  const allow = (user, resourceType, resourceName, operations) =>
    operations.map((operation) => ({
      resourceType,
      resourceName,
      resourcePatternType: T.PREFIXED,
      principal: `User:${user}`,
      host: '*',
      operation,
      permissionType: P.ALLOW,
    }));
  return [
    ...instances.flatMap((i) => [
      ...allow(i, R.TOPIC, `${prefix}.${i}.`, [O.CREATE, O.WRITE, O.READ, O.DESCRIBE, O.DESCRIBE_CONFIGS]),
      ...allow(i, R.GROUP, `${prefix}.${i}.`, [O.READ, O.DESCRIBE]),
    ]),
    ...readers.flatMap((r) => [
      ...instances.flatMap((i) => allow(r, R.TOPIC, `${prefix}.${i}.public.`, [O.READ, O.DESCRIBE])),
      ...allow(r, R.GROUP, r, [O.READ, O.DESCRIBE]),
    ]),
  ];
}

/**
 * Starts the secured broker, its users and ACLs. `instances`: instance codes (each a user writing its own topics);
 * `readers`: users reading every instance's public topics (default analytics and subscriber); `prefix`: the topic
 * prefix the ACLs name (DOTPHA_TOPIC_PREFIX of the services; default 'dotpha').
 */
export async function startSecureKafka({ instances = ['hn', 'hcm', 'hp'], readers = DEFAULT_READERS, prefix = 'dotpha', log } = {}) {
  const names = [...instances, ...readers];
  if (new Set(names).size !== names.length || names.includes('admin')) throw new Error(`user names must be distinct and not 'admin': ${names}`);
  const admin = login('admin');
  const credentials = Object.fromEntries(names.map((n) => [n, login(n)]));
  const scram = (u) => ['--add-scram', `SCRAM-SHA-512=[name=${u.username},password=${u.password}]`];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dotpha-secure-kafka-'));
  const [tlsPort] = await freePorts(1);
  let certificates = null;
  try {
    certificates = makeCertificates(path.join(dataDir, 'tls'));
  } catch (err) {
    // Only the TLS listener needs openssl: the rest of the federation tests run without it.
    (log ?? ((m) => process.stderr.write(`[secure-kafka] ${m}\n`)))(`NO TLS LISTENER: ${err.message}`);
  }
  const broker = await startRestartableKafka({
    dataDir,
    log,
    security: {
      properties: securityProperties(admin, certificates && { port: tlsPort, keystore: certificates.keystore }),
      formatArgs: [admin, ...Object.values(credentials)].flatMap(scram),
      sasl: { ...admin },
    },
  });
  const { Kafka, logLevel } = requireFromRepo('kafkajs');
  const asAdmin = async (work) => {
    const client = new Kafka({ clientId: 'dotpha-secure-kafka', brokers: [broker.brokers], sasl: { ...admin }, logLevel: logLevel.NOTHING }).admin();
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.disconnect().catch(() => {});
    }
  };
  try {
    await asAdmin((a) => a.createAcls({ acl: federationAcls({ instances, readers, prefix }) }));
  } catch (err) {
    await broker.stop();
    throw err;
  }
  return {
    brokers: broker.brokers,
    /** The same broker over TLS (SASL_SSL): its address, and the CA to trust (PEM file and text). */
    tls: certificates && { brokers: `127.0.0.1:${tlsPort}`, caFile: certificates.caFile, ca: fs.readFileSync(certificates.caFile, 'utf8') },
    kind: SECURE_KAFKA_KIND,
    logFile: broker.logFile,
    prefix,
    admin,
    credentials,
    /** The runtime's environment for one user (an instance's services or a reader). */
    env: (user) => {
      const c = user === 'admin' ? admin : credentials[user];
      if (!c) throw new Error(`no Kafka user '${user}'`);
      return {
        DOTPHA_KAFKA_BROKERS: broker.brokers,
        DOTPHA_KAFKA_SASL_MECHANISM: c.mechanism,
        DOTPHA_KAFKA_SASL_USERNAME: c.username,
        DOTPHA_KAFKA_SASL_PASSWORD: c.password,
      };
    },
    /** Creates topics (3 partitions) as the super user; those that exist already are left alone. */
    createTopics: (topics, numPartitions = 3) =>
      asAdmin((a) => a.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions })), waitForLeaders: true })),
    stop: () => broker.stop(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// as a child process of a CommonJS test (see the head of this file)

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  const log = (msg) => process.stderr.write(`[secure-kafka] ${msg}\n`);
  let kafka = null;
  let stopping = null;
  const stopAll = (code) => {
    stopping ??= (async () => {
      await kafka?.stop().catch(() => {});
      process.exit(code);
    })();
    return stopping;
  };
  process.stdin.on('end', () => stopAll(0));
  process.stdin.on('error', () => stopAll(0));
  process.stdin.resume();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stopAll(143));
  try {
    kafka = await startSecureKafka({ ...JSON.parse(process.argv[2] || '{}'), log });
    const { brokers, tls, kind, prefix, admin, credentials, logFile } = kafka;
    send({ event: 'ready', brokers, tls, kind, prefix, admin, credentials, logFile });
  } catch (error) {
    send({ event: 'failed', error: String(error?.stack ?? error) });
    await stopAll(1);
  }
}
