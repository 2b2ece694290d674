import type { onRequestHookHandler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../auth';
import { ApiError, errorResponses } from '../errors';
import type { RouteDeps } from '../server';
import { personIdSchema } from '../schemas';

/**
 * GET /journeys/{personId}/access (issue 14 point 5): who read or wrote a person's journey, when,
 * how and from where, oldest first, paged; the raw material of a subject access request. For
 * auditors only (who looked is itself about the staff who did). Reading it is recorded too.
 */

const accessEntryBodySchema = z
  .object({
    at: z.string().describe('When (ISO instant)'),
    userId: z.string().describe('Who: the signed-in user or the integration'),
    role: z.string(),
    via: z.enum(['token', 'oidc']).describe('How they signed in: an API token, or the identity provider'),
    action: z.enum(['read', 'write']),
    route: z.string().describe('What: the API route, e.g. "GET /journeys/:personId"'),
    eventType: z
      .string()
      .optional()
      .describe("A write's event type (REFERRAL_RECEIVED, ASSESSMENT_STARTED, …)"),
    status: z
      .number()
      .int()
      .describe("The answer's HTTP status (404: outside the caller's teams, or no journey; 403: refused)"),
    ip: z.string().optional().describe('From where: the address the request came from'),
    userAgent: z.string().optional().describe('The browser or program that sent it (first 500 characters)'),
  })
  .meta({ id: 'AccessEntry' });

export const accessLogPageSchema = z
  .object({
    personId: z.string(),
    entries: z.array(accessEntryBodySchema).describe('Oldest first'),
    nextCursor: z.string().optional().describe('Pass as cursor for the next page; absent on the last'),
    where: z.string().describe('Where the log is kept: the case-event store, or a JSON Lines file'),
  })
  .meta({ id: 'AccessLogPage' });

const cursorOf = (seq: number) => Buffer.from(JSON.stringify({ after: seq })).toString('base64url');
function afterOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const { after } = z
      .object({ after: z.number().int().nonnegative() })
      .parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return after;
  } catch {
    throw new ApiError(400, 'invalid cursor: pass back the nextCursor of a previous page unchanged');
  }
}

export const accessRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { auth, accessLog }) => {
  const auditorsOnly: onRequestHookHandler = async (request) => {
    const { role } = callerOf(request);
    if (role !== 'auditor')
      throw new ApiError(403, `role ${role} may not read who looked at a journey; it needs role auditor`);
  };
  app.get(
    '/journeys/:personId/access',
    {
      onRequest: [auth.require('read'), auditorsOnly],
      config: { access: { action: 'read' } },
      schema: {
        summary: "Who read or wrote a person's journey: when, how, what and from where (auditors only)",
        description:
          "Every read and write of the person's journey through the API and the operations pages, refused and " +
          'out-of-reach attempts included, oldest first. Kept in the case-event store (never in Temporal), append-only. ' +
          'An empty page for a person nobody has looked at.',
        tags: ['journeys'],
        params: z.object({ personId: personIdSchema }),
        querystring: z.object({
          cursor: z.string().optional().describe('nextCursor from the previous page'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: accessLogPageSchema, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      const after = afterOf(request.query.cursor);
      const page = await accessLog.read(personId, {
        ...(after === undefined ? {} : { after }),
        limit: request.query.limit,
      });
      return {
        personId,
        entries: page.entries.map(({ seq: _seq, personId: _p, ...entry }) => entry),
        ...(page.next === undefined ? {} : { nextCursor: cursorOf(page.next) }),
        where: accessLog.where,
      };
    },
  );
};
