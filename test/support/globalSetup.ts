import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { journeyBundleOptions } from '../../runtime/workflowBundle';
import { startPostgres } from './postgresServer';
import { useTestPayloadKeys } from './testPayloadKeys';
import { bundleEnv, workflowsPath } from './workflowBundle';

/**
 * Bundles the workflow code once for the whole test run (each Worker.create would otherwise run
 * webpack again) into a temporary file; the test processes inherit its path in CARE_WORKFLOW_BUNDLE.
 * A bundling error is printed here and again by every test that needs the bundle; tests that
 * don't (machines, rules) still run.
 */
export default async function globalSetup(): Promise<void> {
  // The case-event store's tests run against a real PostgreSQL server too (issue 12).
  await startPostgres();
  // Every test's clients and workers encrypt payloads under the checked-in test key (issue 14).
  useTestPayloadKeys();
  delete process.env[bundleEnv.path];
  delete process.env[bundleEnv.error];
  const source = path.relative(process.cwd(), workflowsPath);
  if (!existsSync(workflowsPath)) {
    const why = `${source} does not exist (yet)`;
    console.warn(`\n[globalSetup] not bundling the workflow code: ${why}`);
    process.env[bundleEnv.error] = why;
    return;
  }
  const started = Date.now();
  const problems: string[] = [];
  // webpack's progress (info) is noise in test output; its warnings and errors are kept
  const logger = {
    log: (level: string, message: string) =>
      (level === 'WARN' || level === 'ERROR') && problems.push(message),
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => console.warn(`[bundler] ${message}`),
    error: (message: string) => problems.push(message),
  };
  try {
    const { code } = await bundleWorkflowCode({ ...journeyBundleOptions, logger });
    const file = path.join(os.tmpdir(), `care-journeys-workflow-bundle-${process.pid}-${Date.now()}.js`);
    writeFileSync(file, code);
    process.env[bundleEnv.path] = file;
    console.log(`\n[globalSetup] workflow code bundled in ${Date.now() - started} ms`);
  } catch (err) {
    const details = problems.join('\n').slice(0, 4000);
    const why = `bundling ${source} failed: ${(err as Error).message}${details ? `\n${details}` : ''}`;
    console.error(`\n[globalSetup] ${why}`);
    process.env[bundleEnv.error] = why;
  }
}
