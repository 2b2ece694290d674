import { rmSync } from 'node:fs';
import { bundleEnv } from './workflowBundle';

/** Removes the workflow bundle written by the global setup. */
export default async function globalTeardown(): Promise<void> {
  const file = process.env[bundleEnv.path];
  if (file) rmSync(file, { force: true });
}
