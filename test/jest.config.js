module.exports = {
  displayName: 'integration',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  // The fault suite (issue 16) starts its own broker and database and kills them: `npm run test:faults`.
  testPathIgnorePatterns: ['/node_modules/', '/faults/'],
};
