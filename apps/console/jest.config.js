// The console in a real browser (Debian's Chromium, installed when missing): one-process host as a child on a free port.
module.exports = {
  displayName: 'console',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/**/*.e2e.spec.ts'],
  testTimeout: 240_000,
};
