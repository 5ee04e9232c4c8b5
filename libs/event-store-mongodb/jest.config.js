module.exports = {
  displayName: 'event-store-mongodb',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
