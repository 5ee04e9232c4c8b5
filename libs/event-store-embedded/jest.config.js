module.exports = {
  displayName: 'event-store-embedded',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
