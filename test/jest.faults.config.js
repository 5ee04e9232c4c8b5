// The fault suite (issue 16), a project of `npm test` (jest.config.js) that can also run alone:
// `npm run test:faults`. It starts its own Kafka broker and FerretDB and kills and restarts them and
// the services, so it never touches the shared test servers.
module.exports = {
  displayName: 'faults',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/faults/**/*.spec.ts'],
  testTimeout: 1_800_000,
};
