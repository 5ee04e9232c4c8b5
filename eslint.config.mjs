// Layers enforced by Nx project tags (STYLE.md rule 7): domain libs import no infrastructure,
// adapters only the kernel, apps import libs and never each other.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const boundaries = (extraForAll = []) => [
  'error',
  {
    allow: [],
    enforceBuildableLibDependency: false,
    depConstraints: [
      { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: ['type:kernel', ...extraForAll] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:kernel', 'type:domain', ...extraForAll] },
      { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:kernel', ...extraForAll] },
      { sourceTag: 'type:testkit', onlyDependOnLibsWithTags: ['type:kernel'] },
      // One service started in one process for an app's e2e spec (its runtime, in-process bus, sample province).
      { sourceTag: 'type:service-testkit', onlyDependOnLibsWithTags: ['type:kernel', 'type:domain', 'type:adapter', 'type:contracts', 'type:runtime', 'type:testkit'] },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:kernel', 'type:domain'] },
      { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:kernel', 'type:domain', 'type:adapter', 'type:contracts', ...extraForAll] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:kernel', 'type:domain', 'type:adapter', 'type:contracts', 'type:runtime', ...extraForAll] },
      { sourceTag: 'type:host', onlyDependOnLibsWithTags: ['type:runtime', 'type:app'] },
      // Central analytics and the agencies' example read the published contract (docs/asyncapi.json), never a context's code:
      // analytics may use the shared calendar (working days) only, the example nothing of this repository.
      { sourceTag: 'type:analytics', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'type:example', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['*'] },
      // The web console (apps/console) runs in the browser: it imports no lib, only its own code and the API types generated from the served OpenAPI.
      { sourceTag: 'type:console', onlyDependOnLibsWithTags: ['type:console'] },
    ],
  },
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', 'tmp/**', '.nx/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(),
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests and their fixtures may use the test kit.
    files: ['**/*.spec.ts', '**/*.fixtures.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:testkit']) },
  },
  {
    // An app's specs may also start their service in one process (libs/service-testkit).
    files: ['apps/*/src/**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:testkit', 'type:service-testkit']) },
  },
  {
    // Layers inside a service (issue 13): application services take domain command data and hold
    // the read-model types; the HTTP layer (api: controllers, DTOs) maps requests onto them and the
    // adapters (infrastructure: projections, reactors, wiring) build on them, never the reverse.
    files: ['apps/*/src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^\\.\\.?/(.*/)?(api|infrastructure)(/|$)', message: 'application code imports neither the api layer (DTOs, controllers) nor infrastructure (projections, wiring): move the shared type into application/' }],
      }],
    },
  },
  {
    files: ['apps/*/src/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^\\.\\.?/(.*/)?infrastructure(/|$)', message: 'the api layer calls application services; it does not reach into infrastructure' }],
      }],
    },
  },
  {
    files: ['apps/*/src/infrastructure/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^\\.\\.?/(.*/)?api(/|$)', message: 'infrastructure (projections, reactors, wiring) builds on application/, never on the HTTP layer' }],
      }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
];
