module.exports = {
  displayName: 'integration',
  preset: '../jest.preset.js',
  rootDir: __dirname,
};
