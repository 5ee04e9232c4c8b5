// Runs the TypeScript sources directly with decorator metadata (NestJS DI and DTO validation need
// it; tsx/esbuild do not emit it): `node -r ./tools/swc-register.js apps/platform/src/main.ts`.
// The @dotpha/* aliases resolve through tsconfig.base.json, as in jest.
const Module = require('module');
const path = require('path');
const { addHook } = require('pirates');
const { transformSync } = require('@swc/core');
const { pathsToModuleNameMapper } = require('../test/jest/paths');

const aliases = Object.entries(pathsToModuleNameMapper(path.join(__dirname, '..', 'tsconfig.base.json'))).map(([pattern, target]) => [new RegExp(pattern), target]);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = aliases.find(([pattern]) => pattern.test(request));
  return resolve.call(this, alias ? alias[1] : request, ...rest);
};

addHook(
  (code, filename) =>
    transformSync(code, {
      filename,
      sourceMaps: 'inline',
      jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
      module: { type: 'commonjs' },
    }).code,
  { exts: ['.ts'], ignoreNodeModules: true },
);
