import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { policyProfiles, type PolicyProfile } from './machines/policyProfile';
import { policyProfileSchema } from './machines/policyProfileSchema';

/**
 * The one place configuration is read. Everything comes from the environment (or its defaults),
 * validated with zod so a mistake stops start-up with a message naming the variable.
 *
 * Without TEMPORAL_ADDRESS the start command runs the embedded Temporal dev server (SQLite under
 * .data/); with it, the same code connects to a council's own cluster or Temporal Cloud.
 */

const roleSchema = z.enum(['practitioner', 'manager', 'integration', 'auditor']);
export type Role = z.infer<typeof roleSchema>;

/**
 * Whose journeys a caller reaches (issue 14 point 4, api/scope.ts): team ids, or "*" for every
 * team. A static token names its teams; only an auditor's may leave them out (it reads all).
 */
const teamScopeSchema = z.union([
  z.literal('*'),
  z.array(z.string().min(1).max(200)).min(1, 'list at least one team, or "*" for every team'),
]);
export type TeamScope = z.infer<typeof teamScopeSchema>;

const tokensSchema = z.record(
  z.string().min(16, 'a bearer token must be at least 16 characters'),
  z
    .object({ userId: z.string().min(1), role: roleSchema, teams: teamScopeSchema.optional() })
    .refine((who) => who.teams !== undefined || who.role === 'auditor', {
      message: 'name the token\'s teams: "teams": ["<team id>", …], or "teams": "*" for every team',
      path: ['teams'],
    })
    .transform(({ userId, role, teams }) => ({ userId, role, teams: teams ?? ('*' as const) })),
);

/** JWS algorithms a JWKS can verify (never "none", never a shared secret). */
export const oidcAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('care-journeys'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_DEV_PORT: z.coerce.number().int().positive().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().positive().default(8233),
  /**
   * The embedded dev server's Web UI: off unless 1 (docs/securing-temporal.md). It has no sign-in and
   * lists every journey's team, worker, stage and safeguarding flag to anyone on the machine who can
   * reach its port, so it is only for a developer's own machine (bound to 127.0.0.1 even then).
   */
  CARE_TEMPORAL_UI: z.enum(['0', '1', 'false', 'true']).default('0'),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().optional(),
  CARE_DATA_DIR: z.string().default('.data'),
  CARE_API_HOST: z.string().default('127.0.0.1'),
  CARE_API_PORT: z.coerce.number().int().nonnegative().default(3000),
  CARE_API_URL: z.string().optional(),
  /**
   * Which proxies in front of the API to believe about the caller (X-Forwarded-For / -Proto): unset
   * or "false" none; "true" any; else the proxies' addresses or CIDRs, comma-separated.
   * Needed behind a proxy that ends TLS: otherwise the pages' Secure session cookie is never set
   * (the API sees http) and the record of who looked names the proxy, not the person.
   */
  CARE_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v): boolean | string[] => {
      const value = (v ?? '').trim();
      if (value === '' || value === 'false') return false;
      if (value === 'true') return true;
      return value.split(',').map((address) => address.trim());
    }),
  /**
   * signs the pages' session cookie (at least 32 characters), the same on every API instance; unset:
   * a random secret per process, refused at start-up with CARE_DATABASE_URL, where the sessions are
   * shared (pages/index.ts, pageSessionSecret)
   */
  CARE_SESSION_SECRET: z
    .string()
    .min(32, 'the session secret must be at least 32 characters: e.g. openssl rand -base64 48')
    .optional(),
  /** derbyshire | lancashire | derbyCity | a path to a JSON file holding a whole profile */
  CARE_POLICY_PROFILE: z.string().default('derbyshire'),
  /**
   * JSON object: { "<token>": { "userId": "...", "role": "practitioner|manager|integration|auditor",
   * "teams": ["<team id>", …] or "*" } } (an auditor's teams may be left out: it reads all)
   */
  CARE_API_TOKENS: z.string().optional(),
  CARE_API_TOKEN: z.string().optional(),
  /**
   * How many times in a row the start command restarts an embedded dev server that died (with a
   * back-off: 1 s, 2 s, 4 s, … up to 30 s) before it gives up and exits 1; 0: exit at once.
   */
  CARE_DEV_SERVER_RESTARTS: z.coerce.number().int().min(0).max(100).default(5),
  /**
   * How many times in a row the start command replaces its journey worker when the worker fails
   * (Worker.run() rejected: its workflow thread died, …), with the same back-off, before it stops
   * everything and exits 1; 0: exit at once. The API and the case-event store stay up meanwhile
   * (runtime/workerSupervision.ts). A worker of its own (`npm run worker`) exits 1 instead.
   */
  CARE_WORKER_RESTARTS: z.coerce.number().int().min(0).max(100).default(5),
  /**
   * The case-event store (issue 12): a PostgreSQL connection string (postgres://user:pass@host:5432/db);
   * unset: the embedded store (PGlite) under CARE_DATA_DIR/case-store.
   */
  CARE_DATABASE_URL: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || /^postgres(ql)?:\/\/.+/.test(v),
      'must be a PostgreSQL connection string, postgres://user:password@host:5432/database',
    ),
  /** connections the pool may open to the server (per process) */
  CARE_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * The time limit of one call to the case-event store, in ms (store/timeLimit.ts): past it the API
   * answers 503 with Retry-After and /readyz says the store is down, rather than waiting on a store
   * that hangs.
   */
  CARE_STORE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** true: TLS, the server's certificate checked (against CARE_DATABASE_CA_PATH if set); false: no TLS */
  CARE_DATABASE_TLS: z.enum(['true', 'false']).optional(),
  CARE_DATABASE_CA_PATH: z.string().optional(),
  /**
   * A folder of the council's own letter templates (Nunjucks, `<letter kind>.njk`, `council.njk`,
   * `layout.njk`, …): a file there replaces the shipped one of the same name (activities/letters/templates).
   */
  CARE_LETTER_TEMPLATES_DIR: z.string().min(1).optional(),
  /** Comma-separated YYYY-MM-DD: bank holidays announced after the bundled data (one-off days). */
  CARE_EXTRA_BANK_HOLIDAYS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.iso.date('each extra bank holiday must be a date YYYY-MM-DD'))),
  /**
   * The payload keys (issue 14): AES-256 keys, 32 random bytes each in base64, as a comma-separated
   * list `id:base64,id:base64` or a JSON object `{"id": "base64"}`. Every listed key decrypts;
   * CARE_PAYLOAD_KEY_CURRENT (required with more than one) encrypts. Unset: a development key
   * generated once under CARE_DATA_DIR (only with the embedded dev server).
   */
  CARE_PAYLOAD_KEYS: z.string().min(1).optional(),
  CARE_PAYLOAD_KEY_CURRENT: z.string().min(1).optional(),
  /**
   * true: the worker also accepts payloads that were never encrypted. Only while journeys started
   * before payload encryption was switched on still run (until each has continued as new): it lets
   * anyone who can reach Temporal record events as any member of staff (docs/securing-temporal.md).
   * Unset/false: such payloads are refused.
   */
  CARE_PAYLOAD_ACCEPT_PLAINTEXT: z.enum(['true', 'false']).default('false'),
  /**
   * Comma-separated origins allowed to call the codec server (/codec/encode, /codec/decode) from a
   * browser: the Temporal Web UI's. Default: the embedded dev server's Web UI.
   */
  CARE_CODEC_CORS_ORIGINS: z.string().optional(),
  /**
   * Sign-in with OpenID Connect (issue 14 point 3): bearer JWTs from the council's identity
   * provider (e.g. Microsoft Entra ID), checked against its JWKS. Unset: static tokens only.
   * The issuer exactly as the tokens' `iss` says it (Entra: https://login.microsoftonline.com/<tenant id>/v2.0).
   */
  CARE_OIDC_ISSUER: z.url("must be the identity provider's issuer URL").optional(),
  /** Comma-separated: the `aud` values that mean this API (Entra: the app registration's client id) */
  CARE_OIDC_AUDIENCE: z.string().min(1).optional(),
  /** The provider's signing keys (Entra: https://login.microsoftonline.com/<tenant id>/discovery/v2.0/keys) */
  CARE_OIDC_JWKS_URL: z.url("must be the URL of the identity provider's JWKS").optional(),
  /** Comma-separated JWS algorithms accepted (default RS256, what Entra signs with) */
  CARE_OIDC_ALGORITHMS: z
    .string()
    .default('RS256')
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.enum(oidcAlgorithms, {
            error: `each algorithm must be one of ${oidcAlgorithms.join(', ')} (never "none" or a shared-secret HS*)`,
          }),
        )
        .min(1),
    ),
  /** The claim naming who signed in: recorded as the actor of what they do (Entra: oid, or preferred_username) */
  CARE_OIDC_USER_CLAIM: z.string().min(1).default('sub'),
  /** The claim holding the user's roles (Entra: roles, the app roles assigned) */
  CARE_OIDC_ROLE_CLAIM: z.string().min(1).default('roles'),
  /**
   * JSON object: a value of the role claim → our role, e.g. {"CareJourneys.Practitioner": "practitioner"}.
   * Unset: the claim's values are our role names themselves.
   */
  CARE_OIDC_ROLE_MAP: z.string().optional(),
  /** The claim holding the user's teams (Entra: groups, the security groups' object ids) */
  CARE_OIDC_TEAM_CLAIM: z.string().min(1).default('groups'),
  /**
   * JSON object: a value of the team claim → a team id (or "*", every team), e.g.
   * {"6f1c…": "north"}. Unset: the claim's values are team ids themselves. Set: other values are ignored.
   */
  CARE_OIDC_TEAM_MAP: z.string().optional(),
  /** Seconds of clock difference allowed on exp/nbf/iat */
  CARE_OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /**
   * The operations pages' own sign-in through the identity provider (OpenID Connect authorization
   * code with PKCE, pages/oidcSignIn.ts): the pages' client id at the provider. Unset: the pages
   * take a pasted token only. Needs CARE_OIDC_ISSUER (discovered from it), _AUDIENCE and _JWKS_URL,
   * since the access token the pages get is checked as the API checks every bearer token.
   */
  CARE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** The client's secret (a confidential client, sent to the token endpoint); unset: a public client, PKCE alone */
  CARE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider sends the browser back; registered with it. Default <CARE_API_URL>/sign-in/callback */
  CARE_OIDC_REDIRECT_URL: z.url("must be the URL of the pages' /sign-in/callback").optional(),
  /**
   * Space-separated scopes asked for: openid, and whatever makes the provider issue an access token
   * for this API's audience (Entra: api://<API app's client id>/.default). Default "openid profile email".
   */
  CARE_OIDC_SCOPES: z
    .string()
    .default('openid profile email')
    .transform((v) => v.split(/\s+/).filter(Boolean))
    .pipe(
      z
        .array(z.string())
        .refine(
          (scopes) => scopes.includes('openid'),
          'must include "openid" (this is OpenID Connect sign-in)',
        ),
    ),
  /** An RFC 8707 resource indicator naming this API, for providers that set the audience that way (not Entra) */
  CARE_OIDC_RESOURCE: z.url('must be the URL naming this API at the provider').optional(),
  /** What the sign-in button calls the provider: "Sign in with <name>" */
  CARE_OIDC_PROVIDER_NAME: z.string().min(1).max(80).default('your council account'),
  /** Where the provider sends the browser after signing out there (registered with it). Default <CARE_API_URL>/sign-in */
  CARE_OIDC_POST_LOGOUT_REDIRECT_URL: z.url('must be a URL of the pages').optional(),
});

export interface TemporalConnectionConfig {
  /** undefined: the start command runs the embedded dev server on devPort */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  apiKey: string | undefined;
  tls:
    | undefined
    | {
        serverNameOverride?: string;
        serverRootCACertificate?: Buffer;
        clientCertPair?: { crt: Buffer; key: Buffer };
      };
}

/** How a JWT from the identity provider is checked and read (api/auth.ts). */
export interface OidcConfig {
  issuer: string;
  audience: string[];
  jwksUrl: string;
  algorithms: (typeof oidcAlgorithms)[number][];
  clockToleranceSeconds: number;
  userClaim: string;
  roleClaim: string;
  /** claim value → role; undefined: the values are role names */
  roleMap: Record<string, Role> | undefined;
  teamClaim: string;
  /** claim value → team id or "*"; undefined: the values are team ids */
  teamMap: Record<string, string> | undefined;
}

/** The operations pages' sign-in through the identity provider (pages/oidcSignIn.ts). */
export interface OidcSignInConfig {
  /** discovered from here (its /.well-known/openid-configuration): CARE_OIDC_ISSUER */
  issuer: string;
  clientId: string;
  /** undefined: a public client (PKCE alone) */
  clientSecret: string | undefined;
  redirectUrl: string;
  scopes: string[];
  resource: string | undefined;
  providerName: string;
  postLogoutRedirectUrl: string;
}

export interface CareConfig {
  temporal: TemporalConnectionConfig;
  /** ui: the embedded Web UI is on (CARE_TEMPORAL_UI=1); off by default */
  devServer: { port: number; uiPort: number; ui: boolean; dbFile: string; maxRestarts: number };
  /** the start command's in-process worker: restarts in a row after a failure (CARE_WORKER_RESTARTS) */
  worker: { maxRestarts: number };
  binaries: { cliPath: string | undefined; testServerPath: string | undefined };
  dataDir: string;
  outboxDir: string;
  api: {
    host: string;
    port: number;
    url: string;
    tokens: z.infer<typeof tokensSchema>;
    /** development: CARE_API_TOKENS is unset, so developmentTokens (refused off loopback, api/auth.ts) */
    tokenSource: 'configured' | 'development';
    /** OpenID Connect sign-in (issue 14 point 3); undefined: static tokens only */
    oidc: OidcConfig | undefined;
    /** the pages' sign-in through the identity provider; undefined: the pages take a pasted token */
    signIn: OidcSignInConfig | undefined;
    /** Fastify's trustProxy (CARE_TRUST_PROXY) */
    trustProxy: boolean | string[];
    /** CARE_SESSION_SECRET; undefined: random per process */
    sessionSecret: string | undefined;
  };
  cli: { apiUrl: string; token: string | undefined };
  policyProfile: PolicyProfile;
  extraBankHolidays: string[];
  /** letters: the council's templates folder, if it has one (absolute) */
  letters: { templatesDir: string | undefined };
  /**
   * The payload keys (issue 14; runtime/dataConverter.ts makes the codec): those configured, or
   * the development key kept in developmentKeyFile (created on first use)
   */
  payloadKeys:
    | { source: 'configured'; keys: { id: string; key: Buffer }[]; currentKeyId: string }
    | { source: 'development'; developmentKeyFile: string };
  /**
   * Payloads that were never encrypted: refused (the default), or accepted while journeys started
   * before encryption still run (CARE_PAYLOAD_ACCEPT_PLAINTEXT)
   */
  plaintextPayloads: 'refuse' | 'accept';
  /** the codec server: the browser origins (Temporal Web UI) allowed to call it */
  codec: { corsOrigins: string[] };
  /** the case-event store: a PostgreSQL server (url), or the embedded one in embeddedDir */
  database: {
    url: string | undefined;
    embeddedDir: string;
    poolSize: number;
    /** the time limit of one store call, in ms (CARE_STORE_TIMEOUT_MS) */
    timeoutMs: number;
    /** undefined: as the connection string says (sslmode) */
    tls: undefined | false | { rejectUnauthorized: true; ca?: string };
  };
}

/** Development tokens, used only when CARE_API_TOKENS is not set (documented in the README). */
export const developmentTokens: z.infer<typeof tokensSchema> = {
  // every team: on your own machine one person plays every part
  'dev-practitioner-token': { userId: 'dev.practitioner', role: 'practitioner', teams: '*' },
  'dev-manager-token-000': { userId: 'dev.manager', role: 'manager', teams: '*' },
  'dev-integration-token': { userId: 'dev.integration', role: 'integration', teams: '*' },
  'dev-auditor-token-0000': { userId: 'dev.auditor', role: 'auditor', teams: '*' },
};

/** Hosts that reach only this machine: the development tokens are accepted only there. */
export const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function readPolicyProfile(value: string): PolicyProfile {
  if (value in policyProfiles) return policyProfiles[value as keyof typeof policyProfiles];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(value, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      `CARE_POLICY_PROFILE: "${value}" is neither a known profile (${Object.keys(policyProfiles).join(', ')}) nor a readable JSON file (${(err as Error).message})`,
    );
  }
  const parsed = policyProfileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`CARE_POLICY_PROFILE ${value}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

function readTemplatesDir(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const dir = path.resolve(value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError(
      `CARE_LETTER_TEMPLATES_DIR: "${value}" is not a folder; give the folder holding the council's letter templates, or unset it to use the shipped ones`,
    );
  }
  return dir;
}

const payloadKeyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

function readPayloadKeys(env: z.infer<typeof envSchema>, dataDir: string): CareConfig['payloadKeys'] {
  const list = env.CARE_PAYLOAD_KEYS?.trim();
  if (!list) {
    if (env.CARE_PAYLOAD_KEY_CURRENT) {
      throw new ConfigError(
        'CARE_PAYLOAD_KEY_CURRENT is set but CARE_PAYLOAD_KEYS is not: list the keys too',
      );
    }
    return { source: 'development', developmentKeyFile: path.join(dataDir, 'payload-keys.json') };
  }
  let entries: [string, unknown][];
  if (list.startsWith('{')) {
    try {
      entries = Object.entries(JSON.parse(list) as Record<string, unknown>);
    } catch (err) {
      throw new ConfigError(`CARE_PAYLOAD_KEYS is not JSON: ${(err as Error).message}`);
    }
  } else {
    entries = list.split(',').map((item) => {
      const at = item.indexOf(':');
      if (at < 0) throw new ConfigError(`CARE_PAYLOAD_KEYS: "${item.trim()}" is not id:base64-key`);
      return [item.slice(0, at).trim(), item.slice(at + 1).trim()];
    });
  }
  const keys = entries.map(([id, value]) => {
    if (!payloadKeyIdPattern.test(id)) {
      throw new ConfigError(
        `CARE_PAYLOAD_KEYS: key id "${id}" must be 1-64 letters, digits, dots, dashes or underscores`,
      );
    }
    const key = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
    if (
      key.length !== 32 ||
      typeof value !== 'string' ||
      key.toString('base64') !== value.replace(/\s/g, '')
    ) {
      throw new ConfigError(
        `CARE_PAYLOAD_KEYS: key "${id}" must be 32 random bytes in base64 (44 characters; make one with: openssl rand -base64 32)`,
      );
    }
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new ConfigError(`CARE_PAYLOAD_KEYS: key id "${twice}" is listed twice`);
  if (keys.length === 0) throw new ConfigError('CARE_PAYLOAD_KEYS lists no keys');
  const current = env.CARE_PAYLOAD_KEY_CURRENT ?? (keys.length === 1 ? ids[0] : undefined);
  if (!current) {
    throw new ConfigError(
      `CARE_PAYLOAD_KEY_CURRENT: with several payload keys (${ids.join(', ')}), name the one that encrypts`,
    );
  }
  if (!ids.includes(current)) {
    throw new ConfigError(
      `CARE_PAYLOAD_KEY_CURRENT: "${current}" is not one of CARE_PAYLOAD_KEYS (${ids.join(', ')})`,
    );
  }
  return { source: 'configured', keys, currentKeyId: current };
}

function readTokens(env: z.infer<typeof envSchema>): z.infer<typeof tokensSchema> {
  if (!env.CARE_API_TOKENS) return developmentTokens;
  let raw: unknown;
  try {
    raw = JSON.parse(env.CARE_API_TOKENS);
  } catch (err) {
    throw new ConfigError(`CARE_API_TOKENS is not JSON: ${(err as Error).message}`);
  }
  const parsed = tokensSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`CARE_API_TOKENS: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function readJsonMap<V extends z.ZodType>(
  name: string,
  value: string | undefined,
  valueSchema: V,
): Record<string, z.infer<V>> | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch (err) {
    throw new ConfigError(`${name} is not JSON: ${(err as Error).message}`);
  }
  const parsed = z.record(z.string().min(1), valueSchema).safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${name}: ${z.prettifyError(parsed.error)}`);
  return parsed.data as Record<string, z.infer<V>>;
}

function readOidc(env: z.infer<typeof envSchema>): OidcConfig | undefined {
  const { CARE_OIDC_ISSUER: issuer, CARE_OIDC_AUDIENCE: audience, CARE_OIDC_JWKS_URL: jwksUrl } = env;
  if (!issuer && !audience && !jwksUrl) return undefined;
  const missing = [
    ['CARE_OIDC_ISSUER', issuer],
    ['CARE_OIDC_AUDIENCE', audience],
    ['CARE_OIDC_JWKS_URL', jwksUrl],
  ].filter(([, v]) => !v);
  if (missing.length) {
    throw new ConfigError(
      `OpenID Connect sign-in needs CARE_OIDC_ISSUER, CARE_OIDC_AUDIENCE and CARE_OIDC_JWKS_URL together: set ${missing.map(([n]) => n).join(' and ')}`,
    );
  }
  const keys = new URL(jwksUrl!);
  if (keys.protocol !== 'https:' && !loopbackHosts.has(keys.hostname)) {
    throw new ConfigError(
      `CARE_OIDC_JWKS_URL must be https (the keys decide who may sign in); plain http only on this machine (127.0.0.1)`,
    );
  }
  return {
    issuer: issuer!,
    audience: audience!
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    jwksUrl: jwksUrl!,
    algorithms: env.CARE_OIDC_ALGORITHMS,
    clockToleranceSeconds: env.CARE_OIDC_CLOCK_TOLERANCE_SECONDS,
    userClaim: env.CARE_OIDC_USER_CLAIM,
    roleClaim: env.CARE_OIDC_ROLE_CLAIM,
    roleMap: readJsonMap('CARE_OIDC_ROLE_MAP', env.CARE_OIDC_ROLE_MAP, roleSchema),
    teamClaim: env.CARE_OIDC_TEAM_CLAIM,
    teamMap: readJsonMap('CARE_OIDC_TEAM_MAP', env.CARE_OIDC_TEAM_MAP, z.string().min(1).max(200)),
  };
}

/** http only for an address on this machine (the tests' provider): anything sent over it can be read */
function refusePlainHttp(name: string, url: string, what: string): void {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !loopbackHosts.has(parsed.hostname)) {
    throw new ConfigError(`${name} must be https (${what}); plain http only on this machine (127.0.0.1)`);
  }
}

function readSignIn(
  env: z.infer<typeof envSchema>,
  oidc: OidcConfig | undefined,
  apiUrl: string,
): OidcSignInConfig | undefined {
  const clientId = env.CARE_OIDC_CLIENT_ID;
  if (!clientId) {
    const stray = (
      [
        'CARE_OIDC_CLIENT_SECRET',
        'CARE_OIDC_REDIRECT_URL',
        'CARE_OIDC_RESOURCE',
        'CARE_OIDC_POST_LOGOUT_REDIRECT_URL',
      ] as const
    ).filter((name) => env[name] !== undefined);
    if (stray.length) {
      throw new ConfigError(
        `${stray.join(' and ')} set without CARE_OIDC_CLIENT_ID: the pages sign in through the identity provider only with a client id`,
      );
    }
    return undefined;
  }
  if (!oidc) {
    throw new ConfigError(
      'CARE_OIDC_CLIENT_ID needs CARE_OIDC_ISSUER, CARE_OIDC_AUDIENCE and CARE_OIDC_JWKS_URL: the access token the pages receive is checked as the API checks every token',
    );
  }
  const base = apiUrl.replace(/\/+$/, '');
  const redirectUrl = env.CARE_OIDC_REDIRECT_URL ?? `${base}/sign-in/callback`;
  const postLogoutRedirectUrl = env.CARE_OIDC_POST_LOGOUT_REDIRECT_URL ?? `${base}/sign-in`;
  refusePlainHttp('CARE_OIDC_ISSUER', oidc.issuer, 'the client secret and the codes go to it');
  refusePlainHttp('CARE_OIDC_REDIRECT_URL', redirectUrl, 'the sign-in code comes back over it');
  if (new URL(redirectUrl).pathname !== '/sign-in/callback') {
    throw new ConfigError(
      `CARE_OIDC_REDIRECT_URL must end in /sign-in/callback, where the pages take the provider's answer (it is ${redirectUrl})`,
    );
  }
  return {
    issuer: oidc.issuer,
    clientId,
    clientSecret: env.CARE_OIDC_CLIENT_SECRET,
    redirectUrl,
    scopes: env.CARE_OIDC_SCOPES,
    resource: env.CARE_OIDC_RESOURCE,
    providerName: env.CARE_OIDC_PROVIDER_NAME,
    postLogoutRedirectUrl,
  };
}

/** The settings that say how to reach Temporal, and nothing else. */
const temporalConnectionSchema = envSchema.pick({
  TEMPORAL_ADDRESS: true,
  TEMPORAL_NAMESPACE: true,
  TEMPORAL_TASK_QUEUE: true,
  TEMPORAL_API_KEY: true,
  TEMPORAL_TLS: true,
  TEMPORAL_TLS_CERT_PATH: true,
  TEMPORAL_TLS_KEY_PATH: true,
  TEMPORAL_TLS_CA_PATH: true,
  TEMPORAL_TLS_SERVER_NAME: true,
});

function readTemporalConnection(env: z.infer<typeof temporalConnectionSchema>): TemporalConnectionConfig {
  const useTls = env.TEMPORAL_TLS === 'true' || !!env.TEMPORAL_TLS_CERT_PATH || !!env.TEMPORAL_API_KEY;
  const file = (p: string | undefined) => (p ? readFileSync(p) : undefined);
  const cert = file(env.TEMPORAL_TLS_CERT_PATH);
  const key = file(env.TEMPORAL_TLS_KEY_PATH);
  if (!!cert !== !!key) {
    throw new ConfigError('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS)');
  }
  return {
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    apiKey: env.TEMPORAL_API_KEY,
    tls: useTls
      ? {
          serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME,
          serverRootCACertificate: file(env.TEMPORAL_TLS_CA_PATH),
          clientCertPair: cert && key ? { crt: cert, key } : undefined,
        }
      : undefined,
  };
}

/**
 * Only the connection settings (TEMPORAL_ADDRESS, _NAMESPACE, TLS, API key): for what talks to the
 * cluster's operator API and carries no payloads (`npm run setup:cluster`), so it neither needs the
 * payload keys nor stops on a setting of the API, the store or the letters that it never uses.
 */
export function loadTemporalConnection(source: NodeJS.ProcessEnv = process.env): TemporalConnectionConfig {
  const parsed = temporalConnectionSchema.safeParse(source);
  if (!parsed.success) throw new ConfigError(`configuration: ${z.prettifyError(parsed.error)}`);
  return readTemporalConnection(parsed.data);
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): CareConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new ConfigError(`configuration: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  const dataDir = path.resolve(env.CARE_DATA_DIR);
  const apiUrl = env.CARE_API_URL ?? `http://${env.CARE_API_HOST}:${env.CARE_API_PORT}`;
  const oidc = readOidc(env);
  return {
    temporal: readTemporalConnection(env),
    devServer: {
      port: env.TEMPORAL_DEV_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      ui: env.CARE_TEMPORAL_UI === '1' || env.CARE_TEMPORAL_UI === 'true',
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      maxRestarts: env.CARE_DEV_SERVER_RESTARTS,
    },
    worker: { maxRestarts: env.CARE_WORKER_RESTARTS },
    binaries: { cliPath: env.TEMPORAL_CLI_PATH, testServerPath: env.TEMPORAL_TEST_SERVER_PATH },
    dataDir,
    outboxDir: path.join(dataDir, 'outbox'),
    api: {
      host: env.CARE_API_HOST,
      port: env.CARE_API_PORT,
      url: apiUrl,
      tokens: readTokens(env),
      tokenSource: env.CARE_API_TOKENS ? 'configured' : 'development',
      oidc,
      signIn: readSignIn(env, oidc, apiUrl),
      trustProxy: env.CARE_TRUST_PROXY,
      sessionSecret: env.CARE_SESSION_SECRET,
    },
    cli: { apiUrl, token: env.CARE_API_TOKEN },
    policyProfile: readPolicyProfile(env.CARE_POLICY_PROFILE),
    extraBankHolidays: env.CARE_EXTRA_BANK_HOLIDAYS,
    payloadKeys: readPayloadKeys(env, dataDir),
    plaintextPayloads: env.CARE_PAYLOAD_ACCEPT_PLAINTEXT === 'true' ? 'accept' : 'refuse',
    codec: {
      corsOrigins: (
        env.CARE_CODEC_CORS_ORIGINS ??
        `http://127.0.0.1:${env.TEMPORAL_UI_PORT},http://localhost:${env.TEMPORAL_UI_PORT}`
      )
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    },
    letters: { templatesDir: readTemplatesDir(env.CARE_LETTER_TEMPLATES_DIR) },
    database: {
      url: env.CARE_DATABASE_URL,
      embeddedDir: path.join(dataDir, 'case-store'),
      poolSize: env.CARE_DATABASE_POOL_SIZE,
      timeoutMs: env.CARE_STORE_TIMEOUT_MS,
      tls:
        env.CARE_DATABASE_TLS === 'false'
          ? false
          : env.CARE_DATABASE_TLS === 'true' || env.CARE_DATABASE_CA_PATH
            ? {
                rejectUnauthorized: true,
                ...(env.CARE_DATABASE_CA_PATH ? { ca: readFileSync(env.CARE_DATABASE_CA_PATH, 'utf8') } : {}),
              }
            : undefined,
    },
  };
}

/** The address to dial: the configured cluster, or the embedded dev server. */
export function temporalAddress(config: CareConfig): string {
  return config.temporal.address ?? `127.0.0.1:${config.devServer.port}`;
}
