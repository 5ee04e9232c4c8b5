module.exports = {
  displayName: 'approvals',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
