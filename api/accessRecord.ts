import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessEntry, AccessLog } from '../store/accessLog';
import { personIdSchema } from './schemas';

/**
 * A record of who looked (issue 14 point 5): a route that reads or writes a person's journey says
 * so in its config (`access`), and every answer it gives (200 or not: a refused or out-of-reach
 * attempt is recorded too) is appended to the access log before it is sent. If the entry cannot
 * be written the answer is withheld (503): nobody reads a journey without it being recorded.
 * Requests without a caller (no valid token) read nothing and are not recorded.
 */

export interface AccessConfig {
  action: 'read' | 'write';
  /** the people the request is about (default: the route's :personId) */
  people?: (request: FastifyRequest) => string[];
  /** a write's event type, where the body names one */
  eventType?: (request: FastifyRequest) => string | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** this route reads or writes a person's journey: each call is in their access log */
    access?: AccessConfig;
  }
}

const paramPerson = (request: FastifyRequest): string[] => {
  const personId = (request.params as { personId?: unknown } | undefined)?.personId;
  return typeof personId === 'string' ? [personId] : [];
};

/**
 * The `type` of a JSON body, for a write's event type. Recorded for refused bodies too, so one with
 * a control character is left out: the store's text cannot hold a NUL, and the entry must be written.
 */
export const bodyType = (request: FastifyRequest): string | undefined => {
  const type = (request.body as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' && !/\p{Cc}/u.test(type) ? type.slice(0, 100) : undefined;
};

export function installAccessRecord(app: FastifyInstance, log: AccessLog): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const access = request.routeOptions.config.access;
    const caller = request.caller;
    if (!access || !caller) return payload;
    // only ids that are ids: a malformed one names nobody
    const people = [...new Set((access.people ?? paramPerson)(request))].filter(
      (id) => personIdSchema.safeParse(id).success,
    );
    if (!people.length) return payload;
    const at = new Date().toISOString();
    const userAgent = request.headers['user-agent'];
    const eventType = access.eventType?.(request);
    const entries: AccessEntry[] = people.map((personId) => ({
      personId,
      at,
      userId: caller.userId,
      role: caller.role,
      via: caller.via,
      action: access.action,
      route: `${request.method} ${request.routeOptions.url ?? request.url}`,
      ...(eventType ? { eventType } : {}),
      status: reply.statusCode,
      ...(request.ip ? { ip: request.ip } : {}),
      ...(typeof userAgent === 'string' ? { userAgent } : {}),
    }));
    try {
      await log.append(entries);
    } catch (err) {
      request.log.error({ err }, `access log (${log.where}) not written`);
      void reply
        .code(503)
        .header('content-type', 'application/json; charset=utf-8')
        .header('retry-after', '5');
      return JSON.stringify({
        error: `the access log (${log.where}) could not be written, so the answer is withheld: try again shortly`,
      });
    }
    return payload;
  });
}
