import { existsSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDevServerEnv, createTimeSkippingEnv } from './support/temporal';
import { workflowBundle, workflowsPath } from './support/workflowBundle';

/** The test harness itself: both Temporal servers start and answer, and the workflow code bundles. */

describe('dev server environment', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createDevServerEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('has the journey search attributes registered', async () => {
    const { customAttributes } = await env.connection.operatorService.listSearchAttributes({
      namespace: 'default',
    });
    expect(Object.keys(customAttributes ?? {})).toEqual(
      expect.arrayContaining(['JourneyStage', 'NextDeadlineAt', 'OverdueKinds', 'StageStuckAfterEpoch']),
    );
  });
});

describe('time-skipping environment', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('skips a day at once', async () => {
    const before = await env.currentTimeMs();
    const started = Date.now();
    await env.sleep('1 day');
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(before + 24 * 60 * 60 * 1000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('workflow bundle', () => {
  const itIfWorkflows = existsSync(workflowsPath) ? it : it.skip;
  itIfWorkflows('was written by the global setup', () => {
    expect(existsSync(workflowBundle().codePath)).toBe(true);
  });
});
