// The fault suite (issue 16): `npm run test:faults`. It starts its own Kafka broker and FerretDB,
// kills and restarts them and the services, so it stays out of `npm test`'s shared servers.
module.exports = {
  displayName: 'faults',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/faults/**/*.spec.ts'],
  testTimeout: 1_800_000,
};
