// One jest run over every project (npm test); each project also has its own nx `test` target.
const { readdirSync, existsSync } = require('fs');
const { join } = require('path');

const roots = ['libs', 'apps'].flatMap((dir) =>
  existsSync(join(__dirname, dir)) ? readdirSync(join(__dirname, dir)).map((name) => join(__dirname, dir, name)) : [],
);

module.exports = {
  // Integration tests talk to real servers (FerretDB on SQLite is slow to answer under load).
  testTimeout: 60_000,
  projects: [...roots, join(__dirname, 'test')].filter((p) => existsSync(join(p, 'jest.config.js'))),
};
