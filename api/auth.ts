import { createHash } from 'node:crypto';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { CareConfig, Role } from '../temporal.config';
import { ApiError } from './errors';

/**
 * Bearer tokens → who is calling. The token map comes from configuration (CARE_API_TOKENS); the
 * caller's identity becomes the actor on every event they send, so nobody can act as someone else.
 */

export interface Caller {
  userId: string;
  role: Role;
}

/** What a route does, and so which roles may call it. */
export type Permission = 'read' | 'sendEvents' | 'refer' | 'repair';

/**
 * Practitioners, managers and integrations may read, refer and send events; the journey machine
 * then applies the finer rules from the actor's role (e.g. R-SGN-1: sign-off above the delegation
 * limit needs a manager). Auditors only read. Only managers may repair a wedged journey (it
 * rewinds the journey's run in Temporal).
 */
const permissions: Record<Role, readonly Permission[]> = {
  practitioner: ['read', 'sendEvents', 'refer'],
  manager: ['read', 'sendEvents', 'refer', 'repair'],
  integration: ['read', 'sendEvents', 'refer'],
  auditor: ['read'],
};

const actionInWords: Record<Permission, string> = {
  read: 'read journeys',
  sendEvents: 'send journey events',
  refer: 'make referrals',
  repair: 'repair wedged journeys',
};

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Authenticator {
  /** The caller behind an Authorization header; 401 if there is none or it is unknown. */
  authenticate(authorization: string | undefined): Caller;
  /** A Fastify onRequest hook: authenticates, checks the role may do `permission`, sets request.caller. */
  require(permission: Permission): onRequestHookHandler;
}

export function createAuthenticator(tokens: CareConfig['api']['tokens']): Authenticator {
  // Looked up by hash, so the lookup's timing says nothing about the secret tokens.
  const callers = new Map<string, Caller>(
    Object.entries(tokens).map(([token, { userId, role }]) => [sha256(token), { userId, role }]),
  );

  function authenticate(authorization: string | undefined): Caller {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      throw new ApiError(401, 'missing bearer token: send the header "Authorization: Bearer <token>"');
    }
    const caller = callers.get(sha256(match[1]));
    if (!caller) throw new ApiError(401, 'unknown token: it is not one of the configured API tokens');
    return caller;
  }

  return {
    authenticate,
    require(permission) {
      return async (request) => {
        const caller = authenticate(request.headers.authorization);
        if (!permissions[caller.role].includes(permission)) {
          const allowed = (Object.keys(permissions) as Role[]).filter((r) =>
            permissions[r].includes(permission),
          );
          const onlyReads = permissions[caller.role].every((p) => p === 'read');
          throw new ApiError(
            403,
            `role ${caller.role} may ${onlyReads ? 'only read' : `not ${actionInWords[permission]}`}; ` +
              `to ${actionInWords[permission]} a caller needs role ${allowed.join(', ')}`,
          );
        }
        request.caller = caller;
      };
    },
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by an Authenticator.require hook; null on routes without one. */
    caller: Caller | null;
  }
}

/** The authenticated caller of a route guarded by Authenticator.require. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error(`route ${request.routeOptions.url} has no authentication hook`);
  return request.caller;
}
