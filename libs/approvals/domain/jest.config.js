module.exports = {
  displayName: 'approvals-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
