// Shared by every project's jest.config.ts: swc transpiles (fast); `npm run typecheck` checks types.
const path = require('path');
const { pathsToModuleNameMapper } = require('./test/jest/paths');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
    // ESM-only packages (Node's own require loads them, jest's does not): swc makes them CommonJS for the tests.
    '/node_modules/hyparquet(-writer)?/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet(-writer)?/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(path.join(__dirname, 'tsconfig.base.json')),
  testMatch: ['**/*.spec.ts'],
  // Integration tests talk to real servers (FerretDB on SQLite is slow to answer under load).
  testTimeout: 60_000,
};
