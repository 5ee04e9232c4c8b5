module.exports = {
  displayName: 'org',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
