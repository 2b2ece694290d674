// Jest: TypeScript tests through ts-jest (transpile only: `npm run typecheck` does the type
// checking), in Node. A JavaScript file because Jest on Node 20 can read a jest.config.ts only
// through ts-node, which this project does not otherwise need.
// The global setup bundles the workflow code once per run (test/support/workflowBundle.ts).

/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // Two ESM-only packages under Fastify (cookie, via inject; content-disposition, via swagger-ui)
  // must be transformed for Jest on Node 20; @fastify/cookie loads cookie with import(), which
  // Jest's CommonJS runtime cannot run untransformed (the operations pages' session cookie);
  // jose (OIDC sign-in, issue 14) is ESM-only too, and so are openid-client and its oauth4webapi
  // (the pages' sign-in through the identity provider).
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true } }] },
  transformIgnorePatterns: [
    '/node_modules/(?!(cookie|content-disposition|@fastify/cookie|jose|openid-client|oauth4webapi)/)',
  ],
  roots: ['<rootDir>/test'],
  // The cluster suite is opt-in (`npm run test:cluster`, its own test/cluster/jest.config.js): it
  // builds a Temporal server from source and runs for many minutes.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  testTimeout: 120_000,
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
};
