module.exports = {
  displayName: 'event-bus-kafka',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
