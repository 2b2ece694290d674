import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../temporal.config';
import { searchAttributeTypes } from '../../runtime/searchAttributes';
import { serverExecutable } from '../../scripts/temporalBinaries';
import { journeySearchAttributes } from '../../workflows/searchAttributes';

/**
 * Temporal servers for tests, from the binaries `npm run setup` installed under .temporal/ (or
 * TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH). Call `env.teardown()` in afterAll.
 */

/** The Java time-skipping test server: timers of weeks and years pass in milliseconds. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: serverExecutable(loadConfig(), 'testServer') },
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
export function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: serverExecutable(loadConfig(), 'cli'),
      searchAttributes: [...journeySearchAttributes],
      log: { format: 'pretty', level: 'error' },
    },
  });
}
