module.exports = {
  displayName: 'proposals-domain',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
