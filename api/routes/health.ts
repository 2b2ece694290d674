import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../server';
import { healthSchema } from '../schemas';

/** GET /healthz: no token needed, so load balancers and monitoring can call it. */
export const healthRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { journeys }) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Is Temporal reachable, and is a worker polling the task queue?',
        tags: ['health'],
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const health = await journeys.health();
      return reply.code(health.ok ? 200 : 503).send(health);
    },
  );
};
