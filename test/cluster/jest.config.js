// The cluster suite (`npm run test:cluster`): a Temporal server built from the Go module proxy, on
// PostgreSQL, with two workers and two API instances. Opt-in: the default run (jest.config.js)
// ignores test/cluster/, and this one runs only it, one file at a time in one process, since its
// tests share one installation and kill parts of it.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: Jest loads this file with require() */
const path = require('node:path');
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: path.resolve(__dirname, '..', '..'),
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/cluster/globalSetup.ts',
  globalTeardown: '<rootDir>/test/cluster/globalTeardown.ts',
  reporters: ['default', '<rootDir>/test/cluster/summaryReporter.js'],
  testTimeout: 1_200_000,
  maxWorkers: 1,
};
