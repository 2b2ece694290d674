import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, errorResponses, noJourneyMessage } from '../errors';
import type { RouteDeps } from '../server';
import { actorOf, callerOf } from '../auth';
import { letterTitles } from '../../activities/letters/documents';
import type { LetterKind } from '../../machines/effects';
import { requireReach, teamFromVisibility, withinFilter } from '../scope';
import {
  correspondenceSchema,
  journeyDetailSchema,
  journeyListSchema,
  journeyUnavailableSchema,
  personIdSchema,
  recordedEventsSchema,
  repairBodySchema,
  repairResultSchema,
} from '../schemas';
import {
  byUrgency,
  decodeCursor,
  filtersFingerprint,
  journeyFiltersSchema,
  journeyListQuery,
  pageOf,
  type SortableRow,
} from '../visibility';
import { listFromStore } from '../caseStore';
import { journeyNumberOf } from '../../workflows/journeyNumber';
import type { TimelineEntry } from '../../machines/types';

const listQuerySchema = journeyFiltersSchema.extend({
  cursor: z.string().optional().describe('nextCursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** How long the sorted rows of a listing are kept for its later pages. */
const listingKeptMs = 60_000;
const listingsKept = 8;

export const journeyRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { journeys, auth, store, scope },
) => {
  /**
   * Visibility cannot sort, so a listing scans every match; its later pages reuse that scan for a
   * minute (keyed by the filters and the cursor's asOf), so paging is cheap and no case is seen
   * twice or skipped between pages. A first page always scans afresh.
   */
  const recentListings = new Map<string, { rows: SortableRow[]; at: number }>();
  async function sortedListing(
    query: string,
    asOf: Date,
    key: string,
    reuse: boolean,
  ): Promise<SortableRow[]> {
    const now = Date.now();
    for (const [k, listing] of recentListings) if (now - listing.at > listingKeptMs) recentListings.delete(k);
    const kept = reuse ? recentListings.get(key) : undefined;
    if (kept) return kept.rows;
    const rows = (await journeys.list(query, asOf)).sort(byUrgency);
    recentListings.set(key, { rows, at: now });
    if (recentListings.size > listingsKept) recentListings.delete(recentListings.keys().next().value!);
    return rows;
  }

  app.get(
    '/journeys',
    {
      onRequest: auth.require('read'),
      schema: {
        summary: 'Open journeys, filtered; stuck ones with why; longest overdue first; paged',
        description:
          "Selected by a Temporal visibility query on the journeys' search attributes (never by asking each journey). " +
          'Visibility is eventually consistent: a change shows here within a second or so. ' +
          'The pages of one listing (followed by cursor within a minute) come from one scan, so none is seen twice. ' +
          "Only the journeys of the caller's teams (an auditor's: all; the unallocated ones: the duty team's and managers').",
        tags: ['journeys'],
        querystring: listQuerySchema,
        response: { 200: journeyListSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query;
      // issue 14: only the journeys of the caller's teams
      const withinTeams = scope.filterFor(callerOf(request));
      // Issue 12: with the case-event store, from it (ORDER BY, indexes, keyset pages).
      if (store) return listFromStore(store, journeys, filters, { cursor, limit }, withinTeams);
      const filtersId = filtersFingerprint(filters);
      const scopeId = withinTeams ? JSON.stringify(withinTeams) : '*';
      // Later pages keep the first page's "now", so a case does not hop between pages as time passes.
      const position = cursor
        ? decodeCursor(cursor, filters)
        : { offset: 0, asOf: Math.floor(Date.now() / 1000) };
      const asOf = new Date(position.asOf * 1000);
      const query = journeyListQuery(filters, asOf);
      const rows = (
        await sortedListing(query, asOf, `${filtersId}@${position.asOf}@${scopeId}`, cursor !== undefined)
      ).filter(({ row }) => withinFilter(withinTeams, row.team));
      const page = pageOf(rows, position.offset, limit, { asOf: position.asOf, filters: filtersId });
      return {
        journeys: page.rows,
        total: page.total,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        asOf: asOf.toISOString(),
        query,
      };
    },
  );

  app.get(
    '/journeys/:personId',
    {
      onRequest: auth.require('read'),
      config: { access: { action: 'read' } },
      schema: {
        summary: 'One journey: stage, allowed events (and why others are not), deadlines, timeline, health',
        tags: ['journeys'],
        params: z.object({ personId: personIdSchema }),
        description:
          'A journey that cannot answer yet (its workflow task is failing, or a worker is still catching up after a ' +
          'restart) answers 503 with Retry-After, the reason, and what Temporal knows about it (JourneyUnavailable).',
        response: {
          200: journeyDetailSchema,
          ...errorResponses(400, 401, 404, 503),
          503: journeyUnavailableSchema,
        },
      },
    },
    async (request) => {
      const { personId } = request.params;
      const caller = callerOf(request);
      // out of the caller's reach: exactly what a person with no journey gets
      const notFound = () => new ApiError(404, noJourneyMessage(personId, false));
      const detail = await journeys.detail(personId, new Date()).catch(async (err: unknown) => {
        // a journey that cannot answer (503) tells its health: only to those it is within reach of
        if (err instanceof ApiError && err.statusCode === 503 && !scope.seesEveryTeam(caller)) {
          const found = await teamFromVisibility(personId, journeys);
          if (found !== 'unknown' && !scope.reaches(caller, found.team)) throw notFound();
        }
        throw err;
      });
      if (!scope.reaches(caller, detail.view.team)) throw notFound();
      return detail;
    },
  );

  app.get(
    '/journeys/:personId/correspondence',
    {
      onRequest: auth.require('read'),
      config: { access: { action: 'read' } },
      schema: {
        summary: 'What a journey has sent: letters, reminders and escalations, from the case record',
        description:
          'Read from the case-event store, so it is there after the workflow has closed. 404 when the store ' +
          'holds nothing for the person, or the API runs without a store.',
        tags: ['journeys'],
        params: z.object({ personId: personIdSchema }),
        response: { 200: correspondenceSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      if (!store)
        throw new ApiError(404, 'this API keeps no case-event store, so it has no correspondence to show');
      const record = await store.personRecord(personId);
      // out of the caller's reach: exactly what a person with no record gets
      if (!record.journey || !scope.reaches(callerOf(request), record.journey.team))
        throw new ApiError(404, `the case record holds nothing for person ${personId}`);
      return {
        personId,
        letters: record.letters.map((l) => ({
          ...l,
          title: letterTitles[l.letter as LetterKind] ?? l.letter,
        })),
        notices: record.notices,
      };
    },
  );

  app.get(
    '/journeys/:personId/events',
    {
      onRequest: auth.require('read'),
      config: { access: { action: 'read' } },
      schema: {
        summary:
          'What was recorded: every event accepted on the person’s journeys, with its fields, from the case record',
        description:
          'Read from the case-event store, oldest first, so a page can show what an assessment, a plan or a sign-off ' +
          'recorded. 404 when the store holds nothing for the person, or the API runs without a store.',
        tags: ['journeys'],
        params: z.object({ personId: personIdSchema }),
        response: { 200: recordedEventsSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      if (!store)
        throw new ApiError(404, 'this API keeps no case-event store, so it has no recorded events to show');
      const record = await store.personRecord(personId);
      // out of the caller's reach: exactly what a person with no record gets
      if (!record.journey || !scope.reaches(callerOf(request), record.journey.team))
        throw new ApiError(404, `the case record holds nothing for person ${personId}`);
      return {
        personId,
        events: record.entries
          .filter((e) => e.kind === 'event')
          .map((e) => {
            const entry = e.entry as TimelineEntry;
            const fields = e.event
              ? Object.fromEntries(
                  Object.entries(e.event).filter(
                    ([key]) => !['type', 'eventId', 'occurredAt', 'actor'].includes(key),
                  ),
                )
              : undefined;
            return {
              eventId: entry.eventId,
              type: entry.type,
              occurredAt: entry.occurredAt,
              recordedAt: entry.recordedAt,
              actor: entry.actor,
              journeyNumber: journeyNumberOf(e),
              ...(fields ? { fields } : {}),
            };
          }),
      };
    },
  );

  app.post(
    '/journeys/:personId/repair',
    {
      onRequest: auth.require('repair'),
      config: { access: { action: 'write' } },
      schema: {
        summary: 'Repair a wedged journey: reset it to its last good workflow task (managers only)',
        description:
          'For a journey whose workflow task keeps failing (GET /journeys/{personId} answers 503 with ' +
          'health.workflowTaskAttempt above 1). Temporal resets the run to the last WorkflowTaskCompleted before the ' +
          'failures: everything accepted before it is kept; signals received since are not replayed and are listed in ' +
          'droppedSignals. 409 if the journey is not running, not failing, or has no good point in this run to go back to.',
        tags: ['journeys'],
        params: z.object({ personId: personIdSchema }),
        body: repairBodySchema,
        response: { 200: repairResultSchema, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      await requireReach(scope, callerOf(request), personId, { store, journeys });
      return journeys.repair(personId, request.body.reason, actorOf(request));
    },
  );
};
