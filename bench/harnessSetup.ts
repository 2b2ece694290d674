import { existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { journeyBundleOptions } from '../runtime/workflowBundle';
import { useTestPayloadKeys } from '../test/support/testPayloadKeys';
import { bundleEnv } from '../test/support/workflowBundle';

/**
 * What jest's global setup does for test/api/apiHarness.ts, for the bench parts that use it
 * (storeLists.ts, importRate.ts): the checked-in test payload key, and the workflow bundle once.
 */
export async function prepareApiHarness(): Promise<void> {
  useTestPayloadKeys();
  const existing = process.env[bundleEnv.path];
  if (existing && existsSync(existing)) return;
  const quiet = {
    log: () => undefined,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (message: string) => console.error(`[bundler] ${message}`),
  };
  const { code } = await bundleWorkflowCode({ ...journeyBundleOptions, logger: quiet });
  const file = path.join(os.tmpdir(), `care-journeys-bench-harness-${process.pid}.js`);
  writeFileSync(file, code);
  process.on('exit', () => rmSync(file, { force: true }));
  process.env[bundleEnv.path] = file;
}
