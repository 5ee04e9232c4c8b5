module.exports = {
  displayName: 'testkit',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
