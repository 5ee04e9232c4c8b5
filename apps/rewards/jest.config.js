module.exports = {
  displayName: 'rewards',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
