// `npm test [-- <jest args>]`: start Kafka + MongoDB(-compatible) once, run every jest project against them,
// stop them, and end with one summary line: `N passed, M failed[, K skipped]`.
//
// Env handed to the tests: DOTPHA_KAFKA_BROKERS, DOTPHA_KAFKA_KIND, DOTPHA_MONGO_URL, DOTPHA_MONGO_KIND.
// M counts failed tests plus test suites that could not run at all (load/compile errors), so nothing fails silently.
// Exit code 0 only if jest exited 0 and M is 0.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startServers } from './servers.mjs';

const log = (msg) => process.stderr.write(`[infra] ${msg}\n`);
const RESULTS = path.join('tmp', 'jest-results.json');

function describe(servers) {
  return [
    `Kafka:   ${servers.kafka.kind} at ${servers.kafka.brokers}`,
    `MongoDB: ${servers.mongo.kind} at ${servers.mongo.url}`,
  ];
}

function summaryLine(passed, failed, skipped) {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

async function main() {
  const extraArgs = process.argv.slice(2);

  let servers;
  try {
    servers = await startServers({ log });
  } catch (err) {
    console.error(`\nTest servers could not be started:\n${err?.stack || err}\n`);
    console.log('test infrastructure failed to start; no tests ran (counted as 1 failure)');
    console.log(summaryLine(0, 1, 0));
    return 1;
  }

  console.log('');
  console.log('Test servers for this run:');
  for (const l of describe(servers)) console.log(`  ${l}`);
  console.log(`  (ready in ${(servers.timings.totalMs / 1000).toFixed(1)} s)`);
  console.log('');

  const results = path.join(REPO_ROOT, RESULTS);
  fs.mkdirSync(path.dirname(results), { recursive: true });
  fs.rmSync(results, { force: true });

  let jestCode;
  try {
    jestCode = await new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [
          path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
          '--ci',
          '--json',
          `--outputFile=${RESULTS}`,
          // A handle a test left open (a client's reconnect timer, a child's pipe) must not keep the run
          // from ending once every result is written: the summary comes from the results file.
          '--forceExit',
          ...extraArgs,
        ],
        {
          cwd: REPO_ROOT,
          stdio: 'inherit',
          env: {
            ...process.env,
            DOTPHA_KAFKA_BROKERS: servers.kafka.brokers,
            DOTPHA_KAFKA_KIND: servers.kafka.kind,
            DOTPHA_MONGO_URL: servers.mongo.url,
            DOTPHA_MONGO_KIND: servers.mongo.kind,
          },
        },
      );
      // Ctrl-C in a terminal reaches jest directly (same process group); a SIGTERM/SIGHUP sent to this process
      // alone (CI timeout) must be passed on, or jest would outlive us. servers.mjs stops the servers meanwhile.
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
        process.on(sig, () => {
          if (child.exitCode === null && child.signalCode === null) child.kill(sig);
        });
      }
      child.on('error', (err) => {
        console.error(`could not run jest: ${err.message}`);
        resolve(127);
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    await servers.stop();
  }

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let note = null;
  try {
    const r = JSON.parse(fs.readFileSync(results, 'utf8'));
    passed = r.numPassedTests ?? 0;
    failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
    skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (r.numRuntimeErrorTestSuites > 0) {
      note = `${r.numRuntimeErrorTestSuites} test suite(s) failed to run (counted as failures)`;
    }
  } catch {
    note = `jest wrote no readable ${RESULTS} (exit code ${jestCode}); counted as 1 failure`;
    failed = Math.max(failed, 1);
  }
  if (jestCode !== 0 && failed === 0) {
    note = `jest exited with code ${jestCode} although no test failed (e.g. no tests found, open handles, coverage threshold)`;
  }

  console.log('');
  console.log('Test servers used:');
  for (const l of describe(servers)) console.log(`  ${l}`);
  if (note) console.log(note);
  console.log(summaryLine(passed, failed, skipped));
  return jestCode === 0 && failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err?.stack || err);
    console.log(summaryLine(0, 1, 0));
    process.exit(1);
  },
);
