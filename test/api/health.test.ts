import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Health } from '../../api/schemas';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../temporal.config';
import { createJourneyWorker } from '../../worker/createWorker';
import { createDevServerEnv } from '../support/temporal';
import { workflowBundle } from '../support/workflowBundle';

/**
 * /healthz counts live workers only, against a real dev server: Temporal keeps listing a stopped
 * worker's pollers for minutes, so a poller counts only if Temporal saw it within the window
 * (70 s in production; 3 s here), and an in-process worker reports its own state at once.
 */

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const apps: FastifyInstance[] = [];
const config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: `health-test-${process.pid}` });

beforeAll(async () => {
  env = await createDevServerEnv();
  worker = await createJourneyWorker({
    connection: env.nativeConnection,
    config,
    workflowBundle: workflowBundle(),
  });
  running = worker.run();
}, 60_000);
afterAll(async () => {
  for (const app of apps) await app.close();
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
  await env?.teardown();
});

async function api(options: Parameters<typeof buildApi>[0]['journeyClient']) {
  const app = await buildApi({ client: env.client, config, journeyClient: options });
  apps.push(app);
  return async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    return { status: response.statusCode, body: response.json() as Health };
  };
}

it('a running worker is live; once stopped it is not, though Temporal still lists its pollers', async () => {
  const inProcess = await api({ pollerWindowMs: 3_000, inProcessWorkerState: () => worker.getState() });
  const byPollers = await api({ pollerWindowMs: 3_000 });

  const live = await inProcess();
  expect(live.status).toBe(200);
  expect(live.body).toMatchObject({
    ok: true,
    worker: { polling: true, workflowPollers: 1, activityPollers: 1, inProcess: { state: 'RUNNING' } },
  });

  worker.shutdown();
  await running;
  // the worker's own state says so at once
  const stopped = await inProcess();
  expect(stopped.status).toBe(503);
  expect(stopped.body.worker).toMatchObject({ polling: false, inProcess: { state: 'STOPPED' } });
  expect(stopped.body.worker.error).toBe('the in-process worker is STOPPED');

  // by pollers alone: once the window has passed, the stopped worker's pollers are stale
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  const listed = await env.client.workflowService.describeTaskQueue({
    namespace: config.temporal.namespace,
    taskQueue: { name: config.temporal.taskQueue, kind: 1 },
    taskQueueType: 1,
  });
  expect(listed.pollers?.length).toBeGreaterThan(0); // what the old /healthz counted
  const stale = await byPollers();
  expect(stale.status).toBe(503);
  expect(stale.body).toMatchObject({
    ok: false,
    temporal: { reachable: true },
    worker: { polling: false, workflowPollers: 0, activityPollers: 0, pollerWindowSeconds: 3 },
  });
  expect(stale.body.worker.stalePollers).toBeGreaterThanOrEqual(2);
  expect(stale.body.worker.error).toMatch(
    /^no live worker is polling task queue health-test-\d+ \(\d+ poller/,
  );
}, 60_000);
