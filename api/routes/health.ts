import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CaseEventStore } from '../../store/caseEventStore';
import { isTimeLimited, withTimeLimit } from '../../store/timeLimit';
import { errorResponses } from '../errors';
import type { RouteDeps } from '../server';
import {
  healthSchema,
  livenessSchema,
  readinessSchema,
  type Health,
  type Readiness,
  type StoreState,
} from '../schemas';

/**
 * What each health endpoint promises (no token needed, so load balancers, orchestrators and
 * monitoring can call them; README "Operations"):
 * - GET /livez: the process answers. Nothing else is asked, so it is cheap and says nothing about
 *   Temporal or the store: restarting the process cures neither (a liveness probe).
 * - GET /readyz: this API can serve now: the case-event store answers within its time limit, Temporal
 *   answers, and a live worker polls the task queue (DescribeTaskQueue's pollers), each with its
 *   state; 503 when any is down (a readiness probe: take the instance out of the load balancer).
 * - GET /healthz: the same checks in the shape `care health` prints (Temporal, the worker's pollers,
 *   the store); 503 when any is down. It never says all is well while the store hangs.
 * Each answers within the store's time limit (CARE_STORE_TIMEOUT_MS) at most; the Temporal checks
 * have 1.5 s.
 */

/** The store as a health check finds it: asked now, within its time limit. */
async function storeState(store: CaseEventStore): Promise<StoreState> {
  const db = store.db;
  const ping = await (isTimeLimited(db) ? db : withTimeLimit(db)).ping();
  return ping.ok
    ? { state: 'up', where: db.where, ms: ping.ms }
    : { state: 'down', where: db.where, ms: ping.ms, error: ping.error };
}

async function healthOf({ journeys, store }: RouteDeps): Promise<Health> {
  const [health, stored] = await Promise.all([journeys.health(), store ? storeState(store) : undefined]);
  return stored ? { ...health, ok: health.ok && stored.state === 'up', store: stored } : health;
}

function readinessOf(health: Health): Readiness {
  const { temporal, worker, store } = health;
  const checks: Readiness['checks'] = {
    store: store ?? { state: 'notConfigured' },
    temporal: {
      state: temporal.reachable ? 'up' : 'down',
      ...(temporal.error ? { error: temporal.error } : {}),
    },
    worker: {
      state: worker.polling ? 'up' : 'down',
      taskQueue: worker.taskQueue,
      workflowPollers: worker.workflowPollers,
      activityPollers: worker.activityPollers,
      ...(worker.error ? { error: worker.error } : {}),
    },
  };
  return { ready: Object.values(checks).every((c) => c.state !== 'down'), checks };
}

export const healthRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  const started = Date.now();

  app.get(
    '/livez',
    {
      schema: {
        summary: 'Is this process alive? (liveness: nothing else is asked)',
        description:
          'Always 200 while the process answers HTTP. It asks neither Temporal nor the store, so a liveness probe ' +
          'built on it does not restart the API for their outages (a restart cures neither): use /readyz for those.',
        tags: ['health'],
        security: [],
        response: { 200: livenessSchema, ...errorResponses() },
      },
    },
    async () => ({ live: true as const, uptimeSeconds: Math.floor((Date.now() - started) / 1000) }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Can this API serve now? The store, Temporal and a live worker, each with its state',
        description:
          'Readiness: the case-event store answers (SELECT 1 within CARE_STORE_TIMEOUT_MS), Temporal answers, and a ' +
          'worker Temporal has seen within the poller window polls the task queue for workflow and activity tasks ' +
          '(DescribeTaskQueue). 503 with the same body when any is down: take the instance out of the load balancer. ' +
          'Answers within the store’s time limit at most; while the store is known to be down, at once.',
        tags: ['health'],
        security: [],
        response: { 200: readinessSchema, ...errorResponses(), 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const readiness = readinessOf(await healthOf(deps));
      return reply
        .code(readiness.ready ? 200 : 503)
        .headers(readiness.ready ? {} : { 'retry-after': '5' })
        .send(readiness);
    },
  );

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Is Temporal reachable, is a live worker polling the task queue, and does the store answer?',
        description:
          'Live: a poller Temporal has seen within pollerWindowSeconds (dead workers stay listed for minutes and are ' +
          "counted as stalePollers), and the start command's own worker running. The case-event store (when the API has " +
          'one) must answer within CARE_STORE_TIMEOUT_MS. 503 with the same body when any is not. The same checks as ' +
          '/readyz, in the shape `care health` prints; for a liveness probe use /livez.',
        tags: ['health'],
        security: [],
        response: { 200: healthSchema, ...errorResponses(), 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const health = await healthOf(deps);
      return reply
        .code(health.ok ? 200 : 503)
        .headers(health.ok ? {} : { 'retry-after': '5' })
        .send(health);
    },
  );
};
