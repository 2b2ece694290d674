import { rmSync } from 'node:fs';
import { stopPostgres } from './postgresServer';
import { bundleEnv } from './workflowBundle';

/** Removes the workflow bundle written by the global setup, and stops its PostgreSQL server. */
export default async function globalTeardown(): Promise<void> {
  stopPostgres();
  const file = process.env[bundleEnv.path];
  if (file) rmSync(file, { force: true });
}
