// One jest run over every project (npm test); each project also has its own nx `test` target.
// Projects are found at libs/<name>, libs/<context>/<layer> and apps/<name>, wherever a jest.config.js is.
const { readdirSync, existsSync, statSync } = require('fs');
const { join } = require('path');

const dirs = (dir) => (existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)).filter((p) => statSync(p).isDirectory()) : []);
const candidates = ['libs', 'apps'].flatMap((top) => dirs(join(__dirname, top)).flatMap((p) => [p, ...dirs(p)]));

module.exports = {
  // Integration tests talk to real servers (FerretDB on SQLite is slow to answer under load).
  testTimeout: 60_000,
  projects: [
    ...[...candidates, join(__dirname, 'test')].filter((p) => existsSync(join(p, 'jest.config.js'))),
    // The fault suite (issue 16): its own broker and database, killed and restarted (test/faults).
    join(__dirname, 'test', 'jest.faults.config.js'),
  ],
};
