import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { callerOf } from '../auth';
import { errorResponses } from '../errors';
import { withinFilter } from '../scope';
import type { RouteDeps } from '../server';
import { overdueReportSchema } from '../schemas';
import { journeyListQuery, summariseOverdue } from '../visibility';
import { overdueReportFromStore } from '../caseStore';

export const reportRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { journeys, auth, store, scope },
) => {
  app.get(
    '/reports/overdue',
    {
      onRequest: auth.require('read'),
      schema: {
        summary: 'Overdue open journeys: counts per team and per deadline kind, with the oldest case of each',
        description:
          "A journey with several overdue kinds counts once per kind (and once for its team). Only the caller's teams' journeys " +
          '(an auditor counts all).',
        tags: ['reports'],
        response: { 200: overdueReportSchema, ...errorResponses(401, 503) },
      },
    },
    async (request) => {
      const asOf = new Date();
      const withinTeams = scope.filterFor(callerOf(request));
      // Issue 12: with the case-event store, counted by the database.
      if (store) return overdueReportFromStore(store, asOf, withinTeams);
      const overdue = await journeys.list(journeyListQuery({ overdue: true }, asOf), asOf);
      return summariseOverdue(
        overdue.filter(({ row }) => withinFilter(withinTeams, row.team)),
        asOf,
      );
    },
  );
};
