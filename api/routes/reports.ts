import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../errors';
import type { RouteDeps } from '../server';
import { overdueReportSchema } from '../schemas';
import { journeyListQuery, summariseOverdue } from '../visibility';

export const reportRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { journeys, auth }) => {
  app.get(
    '/reports/overdue',
    {
      onRequest: auth.require('read'),
      schema: {
        summary: 'Overdue open journeys: counts per team and per deadline kind, with the oldest case of each',
        description: 'A journey with several overdue kinds counts once per kind (and once for its team).',
        tags: ['reports'],
        response: { 200: overdueReportSchema, ...errorResponses(401, 503) },
      },
    },
    async () => {
      const asOf = new Date();
      const overdue = await journeys.list(journeyListQuery({ overdue: true }, asOf), asOf);
      return summariseOverdue(overdue, asOf);
    },
  );
};
