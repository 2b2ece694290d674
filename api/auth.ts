import { createHash } from 'node:crypto';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { createRemoteJWKSet, decodeProtectedHeader, errors as jose, jwtVerify, type JWTPayload } from 'jose';
import {
  ConfigError,
  loopbackHosts,
  type CareConfig,
  type OidcConfig,
  type Role,
  type TeamScope,
} from '../temporal.config';
import { ApiError } from './errors';

/**
 * Bearer tokens → who is calling. Two kinds (issue 14 point 3): a JWT from the council's identity
 * provider (OpenID Connect), checked against its published keys (JWKS) with the issuer, audience,
 * expiry and algorithm pinned in configuration; or a static token from CARE_API_TOKENS (for
 * integrations), looked up by hash. The caller's identity becomes the actor on every event they
 * send, so nobody can act as someone else; their teams decide whose journeys they reach (api/scope.ts).
 */

export interface Caller {
  userId: string;
  role: Role;
  /** whose journeys the caller reaches (api/scope.ts): team ids, or "*" for every team */
  teams: TeamScope;
  /** how they signed in: a static token, or a JWT from the identity provider */
  via: 'token' | 'oidc';
  /**
   * What the identity provider's token says of them besides (the standard OpenID Connect claims
   * name, given_name and family_name, email, phone_number): the staff directory's entry
   * (store/staffDirectory.ts). Absent when the token carries none of these.
   */
  profile?: StaffProfile;
}

export interface StaffProfile {
  name?: string;
  email?: string;
  telephone?: string;
}

/** The profile claims of a verified token (each trimmed, at most 500 characters); undefined: none. */
function profileFromClaims(payload: JWTPayload): StaffProfile | undefined {
  const claim = (name: string) => {
    const value = payload[name];
    // eslint-disable-next-line no-control-regex -- a claim is text to show: control characters are dropped
    const text = typeof value === 'string' ? value.replace(/[\u0000-\u001f\u007f]/g, '').trim() : '';
    return text ? text.slice(0, 500) : undefined;
  };
  const given = [claim('given_name'), claim('family_name')].filter(Boolean).join(' ');
  const profile: StaffProfile = {
    ...(claim('name') || given ? { name: claim('name') ?? given } : {}),
    ...(claim('email') ? { email: claim('email') } : {}),
    ...(claim('phone_number') ? { telephone: claim('phone_number') } : {}),
  };
  return Object.keys(profile).length ? profile : undefined;
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

/**
 * When a token's role claim holds several of our roles, the first of these is taken: the role
 * that acts on the most, within the user's teams. An auditor who is also a manager acts as a manager.
 */
const rolePrecedence: readonly Role[] = ['manager', 'practitioner', 'integration', 'auditor'];

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** Three base64url parts: a JWS in compact form (an unsigned one has an empty third part). */
const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface Authenticator {
  /** The caller behind an Authorization header; 401 if there is none or it is not valid. */
  authenticate(authorization: string | undefined): Promise<Caller>;
  /** A Fastify onRequest hook: authenticates, checks the role may do `permission`, sets request.caller. */
  require(permission: Permission): onRequestHookHandler;
}

export interface AuthenticatorOptions {
  tokens: CareConfig['api']['tokens'];
  oidc?: OidcConfig | undefined;
}

/**
 * The development tokens are published in this repository, so they are accepted only by an API
 * that only this machine can reach (issue 14 point 3): anywhere else start-up stops here.
 */
export function refuseDevelopmentTokensOffLoopback(
  api: Pick<CareConfig['api'], 'host' | 'tokenSource'>,
): void {
  if (api.tokenSource === 'development' && !loopbackHosts.has(api.host)) {
    throw new ConfigError(
      `CARE_API_TOKENS is not set, so the API would accept the development tokens published in this repository, ` +
        `but it listens on ${api.host} (CARE_API_HOST), which other machines can reach. Set CARE_API_TOKENS ` +
        `(JSON; {} when everyone signs in through the identity provider, CARE_OIDC_*), or listen on this machine only (CARE_API_HOST=127.0.0.1)`,
    );
  }
}

function claimValues(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Who a verified JWT says the caller is, by the configured claims. */
export function callerFromClaims(payload: JWTPayload, oidc: OidcConfig): Caller {
  const userId = payload[oidc.userClaim];
  if (typeof userId !== 'string' || userId === '') {
    throw new ApiError(
      401,
      `the token has no "${oidc.userClaim}" claim naming who signed in (CARE_OIDC_USER_CLAIM)`,
    );
  }
  const known = new Set<string>(rolePrecedence);
  const roles = claimValues(payload, oidc.roleClaim)
    .map((value) => (oidc.roleMap ? oidc.roleMap[value] : known.has(value) ? (value as Role) : undefined))
    .filter((r): r is Role => r !== undefined);
  const role = rolePrecedence.find((r) => roles.includes(r));
  if (!role) {
    const accepted = oidc.roleMap ? Object.keys(oidc.roleMap) : rolePrecedence;
    throw new ApiError(
      403,
      `${userId} signed in, but the token's "${oidc.roleClaim}" claim holds none of the roles this API knows ` +
        `(${accepted.join(', ')}): the council's identity team assigns them (CARE_OIDC_ROLE_CLAIM, CARE_OIDC_ROLE_MAP)`,
    );
  }
  const teamValues = claimValues(payload, oidc.teamClaim);
  const teams = oidc.teamMap
    ? teamValues.map((v) => oidc.teamMap![v]).filter((t): t is string => t !== undefined)
    : teamValues;
  const profile = profileFromClaims(payload);
  return {
    userId,
    role,
    teams: role === 'auditor' || teams.includes('*') ? '*' : [...new Set(teams)],
    via: 'oidc',
    ...(profile ? { profile } : {}),
  };
}

/** A jose refusal in words a caller can act on. */
function refusalOf(err: unknown, oidc: OidcConfig): ApiError {
  if (err instanceof jose.JWTExpired) {
    const exp = typeof err.payload.exp === 'number' ? new Date(err.payload.exp * 1000).toISOString() : '';
    return new ApiError(401, `the token has expired${exp ? ` (at ${exp})` : ''}: sign in again`);
  }
  if (err instanceof jose.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'iss':
        return new ApiError(
          401,
          `the token was issued by ${JSON.stringify(err.payload.iss ?? null)}, not by this API's identity provider ${oidc.issuer} (CARE_OIDC_ISSUER)`,
        );
      case 'aud':
        return new ApiError(
          401,
          `the token is for ${JSON.stringify(err.payload.aud ?? null)}, not for this API (${oidc.audience.join(' or ')}, CARE_OIDC_AUDIENCE)`,
        );
      case 'nbf':
        return new ApiError(401, 'the token is not valid yet (nbf): check the clocks, then sign in again');
      case 'exp':
        return new ApiError(401, 'the token has no expiry (exp): this API accepts only tokens that expire');
      default:
        return new ApiError(401, `the token's "${err.claim}" claim is not acceptable: ${err.message}`);
    }
  }
  if (err instanceof jose.JOSEAlgNotAllowed || err instanceof jose.JOSENotSupported) {
    return new ApiError(
      401,
      `the token's signing algorithm is not accepted: this API accepts ${oidc.algorithms.join(', ')} (CARE_OIDC_ALGORITHMS)`,
    );
  }
  if (err instanceof jose.JWKSNoMatchingKey || err instanceof jose.JWSSignatureVerificationFailed) {
    return new ApiError(
      401,
      "the token's signature does not verify against any of the identity provider's keys (CARE_OIDC_JWKS_URL): it was not signed by the provider, or was altered",
    );
  }
  if (
    err instanceof jose.JWKSTimeout ||
    err instanceof jose.JWKSInvalid ||
    !(err instanceof jose.JOSEError)
  ) {
    // the provider's keys could not be had: nobody's fault at the caller's end
    return new ApiError(
      503,
      `the identity provider's keys could not be fetched from ${oidc.jwksUrl} (${(err as Error).message}): try again shortly`,
      {},
      { 'retry-after': '5' },
    );
  }
  return new ApiError(401, `the token is not a valid JWT: ${err.message}`);
}

export function createAuthenticator({ tokens, oidc }: AuthenticatorOptions): Authenticator {
  // Looked up by hash, so the lookup's timing says nothing about the secret tokens.
  const callers = new Map<string, Caller>(
    Object.entries(tokens).map(([token, { userId, role, teams }]) => [
      sha256(token),
      { userId, role, teams, via: 'token' as const },
    ]),
  );
  // fetched on first use, kept for ten minutes, fetched again at once for a key id it has not seen
  const keys = oidc
    ? createRemoteJWKSet(new URL(oidc.jwksUrl), {
        timeoutDuration: 5_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 600_000,
      })
    : undefined;

  async function verified(token: string, oidc: OidcConfig, jwks: NonNullable<typeof keys>): Promise<Caller> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new ApiError(401, 'the token is not a valid JWT: its header cannot be read');
    }
    // never an unsigned token, whatever the configuration says
    if (!alg || alg.toLowerCase() === 'none') {
      throw new ApiError(401, 'the token is unsigned (alg "none"): this API accepts only signed tokens');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: oidc.algorithms,
        clockTolerance: oidc.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw refusalOf(err, oidc);
    }
    return callerFromClaims(payload, oidc);
  }

  async function authenticate(authorization: string | undefined): Promise<Caller> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      throw new ApiError(401, 'missing bearer token: send the header "Authorization: Bearer <token>"');
    }
    const token = match[1];
    const caller = callers.get(sha256(token));
    if (caller) return caller;
    if (jwtShape.test(token)) {
      if (oidc && keys) return verified(token, oidc, keys);
      throw new ApiError(
        401,
        'unknown token: it is not one of the configured API tokens, and this API has no identity provider to check a JWT against (CARE_OIDC_ISSUER)',
      );
    }
    throw new ApiError(401, 'unknown token: it is not one of the configured API tokens');
  }

  return {
    authenticate,
    require(permission) {
      return async (request) => {
        const caller = await authenticate(request.headers.authorization);
        // known before the role is checked, so a refused attempt on a journey is in its access log too
        request.caller = caller;
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

/** The caller as an event's actor: who and in which role, nothing more enters the journey's history. */
export function actorOf(request: FastifyRequest): { userId: string; role: Role } {
  const { userId, role } = callerOf(request);
  return { userId, role };
}
