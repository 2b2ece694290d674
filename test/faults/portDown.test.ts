import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runPortDown } from '../../faults/portDown';
import { createTimeSkippingEnv } from '../support/temporal';

/**
 * The quick part of the fault suite (`npm run faults` runs it too): the letters port is down for
 * an hour of server time. The journey retries, shows as technically stuck, recovers, and the plan
 * copy goes out exactly once.
 */

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

it('a letters port down for an hour: retried, shown as technically stuck, recovered, no duplicate letter', async () => {
  const result = await runPortDown(env);
  // retried: the activity's five attempts at least, all refused while the port was down
  expect(result.failedAttempts).toBeGreaterThanOrEqual(5);
  expect(result.technicalIssueShown).toBe('sendLetter');
  // recovered: delivered after the hour, nothing shown any more, the journey went on to services
  expect(result.downMinutes).toBeGreaterThanOrEqual(60);
  expect(result.technicalIssueAfter).toBeUndefined();
  expect(result.recovered).toBe(true);
  expect(result.stage).toBe('liveSupport');
  // one plan copy, once: a lost letter makes this 0, a doubled one 2 or a duplicate
  expect(result.lettersSent).toBe(1);
  expect(result.duplicates).toBe(0);
}, 90_000);
