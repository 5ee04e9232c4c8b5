// Free loopback ports and waiting for a local HTTP server to answer: one helper for the test
// infrastructure (servers.mjs, distributed.mjs), the deploy tests and the bench. CommonJS, so that
// jest's TypeScript tests, the .mjs scripts (named imports) and the bench (tsx) all load it as is.
'use strict';
const net = require('node:net');

/** `n` distinct free ports on 127.0.0.1 (held together while chosen, so none repeats). */
async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      await new Promise((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', resolve);
      });
      servers.push(srv);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

/**
 * Polls `url` until it answers with a status `ready` accepts (any status by default) and returns
 * that status; fails at once if `child` (the process serving it) exits, and after `timeoutMs`.
 * `describe()` adds what tells why (the end of the process's output) to the error.
 */
async function waitForHttp(url, { child, timeoutMs = 120_000, ready = () => true, describe = () => '', intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const why = () => {
    const text = describe();
    return text ? `:\n${text}` : '';
  };
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`${url}: the process exited (${child.exitCode ?? child.signalCode})${why()}`);
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status && ready(status)) return status;
    if (Date.now() > deadline) throw new Error(`${url} did not answer${status ? ` as wanted (last ${status})` : ''} within ${timeoutMs} ms${why()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

module.exports = { freePorts, waitForHttp };
