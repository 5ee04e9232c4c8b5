module.exports = {
  displayName: 'integration',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  // The fault suite (issue 16) is its own project (jest.faults.config.js): it starts its own broker and database and kills them.
  testPathIgnorePatterns: ['/node_modules/', '/faults/'],
};
