// Real Kafka + MongoDB-compatible servers for the test run (see /work/shared/docs/INFRA.md).
//
//   const servers = await startServers({ log });
//   servers.kafka  -> { brokers: '127.0.0.1:PORT', kind: '...' }
//   servers.mongo  -> { url: 'mongodb://127.0.0.1:PORT/', kind: '...' }
//   await servers.stop();
//
// Choice, automatic:
//   - a Docker engine answers (`docker info`)  -> testcontainers: apache/kafka:4.0.0 + mongo:7 (1-node replica set)
//   - otherwise                                 -> local processes: Apache Kafka 4.0.0 broker (KRaft, jars from
//                                                  Maven Central) + FerretDB 1.24.0 (sqlite backend, built with Go)
//   - if the real Kafka broker cannot be started and `kcat` is on PATH -> librdkafka mock cluster, with a loud
//     warning and a kind string that says so.
// Overrides: DOTPHA_INFRA=local|docker, DOTPHA_CACHE (default ~/.cache/dotpha),
//            DOTPHA_INFRA_KEEP_TMP=1 (keep the temp dir with logs/data after stop),
//            DOTPHA_INFRA_FORCE_KAFKA_MOCK=1 (only to exercise the fallback path).
//
// Everything needed is installed on first use, idempotently, into the cache dir (never into the repo).
// Children run in their own process groups; stop(), signals, process exit and a watchdog process (for when this
// process is SIGKILLed) all make sure no broker is left running and the temp dir is removed.

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from './local-http.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

const KAFKA_VERSION = '4.0.0';
const FERRETDB_VERSION = '1.24.0';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const FALLBACK_GO_TOOLCHAIN = 'go1.24.3';
const MONGO_JAVA_SERVER_VERSION = '1.46.0';

export const KINDS = {
  kafkaLocal: `apache-kafka ${KAFKA_VERSION} (local process, KRaft)`,
  kafkaContainer: `apache-kafka ${KAFKA_VERSION} (container apache/kafka:${KAFKA_VERSION}, KRaft)`,
  kafkaMock:
    'librdkafka mock cluster via kcat (NOT a real broker: no admin createTopics, no idempotent producer, no transactions)',
  mongoLocal: `FerretDB ${FERRETDB_VERSION} (sqlite, local process)`,
  mongoJava: `mongo-java-server ${MONGO_JAVA_SERVER_VERSION} (in-memory, local process)`,
  mongoContainer: 'MongoDB 7 (container mongo:7, 1-node replica set rs0)',
};

const defaultLog = (msg) => process.stderr.write(`[infra] ${msg}\n`);

export function cacheDir() {
  return process.env.DOTPHA_CACHE || path.join(os.homedir(), '.cache', 'dotpha');
}

// ---------------------------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves true when `promise` settles within ms, false otherwise; the timer keeps the process alive meanwhile
 * (children are unref'd) and is cleared as soon as the promise wins, so it never delays the process exit. */
function settlesWithin(promise, ms) {
  let timer;
  return Promise.race([
    promise.then(() => true),
    new Promise((r) => (timer = setTimeout(() => r(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

function tail(file, lines = 60) {
  try {
    const text = fs.readFileSync(file, 'utf8').split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Free TCP ports on 127.0.0.1, distinct from each other: the shared helper's (local-http.js). */
export { freePorts };

/** Runs a command to completion, output appended to logFile. Resolves to the exit code. */
function runLogged(cmd, args, { logFile, env, cwd } = {}) {
  return new Promise((resolve) => {
    const fd = fs.openSync(logFile, 'a');
    fs.writeSync(fd, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env }, cwd });
    child.on('error', (err) => {
      fs.writeSync(fd, `spawn error: ${err.message}\n`);
      fs.closeSync(fd);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      fs.closeSync(fd);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// installation (idempotent, into the cache dir)

/** Builds `dir` in a temporary sibling with `build(tmp)`, then renames it into place. */
async function installInto(dir, build) {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    await build(tmp);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  try {
    fs.renameSync(tmp, dir); // atomic; a concurrent run may have won the race, which is fine
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** `mvn dependency:copy-dependencies` of one of the poms here into `outputDirectory`; returns the exit code. */
function mavenCopyDependencies(pom, outputDirectory, logFile) {
  return runLogged('mvn', ['-q', '-B', '-f', path.join(HERE, pom), 'dependency:copy-dependencies', `-DoutputDirectory=${outputDirectory}`], { logFile });
}

async function ensureKafkaJars({ log }) {
  const dir = path.join(cacheDir(), `kafka-${KAFKA_VERSION}`, 'libs');
  if (fs.existsSync(path.join(dir, `kafka_2.13-${KAFKA_VERSION}.jar`))) return dir;
  if (!which('mvn')) throw new Error('Maven (mvn) is needed to fetch the Kafka broker jars and is not on PATH');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const logFile = path.join(cacheDir(), 'mvn.log');
  log(`installing Apache Kafka ${KAFKA_VERSION} broker jars with Maven into ${dir} (log: ${logFile})`);
  await installInto(dir, async (tmp) => {
    const rc = await mavenCopyDependencies(path.join('kafka', 'pom.xml'), tmp, logFile);
    if (rc !== 0 || !fs.existsSync(path.join(tmp, `kafka_2.13-${KAFKA_VERSION}.jar`))) {
      throw new Error(`mvn copy-dependencies failed (rc=${rc}); tail of ${logFile}:\n${tail(logFile)}`);
    }
  });
  return dir;
}

function ferretdbWorks(bin) {
  if (!fs.existsSync(bin)) return false;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 && r.stdout.includes(`version: v${FERRETDB_VERSION}`);
}

// A plain `go install .../cmd/ferretdb@v1.24.0` builds a binary that panics at start: FerretDB embeds
// build/version/version.txt, which is generated from git and absent from the module zip. So: download the module
// (go mod download), copy it to a temp dir, write version.txt/commit.txt/package.txt, and `go build` from there.
async function ensureFerretdb({ log }) {
  const binDir = path.join(cacheDir(), 'bin');
  const bin = path.join(binDir, 'ferretdb');
  if (ferretdbWorks(bin)) return bin;
  if (!which('go')) throw new Error('Go is needed to build FerretDB and is not on PATH');
  fs.mkdirSync(binDir, { recursive: true });
  const logFile = path.join(cacheDir(), 'ferretdb-build.log');
  log(`building FerretDB ${FERRETDB_VERSION} with Go into ${bin} (takes a few minutes once; log: ${logFile})`);

  for (const toolchain of [null, FALLBACK_GO_TOOLCHAIN]) {
    const env = toolchain ? { GOTOOLCHAIN: toolchain } : {};
    if (toolchain) log(`retrying the FerretDB build with GOTOOLCHAIN=${toolchain}`);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dotpha-ferretdb-build-'));
    try {
      const dl = spawnSync('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@v${FERRETDB_VERSION}`], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, ...env },
        maxBuffer: 16 << 20,
      });
      fs.appendFileSync(logFile, `\n$ go mod download ${FERRETDB_MODULE}@v${FERRETDB_VERSION}\n${dl.stdout}${dl.stderr}\n`);
      let info;
      try {
        info = JSON.parse(dl.stdout);
      } catch {
        continue;
      }
      if (dl.status !== 0 || !info.Dir) continue;

      const src = path.join(work, 'src');
      fs.cpSync(info.Dir, src, { recursive: true });
      spawnSync('chmod', ['-R', 'u+w', src]); // the module cache is read-only
      const versionDir = path.join(src, 'build', 'version');
      fs.writeFileSync(path.join(versionDir, 'version.txt'), `v${FERRETDB_VERSION}\n`);
      if (info.Origin?.Hash) fs.writeFileSync(path.join(versionDir, 'commit.txt'), `${info.Origin.Hash}\n`);
      fs.writeFileSync(path.join(versionDir, 'package.txt'), 'dotpha-test\n');

      const out = `${bin}.tmp-${process.pid}`;
      const rc = await runLogged('go', ['build', '-buildvcs=false', '-trimpath', '-o', out, './cmd/ferretdb'], {
        logFile,
        cwd: src,
        env,
      });
      if (rc === 0 && ferretdbWorks(out)) {
        fs.renameSync(out, bin);
        return bin;
      }
      fs.rmSync(out, { force: true });
    } finally {
      spawnSync('chmod', ['-R', 'u+w', work]);
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  throw new Error(`could not build FerretDB ${FERRETDB_VERSION}; tail of ${logFile}:\n${tail(logFile)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// process bookkeeping: every child gets its own process group, recorded for stop(), signals, exit and the watchdog

function createProcessSet(tmpDir) {
  const procs = new Set();
  const pgidFile = path.join(tmpDir, '.pgids');
  const write = () => {
    try {
      fs.writeFileSync(pgidFile, [...procs].map((c) => c.pid).join(' ') + '\n');
    } catch {
      /* temp dir gone */
    }
  };
  return {
    pgidFile,
    spawn(cmd, args, { logFile, env, cwd }) {
      const fd = fs.openSync(logFile, 'a');
      const child = spawn(cmd, args, {
        detached: true, // own process group, so Ctrl-C in the terminal is handled by us, and we can kill -PGID
        stdio: ['ignore', fd, fd],
        env: { ...process.env, ...env },
        cwd,
      });
      fs.closeSync(fd);
      child.exited = new Promise((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
        child.once('error', (err) => resolve({ code: 127, signal: null, error: err }));
      });
      child.unref(); // never keep the event loop alive by itself
      if (child.pid) {
        procs.add(child);
        write();
        child.exited.then(() => {
          procs.delete(child);
          write();
        });
      }
      return child;
    },
    killAllSync(signal = 'SIGKILL') {
      for (const c of procs) {
        try {
          process.kill(-c.pid, signal);
        } catch {
          /* already gone */
        }
      }
    },
    async kill(child, graceMs = 5000) {
      if (!procs.has(child)) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const done = await settlesWithin(child.exited, graceMs);
      if (!done) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        await settlesWithin(child.exited, 2000);
      }
      // the group may still hold stragglers if the leader died first
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
  };
}

/** A detached shell that outlives us if we are SIGKILLed. It holds the read end of a pipe whose write end only
 * this process has: EOF means we are gone (even as an unreaped zombie, which `kill -0` would still report alive),
 * and it then kills the recorded process groups and removes the temp dir. stop() kills it first. */
function startWatchdog(pgidFile, tmpDir) {
  const script = `
    cat >/dev/null
    for g in $(cat '${pgidFile}' 2>/dev/null); do kill -KILL -$g 2>/dev/null; done
    ${process.env.DOTPHA_INFRA_KEEP_TMP === '1' ? '' : `rm -rf '${tmpDir}'`}
  `;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.on('error', () => {}); // EPIPE if the watchdog is already gone
  child.unref(); // the idle pipe does not keep the event loop alive either
  return child;
}

// ---------------------------------------------------------------------------------------------------------------
// readiness probes

function kafkajs() {
  return requireFromRepo('kafkajs');
}

// The group and transaction coordinators load lazily (first FindCoordinator creates __consumer_offsets /
// __transaction_state); doing that here keeps "coordinator is loading" retries out of the first test's timings.
async function warmUpCoordinators(kafka, admin, topic, deadline) {
  const retry = async (what, fn) => {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`${what}: ${err.message}`);
        await sleep(200);
      }
    }
  };
  await retry('describeGroups', () => admin.describeGroups(['dotpha-infra-probe']));
  await retry('transactional producer', async () => {
    const producer = kafka.producer({
      transactionalId: `dotpha-infra-probe-${process.pid}`,
      maxInFlightRequests: 1,
      idempotent: true,
      retry: { retries: 5, initialRetryTime: 100 },
    });
    try {
      await producer.connect();
      const tx = await producer.transaction();
      await tx.send({ topic, messages: [{ value: 'probe' }] });
      await tx.commit();
    } finally {
      await producer.disconnect().catch(() => {});
    }
  });
}

async function waitForKafka(brokers, { child, logFile, timeoutMs, checkCreateTopics, sasl }) {
  const { Kafka, logLevel } = kafkajs();
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  let exited = null;
  child?.exited.then((e) => (exited = e));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Kafka process exited early (${JSON.stringify(exited)}); tail of ${logFile}:\n${tail(logFile)}`);
    const kafka = new Kafka({
      clientId: 'dotpha-infra-probe',
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 5000,
      retry: { retries: 0 },
      sasl,
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      if (checkCreateTopics) {
        const topic = `dotpha-infra-probe-${crypto.randomBytes(4).toString('hex')}`;
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true, timeout: 10_000 });
        const topics = await admin.listTopics();
        if (!topics.includes(topic)) throw new Error(`created topic ${topic} is not listed`);
        await warmUpCoordinators(kafka, admin, topic, deadline);
        await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
      }
      return;
    } catch (err) {
      lastErr = err;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(
    `Kafka at ${brokers} not ready after ${timeoutMs} ms (last error: ${lastErr?.message}); tail of ${logFile}:\n${tail(logFile)}`,
  );
}

async function waitForMongo(url, { child, logFile, timeoutMs, needPrimary = false }) {
  const mongoose = requireFromRepo('mongoose');
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  let exited = null;
  child?.exited.then((e) => (exited = e));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`MongoDB-compatible process exited early (${JSON.stringify(exited)}); tail of ${logFile}:\n${tail(logFile)}`);
    const conn = mongoose.createConnection(url, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
    try {
      await conn.asPromise();
      const admin = conn.db.admin();
      await admin.ping();
      if (needPrimary) {
        const hello = await admin.command({ hello: 1 });
        if (!hello.isWritablePrimary) throw new Error('not primary yet');
      }
      return;
    } catch (err) {
      lastErr = err;
    } finally {
      await conn.close(true).catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(`MongoDB at ${url} not ready after ${timeoutMs} ms (last error: ${lastErr?.message}); tail of ${logFile}:\n${tail(logFile)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// local processes

/**
 * A KRaft broker's files in `dir` (log4j settings, server.properties, kafka.log) and how to run it: `writeProps`
 * writes server.properties for the ports and the data directory, `format` formats that storage as a new cluster,
 * `args` runs the broker. `security` (secure-kafka.mjs): `properties(port, controllerPort)` lines appended to
 * server.properties (a later key wins), `formatArgs` for the format (SCRAM users), `sasl` the probes' kafkajs login.
 */
function kafkaFiles({ libs, dir, security }) {
  const logFile = path.join(dir, 'kafka.log');
  const log4j = path.join(dir, 'log4j.properties');
  fs.writeFileSync(
    log4j,
    [
      'log4j.rootLogger=INFO, out',
      'log4j.appender.out=org.apache.log4j.ConsoleAppender',
      'log4j.appender.out.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.org.apache.kafka.common.config.AbstractConfig=WARN',
      'log4j.logger.kafka.server.KafkaConfig=WARN',
      '',
    ].join('\n'),
  );
  const cp = `${libs}${path.sep}*`;
  const jvm = [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${log4j}`,
    `-Dkafka.logs.dir=${dir}`,
  ];
  const props = path.join(dir, 'server.properties');
  return {
    logFile,
    sasl: security?.sasl,
    args: [...jvm, '-cp', cp, 'kafka.Kafka', props],
    writeProps(port, controllerPort, logDirs) {
      fs.writeFileSync(
        props,
        [
          'process.roles=broker,controller',
          'node.id=1',
          `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
          `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
          'inter.broker.listener.name=PLAINTEXT',
          'controller.listener.names=CONTROLLER',
          'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
          `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
          `log.dirs=${logDirs}`,
          // one node: every replication factor / ISR is 1
          'offsets.topic.replication.factor=1',
          'offsets.topic.num.partitions=5',
          'transaction.state.log.replication.factor=1',
          'transaction.state.log.min.isr=1',
          'transaction.state.log.num.partitions=5',
          'share.coordinator.state.topic.replication.factor=1',
          'share.coordinator.state.topic.min.isr=1',
          'default.replication.factor=1',
          'min.insync.replicas=1',
          // fast test behaviour
          'group.initial.rebalance.delay.ms=0',
          'group.min.session.timeout.ms=1000',
          'num.partitions=3',
          'auto.create.topics.enable=true',
          'delete.topic.enable=true',
          'num.network.threads=2',
          'num.io.threads=4',
          'log.cleaner.dedupe.buffer.size=8388608',
          ...(security?.properties(port, controllerPort) ?? []),
          '',
        ].join('\n'),
      );
    },
    async format() {
      // A Kafka Uuid: 22 chars base64url, never starting with '-' (the tool would read it as an option:
      // one start in 64 failed with "argument --cluster-id/-t: expected one argument"; Kafka's own
      // Uuid.randomUuid avoids that first character for the same reason).
      let clusterId;
      do clusterId = crypto.randomBytes(16).toString('base64url');
      while (clusterId.startsWith('-'));
      const fmt = await runLogged(
        'java',
        [...jvm, '-XX:TieredStopAtLevel=1', '-cp', cp, 'kafka.tools.StorageTool', 'format', '--standalone', '-t', clusterId, '-c', props, ...(security?.formatArgs ?? [])],
        { logFile },
      );
      if (fmt !== 0) throw new Error(`kafka StorageTool format failed (rc=${fmt}); tail of ${logFile}:\n${tail(logFile)}`);
    },
  };
}

/**
 * Starts a broker on a new storage and free ports, trying other ports (three tries in all) while they clash.
 * `logDirs(attempt)` is a try's data directory, `spawn()` starts the broker process, `kill(child)` ends a try's.
 * A standalone controller records its own endpoint in the data, so the ports are chosen before the format.
 */
async function firstKafkaStart({ kafka, logDirs, spawn, kill, log }) {
  let lastErr;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const [port, controllerPort] = await freePorts(2);
    kafka.writeProps(port, controllerPort, logDirs(attempt));
    await kafka.format();
    const child = spawn();
    const brokers = `127.0.0.1:${port}`;
    try {
      await waitForKafka(brokers, { child, logFile: kafka.logFile, timeoutMs: 60_000, checkCreateTopics: true, sasl: kafka.sasl });
      return { brokers, child };
    } catch (err) {
      lastErr = err;
      await kill(child);
      const bindClash = /Address already in use|BindException/.test(tail(kafka.logFile, 200));
      if (!bindClash) break;
      log(`Kafka port clash on attempt ${attempt}, retrying with other ports`);
    }
  }
  throw lastErr;
}

async function startLocalKafka({ libs, tmpDir, procs, log }) {
  const dir = path.join(tmpDir, 'kafka');
  fs.mkdirSync(dir, { recursive: true });
  const kafka = kafkaFiles({ libs, dir });
  const { brokers, child } = await firstKafkaStart({
    kafka,
    logDirs: (attempt) => path.join(dir, `data-${attempt}`),
    spawn: () => procs.spawn('java', kafka.args, { logFile: kafka.logFile, cwd: dir }),
    kill: (child) => procs.kill(child, 1000),
    log,
  });
  return { brokers, kind: KINDS.kafkaLocal, child, logFile: kafka.logFile };
}

async function startKafkaMock({ tmpDir, procs }) {
  const kcat = which('kcat') || which('kafkacat');
  if (!kcat) throw new Error('the fallback needs `kcat` (Debian package kcat) on PATH, and it is not there');
  const dir = path.join(tmpDir, 'kafka-mock');
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'kcat.log');
  const child = procs.spawn(kcat, ['-C', '-b', 'localhost:1', '-t', 'dummy', '-X', 'test.mock.num.brokers=3', '-d', 'mock'], {
    logFile,
    cwd: dir,
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const m = /bootstrap\.servers=([0-9.:,]+)/.exec(fs.readFileSync(logFile, 'utf8'));
    if (m) {
      const brokers = m[1];
      await waitForKafka(brokers.split(',')[0], { child, logFile, timeoutMs: 15_000, checkCreateTopics: false });
      return { brokers, kind: KINDS.kafkaMock, child, logFile };
    }
    await sleep(100);
  }
  throw new Error(`kcat mock cluster did not print bootstrap.servers; tail of ${logFile}:\n${tail(logFile)}`);
}

function warnLoudly(log, lines) {
  const bar = '!'.repeat(100);
  log(bar);
  for (const l of lines) log(`!!! ${l}`);
  log(bar);
}

async function startLocalMongo({ bin, tmpDir, procs }) {
  const dir = path.join(tmpDir, 'ferretdb');
  const dataDir = path.join(dir, 'data');
  const stateDir = path.join(dir, 'state');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const logFile = path.join(dir, 'ferretdb.log');
  let lastErr;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const [port] = await freePorts(1);
    const child = procs.spawn(
      bin,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dataDir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-', // no metrics/pprof HTTP listener (default would take the fixed port 8088)
        '--telemetry=disable', // no beacon.ferretdb.com reporting
        `--state-dir=${stateDir}`,
        '--log-level=warn',
      ],
      { logFile, cwd: dir },
    );
    const url = `mongodb://127.0.0.1:${port}/`;
    try {
      await waitForMongo(url, { child, logFile, timeoutMs: 30_000 });
      return { url, kind: KINDS.mongoLocal, child, logFile };
    } catch (err) {
      lastErr = err;
      await procs.kill(child, 1000);
      if (!/address already in use/i.test(tail(logFile, 50))) break;
    }
  }
  throw lastErr;
}

// ---------------------------------------------------------------------------------------------------------------
// containers (only where a Docker engine answers; not exercised on the machines without one)

/**
 * mongo-java-server: resolved with Maven like the Kafka broker, its launcher compiled with javac.
 * Chosen with DOTPHA_MONGO_SERVER=mongo-java-server (the benchmarks' second server: unlike
 * FerretDB 1.x it looks documents up by `_id` through an index).
 */
async function ensureMongoJavaServer({ log }) {
  const dir = path.join(cacheDir(), `mongo-java-server-${MONGO_JAVA_SERVER_VERSION}`);
  const source = path.join(HERE, 'mongo-java-server', 'Launch.java');
  const stamp = path.join(dir, 'classes', 'source.txt');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === fs.readFileSync(source, 'utf8')) return dir;
  for (const tool of ['mvn', 'javac']) if (!which(tool)) throw new Error(`${tool} is needed for mongo-java-server and is not on PATH`);
  const logFile = path.join(cacheDir(), 'mvn.log');
  log(`installing mongo-java-server ${MONGO_JAVA_SERVER_VERSION} with Maven into ${dir} (log: ${logFile})`);
  await installInto(dir, async (tmp) => {
    fs.mkdirSync(path.join(tmp, 'classes'), { recursive: true });
    let rc = await mavenCopyDependencies(path.join('mongo-java-server', 'pom.xml'), path.join(tmp, 'libs'), logFile);
    if (rc === 0) rc = await runLogged('javac', ['-cp', path.join(tmp, 'libs', '*'), '-d', path.join(tmp, 'classes'), source], { logFile });
    if (rc !== 0) throw new Error(`installing mongo-java-server failed (rc=${rc}); tail of ${logFile}:\n${tail(logFile)}`);
    fs.copyFileSync(source, path.join(tmp, 'classes', 'source.txt'));
    fs.rmSync(dir, { recursive: true, force: true }); // one built from an older launcher
  });
  return dir;
}

async function startMongoJavaServer({ home, tmpDir, procs }) {
  const dir = path.join(tmpDir, 'mongo-java-server');
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'server.log');
  const [port] = await freePorts(1);
  const classpath = [path.join(home, 'classes'), path.join(home, 'libs', '*')].join(path.delimiter);
  const child = procs.spawn('java', [`-Xmx${process.env.DOTPHA_MONGO_JAVA_HEAP ?? '12g'}`, '-cp', classpath, 'Launch', String(port)], { logFile, cwd: dir });
  const url = `mongodb://127.0.0.1:${port}/`;
  try {
    await waitForMongo(url, { child, logFile, timeoutMs: 60_000 });
  } catch (err) {
    await procs.kill(child, 1000);
    throw err;
  }
  return { url, kind: KINDS.mongoJava, child, logFile };
}

function dockerAvailable() {
  if (process.env.DOTPHA_INFRA === 'local') return false;
  if (!which('docker') && !process.env.DOCKER_HOST) return false;
  const r = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 });
  return r.status === 0;
}

async function startContainers({ log }) {
  const { GenericContainer, Wait } = requireFromRepo('testcontainers');
  // Each server listens inside its container on the same port number as on the host, so the addresses it
  // advertises (Kafka advertised.listeners, the replica set member) are valid from both sides.
  const [kPort, mPort] = await freePorts(2);
  const started = [];
  try {
    log('starting apache/kafka:4.0.0 and mongo:7 containers (testcontainers)');
    const [, mongoC] = await Promise.all([
      new GenericContainer(`apache/kafka:${KAFKA_VERSION}`)
        .withExposedPorts({ container: kPort, host: kPort })
        .withEnvironment({
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${kPort},CONTROLLER://localhost:9093`,
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kPort}`,
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
          KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
          KAFKA_MIN_INSYNC_REPLICAS: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
          KAFKA_NUM_PARTITIONS: '3',
          KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
        })
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
        .withStartupTimeout(120_000)
        .start()
        .then((c) => (started.push(c), c)),
      new GenericContainer('mongo:7')
        .withExposedPorts({ container: mPort, host: mPort })
        .withCommand(['--replSet', 'rs0', '--bind_ip_all', '--port', String(mPort)])
        .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
        .withStartupTimeout(120_000)
        .start()
        .then((c) => (started.push(c), c)),
    ]);
    const init = await mongoC.exec([
      'mongosh',
      '--quiet',
      '--port',
      String(mPort),
      '--eval',
      `rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: '127.0.0.1:${mPort}' }] })`,
    ]);
    if (init.exitCode !== 0) throw new Error(`rs.initiate failed: ${init.output}`);
    const brokers = `127.0.0.1:${kPort}`;
    const url = `mongodb://127.0.0.1:${mPort}/`;
    await Promise.all([
      waitForKafka(brokers, { logFile: '(container log)', timeoutMs: 60_000, checkCreateTopics: true }),
      waitForMongo(url, { logFile: '(container log)', timeoutMs: 60_000, needPrimary: true }),
    ]);
    return {
      kafka: { brokers, kind: KINDS.kafkaContainer },
      mongo: { url, kind: KINDS.mongoContainer },
      stop: async () => {
        await Promise.all(started.map((c) => c.stop().catch(() => {})));
      },
    };
  } catch (err) {
    await Promise.all(started.map((c) => c.stop().catch(() => {})));
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------

export async function startServers({ log = defaultLog } = {}) {
  const t0 = Date.now();

  if (process.env.DOTPHA_INFRA === 'docker' || (process.env.DOTPHA_INFRA !== 'local' && dockerAvailable())) {
    const s = await startContainers({ log });
    const ms = Date.now() - t0;
    log(`servers ready in ${(ms / 1000).toFixed(1)} s`);
    return { ...s, timings: { totalMs: ms } };
  }

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dotpha-infra-'));
  const procs = createProcessSet(tmpDir);
  const watchdog = startWatchdog(procs.pgidFile, tmpDir);
  const keepTmp = process.env.DOTPHA_INFRA_KEEP_TMP === '1';

  let stopped = false;
  let stopping = null;
  const removeTmp = () => {
    if (!keepTmp) fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  const onExit = () => {
    procs.killAllSync('SIGKILL');
    try {
      process.kill(-watchdog.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    removeTmp();
  };
  const onSignal = (signal) => {
    if (stopping) {
      onExit(); // second Ctrl-C: no more waiting
      process.exit(130);
    }
    log(`${signal}: stopping servers`);
    stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  process.on('exit', onExit);

  const children = [];
  async function stop() {
    if (stopped) return;
    if (stopping) return stopping;
    stopping = (async () => {
      await Promise.all(children.map((c) => procs.kill(c)));
      procs.killAllSync('SIGKILL');
      try {
        process.kill(-watchdog.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      removeTmp();
      for (const s of signals) process.off(s, onSignal);
      process.off('exit', onExit);
      stopped = true;
    })();
    return stopping;
  }

  try {
    const timings = {};
    const forceMock = process.env.DOTPHA_INFRA_FORCE_KAFKA_MOCK === '1';
    const kafkaP = (async () => {
      const t = Date.now();
      let k;
      try {
        if (forceMock) throw new Error('DOTPHA_INFRA_FORCE_KAFKA_MOCK=1');
        const libs = await ensureKafkaJars({ log });
        timings.kafkaInstallMs = Date.now() - t;
        k = await startLocalKafka({ libs, tmpDir, procs, log });
      } catch (err) {
        if (!which('kcat') && !which('kafkacat')) throw err;
        warnLoudly(log, [
          `THE REAL KAFKA BROKER COULD NOT BE STARTED: ${String(err.message).split('\n')[0]}`,
          'FALLING BACK TO THE librdkafka MOCK CLUSTER (kcat). This is NOT a real broker:',
          'admin createTopics, idempotent producers and transactions do not work; results are not representative.',
        ]);
        if (!forceMock) log(String(err.message));
        k = await startKafkaMock({ tmpDir, procs, log });
      }
      children.push(k.child);
      timings.kafkaMs = Date.now() - t;
      return k;
    })();
    const mongoP = (async () => {
      const t = Date.now();
      let m;
      if (process.env.DOTPHA_MONGO_SERVER === 'mongo-java-server') {
        const home = await ensureMongoJavaServer({ log });
        timings.mongoInstallMs = Date.now() - t;
        m = await startMongoJavaServer({ home, tmpDir, procs });
      } else {
        const bin = await ensureFerretdb({ log });
        timings.mongoInstallMs = Date.now() - t;
        m = await startLocalMongo({ bin, tmpDir, procs });
      }
      children.push(m.child);
      timings.mongoMs = Date.now() - t;
      return m;
    })();
    const [kafka, mongo] = await Promise.all([kafkaP, mongoP]).catch(async (err) => {
      // let the other one settle so its child is registered, then stop everything
      await Promise.allSettled([kafkaP, mongoP]);
      throw err;
    });
    timings.totalMs = Date.now() - t0;
    log(
      `servers ready in ${(timings.totalMs / 1000).toFixed(1)} s ` +
        `(kafka ${(timings.kafkaMs / 1000).toFixed(1)} s, mongo ${(timings.mongoMs / 1000).toFixed(1)} s; temp dir ${tmpDir})`,
    );
    return {
      kafka: { brokers: kafka.brokers, kind: kafka.kind, logFile: kafka.logFile },
      mongo: { url: mongo.url, kind: mongo.kind, logFile: mongo.logFile },
      tmpDir,
      timings,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Restartable servers for fault injection (test/faults): one Apache Kafka broker or one FerretDB, always a local
// process (a signal must reach the server itself), on free loopback ports chosen at the first start and kept, and
// on a data dir of the caller's that outlives each process, so `signal('SIGKILL')` then `start()` restarts the
// server on the same data and the same address (clients keep their bootstrap list / URL). The data dir belongs to
// the handle: `stop()` (and, if this process dies, the watchdog) removes it, unless DOTPHA_INFRA_KEEP_TMP=1.
//
//   const kafka = await startRestartableKafka({ dataDir });   // kafka.brokers, kafka.kind, kafka.logFile
//   await kafka.signal('SIGKILL');                             // resolves once the process is gone
//   const { spawnedAt, readyAt } = await kafka.start();       // same data, same ports; resolves when it serves
//   await kafka.stop();
//   (startRestartableFerretdb: the same with .url instead of .brokers)

/** Bookkeeping shared by the restartable servers: one process at a time, its own group, killed with us. */
function restartableProcess({ dataDir, log, name }) {
  fs.mkdirSync(dataDir, { recursive: true });
  const procs = createProcessSet(dataDir);
  const watchdog = startWatchdog(procs.pgidFile, dataDir);
  const keep = process.env.DOTPHA_INFRA_KEEP_TMP === '1';
  let child = null;
  let stopped = false;
  const onExit = () => {
    procs.killAllSync('SIGKILL');
    try {
      process.kill(-watchdog.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  const running = () => Boolean(child && child.exitCode === null && child.signalCode === null);
  return {
    procs,
    get child() {
      return child;
    },
    set child(c) {
      child = c;
    },
    get stopped() {
      return stopped;
    },
    running,
    /** Sends `sig` to the server's process group; SIGKILL and SIGTERM resolve once it has exited. */
    async signal(sig) {
      if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} is not running`);
      const running = child;
      process.kill(-running.pid, sig);
      if (sig === 'SIGKILL' || sig === 'SIGTERM') {
        const done = await settlesWithin(running.exited, sig === 'SIGKILL' ? 10_000 : 30_000);
        if (!done) {
          log(`${name} did not exit on ${sig} within the bound; killing it`);
          await procs.kill(running, 1000);
        }
        child = null;
      }
    },
    /**
     * Starts the server again on its data and ports: `spawn()` starts its process, `ready(child)` resolves when it
     * serves, `clashed()` says its port is still held (a socket of the dead process may hold it briefly: tried
     * again, five times in all). Resolves with when it was spawned and when it was ready.
     */
    async restart({ spawn: spawnServer, ready, clashed }) {
      if (stopped) throw new Error(`${name} was stopped for good`);
      if (running()) throw new Error(`${name} is already running`);
      const spawnedAt = Date.now();
      for (let attempt = 1; ; attempt++) {
        const started = spawnServer();
        try {
          await ready(started);
          return { spawnedAt, readyAt: Date.now() };
        } catch (err) {
          await procs.kill(started, 1000);
          child = null;
          if (attempt >= 5 || !clashed()) throw err;
          await sleep(1000);
        }
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child) await procs.kill(child, 5000);
      onExit();
      process.off('exit', onExit);
      child = null;
    },
  };
}

/**
 * One Apache Kafka 4.0 broker (KRaft, broker and controller in one process) on `dataDir`, restartable on its data.
 * Returns { brokers, kind, logFile, dataDir, pid(), start(), signal(sig), stop() }.
 */
export async function startRestartableKafka({ dataDir, log = defaultLog, security } = {}) {
  if (!dataDir) throw new Error('startRestartableKafka needs a dataDir');
  const libs = await ensureKafkaJars({ log });
  const p = restartableProcess({ dataDir, log, name: 'Kafka broker' });
  const kafka = kafkaFiles({ libs, dir: dataDir, security });
  const { logFile } = kafka;
  const logDirs = path.join(dataDir, 'logs');
  const spawnBroker = () => {
    p.child = p.procs.spawn('java', kafka.args, { logFile, cwd: dataDir });
    return p.child;
  };

  // First start: the ports are chosen before the format and never change afterwards.
  let brokers;
  try {
    ({ brokers } = await firstKafkaStart({
      kafka,
      logDirs: () => {
        fs.rmSync(logDirs, { recursive: true, force: true });
        return logDirs;
      },
      spawn: spawnBroker,
      kill: async (child) => {
        await p.procs.kill(child, 1000);
        p.child = null;
      },
      log,
    }));
  } catch (err) {
    await p.stop();
    throw err;
  }

  return {
    brokers,
    kind: KINDS.kafkaLocal,
    logFile,
    dataDir,
    pid: () => p.child?.pid ?? null,
    signal: (sig) => p.signal(sig),
    /** Starts the broker again on its data and ports; resolves when it serves (topics, groups, transactions). */
    start: ({ timeoutMs = 90_000 } = {}) =>
      p.restart({
        spawn: spawnBroker,
        ready: (child) => waitForKafka(brokers, { child, logFile, timeoutMs, checkCreateTopics: true, sasl: kafka.sasl }),
        clashed: () => /Address already in use|BindException/.test(tail(logFile, 200)),
      }),
    stop: () => p.stop(),
  };
}

/**
 * One FerretDB 1.24 (SQLite backend) on `dataDir`, restartable on its data.
 * Returns { url, kind, logFile, dataDir, pid(), start(), signal(sig), stop() }.
 */
export async function startRestartableFerretdb({ dataDir, log = defaultLog } = {}) {
  if (!dataDir) throw new Error('startRestartableFerretdb needs a dataDir');
  const bin = await ensureFerretdb({ log });
  const p = restartableProcess({ dataDir, log, name: 'FerretDB' });
  const sqliteDir = path.join(dataDir, 'data');
  const stateDir = path.join(dataDir, 'state');
  fs.mkdirSync(sqliteDir, { recursive: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const logFile = path.join(dataDir, 'ferretdb.log');
  let port = null;
  const spawnServer = () => {
    p.child = p.procs.spawn(
      bin,
      ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`, `--listen-addr=127.0.0.1:${port}`, '--debug-addr=-', '--telemetry=disable', `--state-dir=${stateDir}`, '--log-level=warn'],
      { logFile, cwd: dataDir },
    );
    return p.child;
  };

  let lastErr;
  for (let attempt = 1; attempt <= 3 && !lastErr?.ok; attempt++) {
    [port] = await freePorts(1);
    const child = spawnServer();
    try {
      await waitForMongo(`mongodb://127.0.0.1:${port}/`, { child, logFile, timeoutMs: 30_000 });
      lastErr = { ok: true };
    } catch (err) {
      lastErr = err;
      await p.procs.kill(child, 1000);
      p.child = null;
      if (!/address already in use/i.test(tail(logFile, 50))) break;
    }
  }
  if (!lastErr?.ok) {
    await p.stop();
    throw lastErr;
  }
  const url = `mongodb://127.0.0.1:${port}/`;

  return {
    url,
    kind: KINDS.mongoLocal,
    logFile,
    dataDir,
    pid: () => p.child?.pid ?? null,
    signal: (sig) => p.signal(sig),
    /** Starts FerretDB again on its data and port; resolves when it answers a ping. */
    start: ({ timeoutMs = 60_000 } = {}) =>
      p.restart({
        spawn: spawnServer,
        ready: (child) => waitForMongo(url, { child, logFile, timeoutMs }),
        clashed: () => /address already in use/i.test(tail(logFile, 50)),
      }),
    stop: () => p.stop(),
  };
}
