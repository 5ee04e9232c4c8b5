// `npm run infra:up`: start the test servers and keep them running until Ctrl-C, so single tests (or the
// distributed mode) can be run from another shell after pasting the printed `export DOTPHA_...=...` lines,
// e.g. `npx jest libs/kernel`.

import { startServers } from './servers.mjs';

const log = (msg) => process.stderr.write(`[infra] ${msg}\n`);

let servers;
try {
  servers = await startServers({ log });
} catch (err) {
  console.error(`Test servers could not be started:\n${err?.stack || err}`);
  process.exit(1);
}

const q = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
console.log(`# Kafka:   ${servers.kafka.kind} at ${servers.kafka.brokers}`);
console.log(`# MongoDB: ${servers.mongo.kind} at ${servers.mongo.url}`);
console.log(`export DOTPHA_KAFKA_BROKERS=${q(servers.kafka.brokers)}`);
console.log(`export DOTPHA_KAFKA_KIND=${q(servers.kafka.kind)}`);
console.log(`export DOTPHA_MONGO_URL=${q(servers.mongo.url)}`);
console.log(`export DOTPHA_MONGO_KIND=${q(servers.mongo.kind)}`);
console.log('# running; press Ctrl-C to stop the servers');

// Keep the process alive; servers.mjs handles SIGINT/SIGTERM/SIGHUP (stops the servers, then exits).
// Containers (testcontainers) have no such handler, so stop them here as well.
const keepAlive = setInterval(() => {}, 1 << 30);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, async () => {
    clearInterval(keepAlive);
    await servers.stop();
    process.exit(0);
  });
}
