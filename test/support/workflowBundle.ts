import { existsSync } from 'node:fs';

/**
 * The workflow code, bundled once per test run by test/support/globalSetup.ts, for workers:
 * `Worker.create({ workflowBundle: workflowBundle(), ... })`.
 */

/** The journey workflows' module (bundled with runtime/workflowBundle.ts's options). */
export { journeyWorkflowsPath as workflowsPath } from '../../runtime/workflowBundle';

/** Set by the global setup: the bundle's file, or why there is none. */
export const bundleEnv = { path: 'CARE_WORKFLOW_BUNDLE', error: 'CARE_WORKFLOW_BUNDLE_ERROR' } as const;

export function workflowBundle(): { codePath: string } {
  const codePath = process.env[bundleEnv.path];
  if (codePath && existsSync(codePath)) return { codePath };
  const why = process.env[bundleEnv.error];
  throw new Error(
    why
      ? `no workflow bundle: ${why}`
      : 'no workflow bundle: run the tests with jest (jest.config.js), whose global setup bundles workflows/index.ts',
  );
}
