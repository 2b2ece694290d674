import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../temporal.config';
import { careDataConverter } from '../../runtime/dataConverter';
import { searchAttributeTypes } from '../../runtime/searchAttributes';
import { serverExecutable } from '../../scripts/temporalBinaries';
import { journeySearchAttributes } from '../../workflows/searchAttributes';
import { testPayloadKeySettings } from './testPayloadKeys';

/**
 * Temporal servers for tests, from the binaries `npm run setup` installed under .temporal/ (or
 * TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH). Call `env.teardown()` in afterAll.
 */

/**
 * The env's client encrypts payloads as the project's clients do (issue 14), with the keys of
 * `settings` over the environment's (the global setup's test key; outside jest, e.g. the fault
 * suite, the test key too unless CARE_PAYLOAD_KEYS is set): the journey kit's workers read what it writes.
 */
const clientOptions = (settings: Record<string, string>) => ({
  dataConverter: careDataConverter(loadConfig({ ...testPayloadKeySettings, ...process.env, ...settings })),
});

/** The Java time-skipping test server: timers of weeks and years pass in milliseconds. */
export async function createTimeSkippingEnv(
  settings: Record<string, string> = {},
): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: serverExecutable(loadConfig(), 'testServer') },
    client: clientOptions(settings),
  });
  // The test server validates upserted search attributes too, so register the journey's (it is
  // new and empty, and cannot list what it has).
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: searchAttributeTypes(),
  });
  return env;
}

/**
 * A real dev server (the Temporal CLI), in memory, on a free port, with the journey search
 * attributes registered: for visibility queries, updates and everything the test server lacks.
 */
export function createDevServerEnv(
  options: {
    /** payload keys etc. for the env's client (see clientOptions) */
    settings?: Record<string, string>;
    /** keep the server's data in this SQLite file instead of in memory (to look inside it) */
    dbFilename?: string;
  } = {},
): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: serverExecutable(loadConfig(), 'cli'),
      searchAttributes: [...journeySearchAttributes],
      log: { format: 'pretty', level: 'error' },
      ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
    },
    client: clientOptions(options.settings ?? {}),
  });
}
