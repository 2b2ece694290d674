// Jest: TypeScript tests through ts-jest (transpile only: `npm run typecheck` does the type
// checking), in Node. A JavaScript file because Jest on Node 20 can read a jest.config.ts only
// through ts-node, which this project does not otherwise need.
// The global setup bundles the workflow code once per run (test/support/workflowBundle.ts).

/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testTimeout: 120_000,
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
};
