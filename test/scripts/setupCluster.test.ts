/**
 * `npm run setup:cluster` against a real Temporal server (the dev server, whose visibility is the
 * SQL store on SQLite, with the same per-namespace limits as PostgreSQL and MySQL): it needs only the
 * connection settings, never the payload keys or any other setting of the application.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { msToTs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributeTypes } from '../../runtime/searchAttributes';
import { serverExecutable } from '../../scripts/temporalBinaries';
import { loadConfig } from '../../temporal.config';

const root = path.resolve(__dirname, '..', '..');
const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** The script in a process of its own, with only these settings (no CARE_PAYLOAD_KEYS among them). */
function setupCluster(
  settings: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsxCli, path.join(root, 'scripts', 'registerSearchAttributes.ts')],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...settings } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err.code as number | undefined) ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Settings of the API, the store and the letters, each invalid: the script must not read them. */
const brokenApplicationSettings = {
  CARE_API_TOKENS: 'not json',
  CARE_POLICY_PROFILE: '/nowhere/profile.json',
  CARE_DATABASE_URL: 'mysql://not-postgres',
  CARE_LETTER_TEMPLATES_DIR: '/nowhere/templates',
  CARE_PAYLOAD_KEY_CURRENT: 'a-key-with-no-keys-listed',
};

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  // a dev server with no search attributes registered: the script adds them all
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: serverExecutable(loadConfig(), 'cli'), log: { format: 'pretty', level: 'error' } },
  });
});

afterAll(async () => {
  await env?.teardown();
});

it('registers every journey search attribute with only the address and namespace (no payload keys), and says where the journeys belong', async () => {
  const run = await setupCluster({
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: 'default',
    ...brokenApplicationSettings,
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/registered on default: NextDeadlineAt/);
  expect(run.stdout).toMatch(`search attributes ready on ${env.address} namespace default`);
  expect(run.stdout).toMatch(/namespace of their own/);
  expect(run.stdout).toMatch(/PostgreSQL 12\+ or MySQL 8\.0\.17\+.*or Elasticsearch/s);
  const { customAttributes } = await env.connection.operatorService.listSearchAttributes({
    namespace: 'default',
  });
  expect(customAttributes).toEqual(expect.objectContaining(searchAttributeTypes()));

  const again = await setupCluster({ TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default' });
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/already registered on default: NextDeadlineAt/);
  expect(again.stdout).not.toMatch(/^registered on/m);
});

it('on a self-hosted namespace whose Datetime slots are taken, advises what a self-hosted operator does, not Temporal Cloud', async () => {
  const namespace = 'crowded';
  await env.connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  // the namespace is usable once the server's namespace cache has it
  for (let attempt = 0; ; attempt++) {
    try {
      await env.connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { InvoiceDueAt: searchAttributeTypes().NextDeadlineAt! },
      });
      break;
    } catch (err) {
      if (attempt > 50) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const run = await setupCluster({ TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: namespace });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(
    /no Datetime search attribute left: the SQL visibility store holds 3 per namespace/,
  );
  expect(run.stderr).toMatch(/but InvoiceDueAt already uses 1/);
  expect(run.stderr).toMatch(/temporal operator namespace create --namespace care-journeys/);
  expect(run.stderr).not.toMatch(/Cloud UI|tcld/);
});
