import type { TestWorkflowEnvironment } from '@temporalio/testing';

/** Skips the time-skipping server's clock forward to an instant (no-op if already past it). */
export async function skipTo(env: TestWorkflowEnvironment, instant: string | number): Promise<void> {
  const target = typeof instant === 'number' ? instant : Date.parse(instant);
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
  // Let the workflow tasks the skip released finish before the test queries: a query sent to
  // the Java test server while a task is in flight can let its clock run on to the next timer.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

const SETTLE_MS = 300;

export async function serverNow(env: TestWorkflowEnvironment): Promise<string> {
  return new Date(await env.currentTimeMs()).toISOString();
}

export const DAY = 86_400_000;
export const MINUTE = 60_000;
