// The fault suite's own Kafka broker and FerretDB, in a child process the suite drives over stdin/stdout
// (jest runs the suite as CommonJS and cannot import test/infra/servers.mjs, an ES module).
//
// Prints one JSON line {"event":"ready","kafka":{...},"mongo":{...},"dir":"..."} once both serve, then answers each
// JSON line it reads on stdin with one line {"id":n,"ok":true,...} or {"id":n,"ok":false,"error":"..."}:
//   {"id":1,"op":"signal","server":"kafka"|"mongo","signal":"SIGKILL"|"SIGTERM"|"SIGSTOP"|"SIGCONT"}
//   {"id":2,"op":"start","server":"kafka"|"mongo"}        -> {"spawnedAt":ms,"readyAt":ms}
//   {"id":3,"op":"adopt","pid":1234}                      -> the process is killed (SIGCONT, SIGKILL) when this one ends
//   {"id":4,"op":"stop"}                                  -> servers stopped, adopted processes killed, exit
// When stdin ends (the suite is gone, however it died) it stops everything too. Its own servers also have the
// watchdog of servers.mjs, for when this process is SIGKILLed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { startRestartableFerretdb, startRestartableKafka } from '../infra/servers.mjs';

const log = (msg) => process.stderr.write(`[faults-infra] ${msg}\n`);
const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dotpha-faults-'));
const adopted = new Set();
const servers = {};
let stopping = null;

function killAdopted() {
  for (const pid of adopted) {
    for (const sig of ['SIGCONT', 'SIGKILL']) {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  }
  adopted.clear();
}

function stopAll(code = 0) {
  if (!stopping) {
    stopping = (async () => {
      killAdopted();
      await Promise.allSettled(Object.values(servers).map((s) => s.stop()));
      if (process.env.DOTPHA_INFRA_KEEP_TMP !== '1') fs.rmSync(dir, { recursive: true, force: true });
      process.exit(code);
    })();
  }
  return stopping;
}

process.on('exit', killAdopted);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stopAll(143));

const input = readline.createInterface({ input: process.stdin });
input.on('close', () => stopAll(0));
input.on('line', async (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return;
  }
  const { id, op } = request;
  try {
    if (op === 'stop') {
      send({ id, ok: true });
      await stopAll(0);
      return;
    }
    if (op === 'adopt') {
      adopted.add(Number(request.pid));
      return send({ id, ok: true });
    }
    const server = servers[request.server];
    if (!server) throw new Error(`no server '${request.server}'`);
    if (op === 'signal') {
      await server.signal(request.signal);
      return send({ id, ok: true, at: Date.now() });
    }
    if (op === 'start') return send({ id, ok: true, ...(await server.start()) });
    throw new Error(`unknown op '${op}'`);
  } catch (error) {
    send({ id, ok: false, error: String(error?.message ?? error) });
  }
});

try {
  const [kafka, mongo] = await Promise.all([
    startRestartableKafka({ dataDir: path.join(dir, 'kafka'), log }).then((k) => (servers.kafka = k)),
    startRestartableFerretdb({ dataDir: path.join(dir, 'ferretdb'), log }).then((m) => (servers.mongo = m)),
  ]);
  send({
    event: 'ready',
    dir,
    kafka: { brokers: kafka.brokers, kind: kafka.kind, logFile: kafka.logFile },
    mongo: { url: mongo.url, kind: mongo.kind, logFile: mongo.logFile },
  });
} catch (error) {
  send({ event: 'failed', error: String(error?.stack ?? error) });
  await stopAll(1);
}
