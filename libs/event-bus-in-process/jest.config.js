module.exports = {
  displayName: 'event-bus-in-process',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
