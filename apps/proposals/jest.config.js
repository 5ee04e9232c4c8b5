module.exports = {
  displayName: 'proposals',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
