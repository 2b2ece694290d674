import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { createAuthenticator } from '../../api/auth';
import { buildApi } from '../../api/server';
import { ConfigError, loadConfig } from '../../temporal.config';
import {
  audience,
  issuer,
  startIdentityProvider,
  unsignedToken,
  type IdentityProvider,
} from './identityProvider';

/**
 * Sign-in with OpenID Connect (issue 14 point 3): JWTs signed by a key generated here and served
 * as a JWKS by a real HTTP server on loopback. A good token signs the caller in with the role and
 * teams its claims map to; an expired one, one for another audience or from another issuer, an
 * unsigned one (alg "none"), one signed by another key or with an algorithm not configured is
 * refused with 401 and says why. No Temporal server is needed: refusals come before any journey.
 */

/** Entra ID's shape: app roles in `roles`, security groups' object ids in `groups`. */
const entraEnv = {
  CARE_OIDC_USER_CLAIM: 'preferred_username',
  CARE_OIDC_ROLE_MAP: JSON.stringify({
    'CareJourneys.Practitioner': 'practitioner',
    'CareJourneys.Manager': 'manager',
    'CareJourneys.Auditor': 'auditor',
  }),
  CARE_OIDC_TEAM_MAP: JSON.stringify({
    '0b6f3c1e-0000-4000-8000-000000000001': 'north',
    '0b6f3c1e-0000-4000-8000-000000000002': 'south',
    '0b6f3c1e-0000-4000-8000-00000000000a': '*',
  }),
};
const northGroup = '0b6f3c1e-0000-4000-8000-000000000001';
const southGroup = '0b6f3c1e-0000-4000-8000-000000000002';
const everyTeamGroup = '0b6f3c1e-0000-4000-8000-00000000000a';

let idp: IdentityProvider;
let app: FastifyInstance;

beforeAll(async () => {
  idp = await startIdentityProvider(entraEnv);
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  app = await buildApi({
    client,
    config: loadConfig({
      ...idp.env,
      CARE_API_TOKENS: '{}',
      CARE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'care-oidc-')),
    }),
  });
});
afterAll(async () => {
  await app?.close();
  await idp?.stop();
});

const get = (url: string, token: string) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

const ann = {
  sub: 'a1',
  preferred_username: 'ann@example-council.test',
  roles: ['CareJourneys.Practitioner'],
};

describe('a token the identity provider signed', () => {
  const auth = () => createAuthenticator({ tokens: {}, oidc: loadConfig({ ...idp.env }).api.oidc });

  it('signs the caller in with the role and teams its claims map to (RS256 and ES256)', async () => {
    const a = auth();
    expect(
      await a.authenticate(`Bearer ${await idp.sign({ ...ann, groups: [northGroup, 'some-other-group'] })}`),
    ).toEqual({
      userId: 'ann@example-council.test',
      role: 'practitioner',
      teams: ['north'],
      via: 'oidc',
    });
    const bob = await idp.sign(
      {
        preferred_username: 'bob',
        roles: ['CareJourneys.Manager', 'CareJourneys.Auditor'],
        groups: [northGroup, southGroup],
      },
      { alg: 'ES256' },
    );
    // several roles: the one that acts (manager) over the one that only reads
    expect(await a.authenticate(`Bearer ${bob}`)).toMatchObject({
      role: 'manager',
      teams: ['north', 'south'],
    });
    const everyTeam = await idp.sign({
      preferred_username: 'cat',
      roles: ['CareJourneys.Manager'],
      groups: [everyTeamGroup],
    });
    expect(await a.authenticate(`Bearer ${everyTeam}`)).toMatchObject({ role: 'manager', teams: '*' });
    // an auditor reads every team's, whatever its groups
    const ada = await idp.sign({ preferred_username: 'ada', roles: ['CareJourneys.Auditor'] });
    expect(await a.authenticate(`Bearer ${ada}`)).toMatchObject({ role: 'auditor', teams: '*' });
  });

  it('reaches the API: an auditor reads an access log, a practitioner is told the role it needs', async () => {
    const ada = await idp.sign({ preferred_username: 'ada', roles: 'CareJourneys.Auditor' });
    const answer = await get('/journeys/P-1/access', ada);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ personId: 'P-1', entries: [] });
    const asAnn = await get('/journeys/P-1/access', await idp.sign(ann));
    expect({ status: asAnn.statusCode, error: asAnn.json().error }).toEqual({
      status: 403,
      error: 'role practitioner may not read who looked at a journey; it needs role auditor',
    });
  });

  it('is refused 403 when its roles claim holds none of ours', async () => {
    const answer = await get(
      '/journeys/P-1/access',
      await idp.sign({ preferred_username: 'eve', roles: ['Finance.Reader'] }),
    );
    expect(answer.statusCode).toBe(403);
    expect(answer.json().error).toBe(
      `eve signed in, but the token's "roles" claim holds none of the roles this API knows (CareJourneys.Practitioner, CareJourneys.Manager, CareJourneys.Auditor): the council's identity team assigns them (CARE_OIDC_ROLE_CLAIM, CARE_OIDC_ROLE_MAP)`,
    );
  });

  it('is checked against keys fetched once and kept, not fetched per request', async () => {
    const before = idp.fetches();
    for (let i = 0; i < 5; i++)
      expect((await get('/journeys/P-1/access', await idp.sign(ann))).statusCode).toBe(403);
    expect(idp.fetches() - before).toBeLessThanOrEqual(0);
  });
});

describe('refused with 401, saying why', () => {
  const past = Math.floor(Date.UTC(2020, 0, 1) / 1000);
  it.each<[string, () => Promise<string>, string]>([
    [
      'an expired token',
      () => idp.sign({ ...ann, iat: past - 3600, exp: past }),
      'the token has expired (at 2020-01-01T00:00:00.000Z): sign in again',
    ],
    [
      'a token for another audience',
      () => idp.sign({ ...ann, aud: 'api://someone-elses-api' }),
      `the token is for "api://someone-elses-api", not for this API (${audience}, CARE_OIDC_AUDIENCE)`,
    ],
    [
      'a token from another issuer',
      () => idp.sign({ ...ann, iss: 'https://login.elsewhere.test/v2.0' }),
      `the token was issued by "https://login.elsewhere.test/v2.0", not by this API's identity provider ${issuer} (CARE_OIDC_ISSUER)`,
    ],
    [
      'an unsigned token (alg "none")',
      async () => unsignedToken(ann),
      'the token is unsigned (alg "none"): this API accepts only signed tokens',
    ],
    [
      'a token signed by another key',
      () => idp.sign(ann, { key: 'other' }),
      "the token's signature does not verify against any of the identity provider's keys (CARE_OIDC_JWKS_URL): it was not signed by the provider, or was altered",
    ],
    [
      'a token altered after signing',
      async () => {
        const [header, , signature] = (await idp.sign(ann)).split('.');
        const claims = Buffer.from(
          JSON.stringify({
            ...ann,
            roles: ['CareJourneys.Auditor'],
            iss: issuer,
            aud: audience,
            exp: 4102444800,
          }),
        ).toString('base64url');
        return `${header}.${claims}.${signature}`;
      },
      "the token's signature does not verify against any of the identity provider's keys (CARE_OIDC_JWKS_URL): it was not signed by the provider, or was altered",
    ],
    [
      'a token without an expiry',
      () => idp.sign({ ...ann, exp: undefined }),
      'the token has no expiry (exp): this API accepts only tokens that expire',
    ],
  ])('%s', async (_what, token, message) => {
    const answer = await get('/journeys/P-1/access', await token());
    expect({ status: answer.statusCode, error: answer.json().error }).toEqual({
      status: 401,
      error: message,
    });
    expect(answer.headers['www-authenticate']).toBe('Bearer');
  });

  it('a token signed with an algorithm not configured (CARE_OIDC_ALGORITHMS)', async () => {
    const rsOnly = createAuthenticator({
      tokens: {},
      oidc: loadConfig({ ...idp.env, CARE_OIDC_ALGORITHMS: 'RS256' }).api.oidc,
    });
    await expect(
      rsOnly.authenticate(`Bearer ${await idp.sign(ann, { alg: 'ES256' })}`),
    ).rejects.toMatchObject({
      statusCode: 401,
      message: "the token's signing algorithm is not accepted: this API accepts RS256 (CARE_OIDC_ALGORITHMS)",
    });
  });
});

it('answers 503 when the identity provider cannot be reached for its keys', async () => {
  const unreachable = createAuthenticator({
    tokens: {},
    oidc: loadConfig({ ...idp.env, CARE_OIDC_JWKS_URL: 'http://127.0.0.1:1/keys' }).api.oidc,
  });
  await expect(unreachable.authenticate(`Bearer ${await idp.sign(ann)}`)).rejects.toMatchObject({
    statusCode: 503,
    headers: { 'retry-after': '5' },
  });
});

describe('configuration', () => {
  const oidc = {
    CARE_OIDC_ISSUER: issuer,
    CARE_OIDC_AUDIENCE: audience,
    CARE_OIDC_JWKS_URL: 'https://idp.test/keys',
  };
  it.each<[string, Record<string, string>, RegExp]>([
    ['alg "none"', { ...oidc, CARE_OIDC_ALGORITHMS: 'none' }, /never "none"[\s\S]*CARE_OIDC_ALGORITHMS/],
    [
      'a shared-secret algorithm',
      { ...oidc, CARE_OIDC_ALGORITHMS: 'RS256,HS256' },
      /never "none" or a shared-secret HS\*/,
    ],
    [
      'an issuer without its audience and keys',
      { CARE_OIDC_ISSUER: issuer },
      /set CARE_OIDC_AUDIENCE and CARE_OIDC_JWKS_URL/,
    ],
    [
      'keys over plain http from another machine',
      { ...oidc, CARE_OIDC_JWKS_URL: 'http://idp.test/keys' },
      /CARE_OIDC_JWKS_URL must be https/,
    ],
    [
      'a role map to a role we do not have',
      { ...oidc, CARE_OIDC_ROLE_MAP: '{"X":"admin"}' },
      /CARE_OIDC_ROLE_MAP/,
    ],
    [
      'a static token without its teams',
      {
        CARE_API_TOKENS: JSON.stringify({
          'a-token-of-sixteen-chars': { userId: 'cms', role: 'integration' },
        }),
      },
      /CARE_API_TOKENS[\s\S]*name the token's teams/,
    ],
  ])('refuses %s', (_what, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("takes a static token's teams, and an auditor's without", () => {
    const { tokens } = loadConfig({
      CARE_API_TOKENS: JSON.stringify({
        'integration-token-0001': { userId: 'cms', role: 'integration', teams: ['north'] },
        'auditor-token-00000001': { userId: 'ada', role: 'auditor' },
      }),
    }).api;
    expect(tokens).toEqual({
      'integration-token-0001': { userId: 'cms', role: 'integration', teams: ['north'] },
      'auditor-token-00000001': { userId: 'ada', role: 'auditor', teams: '*' },
    });
  });
});

describe('the development tokens', () => {
  const client = () => new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });

  it.each(['0.0.0.0', '10.0.0.5', '::'])(
    'are refused at start-up when the API listens on %s',
    async (host) => {
      await expect(
        buildApi({ client: client(), config: loadConfig({ CARE_API_HOST: host }) }),
      ).rejects.toThrow(
        new ConfigError(
          `CARE_API_TOKENS is not set, so the API would accept the development tokens published in this repository, but it listens on ${host} (CARE_API_HOST), which other machines can reach. Set CARE_API_TOKENS (JSON; {} when everyone signs in through the identity provider, CARE_OIDC_*), or listen on this machine only (CARE_API_HOST=127.0.0.1)`,
        ),
      );
    },
  );

  it.each(['127.0.0.1', 'localhost', '::1'])('are accepted on loopback (%s)', async (host) => {
    const api = await buildApi({ client: client(), config: loadConfig({ CARE_API_HOST: host }) });
    const answer = await api.inject({
      method: 'GET',
      url: '/journeys/P-1/access',
      headers: { authorization: 'Bearer dev-auditor-token-0000' },
    });
    await api.close();
    expect(answer.statusCode).toBe(200);
  });

  it('give way to configured tokens, which any host may use', async () => {
    const api = await buildApi({
      client: client(),
      config: loadConfig({ CARE_API_HOST: '0.0.0.0', CARE_API_TOKENS: '{}' }),
    });
    const answer = await api.inject({
      method: 'GET',
      url: '/journeys/P-1/access',
      headers: { authorization: 'Bearer dev-auditor-token-0000' },
    });
    await api.close();
    expect(answer.statusCode).toBe(401);
  });
});
