import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApi } from '../../api/server';
import { registerPages } from '../../pages';
import { ConfigError, loadConfig } from '../../temporal.config';
import { startApiHarness, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';
import { apiScope, startOpenIdProvider, type OpenIdProvider, type TestUser } from './openIdProvider';

/**
 * The operations pages' sign-in through the council's identity provider (issue 14): OpenID
 * Connect's authorization code flow with PKCE against a small provider on loopback
 * (./openIdProvider.ts), driven as a browser would through Fastify's inject: redirects followed
 * by hand, the session cookie kept. The access token it issues is checked by the API's own
 * authenticator, so the person's role and teams come from the same claims as every API call's,
 * and the worktray shows only their team's journeys (a real Temporal dev server and worker).
 * Tampered state, a wrong PKCE verifier, a person who declines, a token the API refuses and an
 * expired sign-in each end on the sign-in page with an error summary, nothing signed in.
 */

const appBase = 'http://127.0.0.1:3000';
const client = {
  clientId: 'care-pages',
  clientSecret: 'pages-client-secret-0123456789',
  redirectUrl: `${appBase}/sign-in/callback`,
};
const NORTH = 'PSI-N';
const SOUTH = 'PSI-S';

const ann: TestUser = {
  sub: 'ann-sub',
  preferred_username: 'ann@example-council.test',
  roles: ['practitioner'],
  groups: ['psi-north'],
};
const bob: TestUser = {
  sub: 'bob-sub',
  preferred_username: 'bob@example-council.test',
  roles: ['manager'],
  groups: ['psi-south'],
};

let op: OpenIdProvider;
let api: ApiHarness;
let app: FastifyInstance;
/** the pages' clock runs this far ahead of the real one: how a test makes a sign-in expire */
let clockAhead = 0;

beforeAll(async () => {
  op = await startOpenIdProvider();
  op.register(client);
  api = await startApiHarness({
    extend: (config) => registerPages(config, { now: () => Date.now() + clockAhead }),
    env: { ...op.env(client), CARE_API_URL: appBase },
  });
  app = api.app;
  const emergency = (team: string) => [
    referral(workingDaysAgo(7), undefined, { urgency: 'emergency' as const }),
    ev('WORKER_ALLOCATED', workingDaysAgo(7), { team, workerId: `${team}.worker` }),
    ev('TRIAGED', workingDaysAgo(6), { route: 'emergencyInterimSupport', reason: 'Carer in hospital' }),
    ev('INTERIM_SUPPORT_STARTED', workingDaysAgo(6), {
      services: ['home care'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    }),
  ];
  await api.drive(NORTH, emergency('psi-north'), 'manager');
  await api.drive(SOUTH, emergency('psi-south'), 'manager');
  await eventually(async () => {
    const list = await api.call('GET', '/journeys?overdue=true', { role: 'manager' });
    const ids = (list.body.journeys as { personId: string }[]).map((j) => j.personId);
    expect(ids).toEqual(expect.arrayContaining([NORTH, SOUTH]));
  });
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await op?.stop();
});

afterEach(() => {
  clockAhead = 0;
  op.accessTokenLifetime = 3600;
  op.opaqueAccessTokens = false;
});

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const unescapeHtml = (text: string) =>
  text.replace(/&(#\d+|#x[\da-f]+|amp|lt|gt|quot);/gi, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : ({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[e.toLowerCase()]!,
  );
const errorSummaryOf = (html: string) =>
  unescapeHtml(
    /<div class="govuk-error-summary"[\s\S]*?<\/ul>/
      .exec(html)?.[0]
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() ?? '',
  );
const pathOf = (location: string, base = appBase) =>
  location.startsWith(base) ? location.slice(base.length) : location;

/** A browser: one cookie jar, the pages through inject, the provider over real HTTP. */
class Browser {
  cookie = '';
  constructor(
    private readonly pages: FastifyInstance = app,
    private readonly base = appBase,
  ) {}

  private keep(response: LightMyRequestResponse) {
    const set = [response.headers['set-cookie'] ?? []].flat();
    const session = set.find((c) => c.startsWith('care-session='));
    if (session) this.cookie = session.split(';')[0]!;
    return response;
  }

  async get(url: string) {
    return this.keep(
      await this.pages.inject({
        method: 'GET',
        url: pathOf(url, this.base),
        headers: { cookie: this.cookie },
      }),
    );
  }

  async post(url: string, form: Record<string, string>) {
    return this.keep(
      await this.pages.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      }),
    );
  }

  /** Presses the sign-in button on the sign-in page at `signInUrl`: the provider's authorize URL. */
  async pressSignIn(signInUrl = '/sign-in'): Promise<URL> {
    const page = await this.get(signInUrl);
    expect(page.statusCode).toBe(200);
    const next = unescapeHtml(/name="next" value="([^"]*)"/.exec(page.body)![1]!);
    const started = await this.post('/sign-in/start', { _csrf: csrfOf(page.body), next });
    expect(started.statusCode).toBe(303);
    const location = new URL(started.headers.location as string);
    expect(location.origin).toBe(op.issuer);
    return location;
  }

  /** The provider's authorize endpoint answers at once: where it sends the browser back. */
  static async atProvider(authorize: URL): Promise<URL> {
    const answer = await fetch(authorize, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    return new URL(answer.headers.get('location')!);
  }

  /** The whole round: the button, the provider, back to the callback; the callback's answer. */
  async signInThroughProvider(user: TestUser | 'deny', signInUrl = '/sign-in') {
    op.signInAs(user);
    const back = await Browser.atProvider(await this.pressSignIn(signInUrl));
    return this.get(back.href);
  }
}

describe('signing in through the identity provider', () => {
  it('offers the provider’s button; the browser comes back signed in as the person, with their role and teams', async () => {
    const browser = new Browser();
    const asked = await browser.get('/worktray');
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/sign-in?next=%2Fworktray');
    const page = await browser.get(asked.headers.location as string);
    expect(page.body).toContain('Sign in with Example Council ID');
    expect(page.body).toContain('id="sign-in-with-provider"');
    // on this machine the token form stays, for the development tokens
    expect(page.body).toContain('name="token"');

    op.signInAs(ann);
    const authorize = await browser.pressSignIn('/sign-in?next=%2Fworktray');
    const q = authorize.searchParams;
    expect({
      response_type: q.get('response_type'),
      client_id: q.get('client_id'),
      redirect_uri: q.get('redirect_uri'),
      scope: q.get('scope'),
      code_challenge_method: q.get('code_challenge_method'),
    }).toEqual({
      response_type: 'code',
      client_id: 'care-pages',
      redirect_uri: `${appBase}/sign-in/callback`,
      scope: `openid profile email ${apiScope}`,
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(q.get(name)!.length).toBeGreaterThan(20);
    // the secrets stay on the server: the browser sees the challenge, never the verifier
    const back = await Browser.atProvider(authorize);
    const before = browser.cookie;
    const landed = await browser.get(back.href);
    expect(landed.statusCode).toBe(303);
    expect(landed.headers.location).toBe('/worktray');
    const exchange = op.tokenRequests.at(-1)!;
    expect(exchange).toMatchObject({
      clientId: 'care-pages',
      clientSecret: client.clientSecret,
      answer: 'tokens',
    });
    expect(exchange.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(authorize.href).not.toContain(exchange.codeVerifier!);
    // a new session on signing in (fixation): the cookie from before signs nobody in
    expect(browser.cookie).not.toBe(before);
    const stale = await app.inject({ method: 'GET', url: '/worktray', headers: { cookie: before } });
    expect(stale.statusCode).toBe(303);

    const worktray = await browser.get('/worktray');
    expect(worktray.statusCode).toBe(200);
    expect(worktray.body).toContain('Sign out (ann@example-council.test, practitioner)');
    // the access token's groups claim made her team psi-north: north's journey, not south's
    expect(worktray.body).toContain(`data-person="${NORTH}"`);
    expect(worktray.body).not.toContain(`data-person="${SOUTH}"`);
    expect((await browser.get(`/cases/${SOUTH}`)).statusCode).toBe(404);
    expect((await browser.get(`/cases/${NORTH}`)).statusCode).toBe(200);

    // another person, another team, another role: from their own claims
    const bobs = new Browser();
    expect((await bobs.signInThroughProvider(bob)).headers.location).toBe('/worktray');
    const his = await bobs.get('/worktray');
    expect(his.body).toContain('Sign out (bob@example-council.test, manager)');
    expect(his.body).toContain(`data-person="${SOUTH}"`);
    expect(his.body).not.toContain(`data-person="${NORTH}"`);
  });

  it('goes back where the person was going, and only to a page of its own', async () => {
    const browser = new Browser();
    const asked = await browser.get(`/cases/${NORTH}`);
    expect(asked.headers.location).toBe(`/sign-in?next=%2Fcases%2F${NORTH}`);
    expect(
      (await browser.signInThroughProvider(ann, asked.headers.location as string)).headers.location,
    ).toBe(`/cases/${NORTH}`);
    for (const elsewhere of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const other = new Browser();
      const landed = await other.signInThroughProvider(ann, `/sign-in?next=${encodeURIComponent(elsewhere)}`);
      expect({ elsewhere, location: landed.headers.location }).toEqual({ elsewhere, location: '/worktray' });
    }
  });

  it('lets each of several tabs finish its own sign-in, each answer used once', async () => {
    const browser = new Browser();
    op.signInAs(ann);
    const first = await Browser.atProvider(await browser.pressSignIn(`/sign-in?next=%2Fcases%2F${NORTH}`));
    const second = await Browser.atProvider(await browser.pressSignIn('/sign-in?next=%2Fjourney-map'));
    expect((await browser.get(second.href)).headers.location).toBe('/journey-map');
    expect((await browser.get(first.href)).headers.location).toBe(`/cases/${NORTH}`);
    expect((await browser.get('/worktray')).statusCode).toBe(200);
    // the same answer again finds no sign-in in progress: refused, and the browser signed out
    const replayed = await browser.get(first.href);
    expect(replayed.statusCode).toBe(400);
    expect(errorSummaryOf(replayed.body)).toContain('The sign-in was not started in this browser');
    expect((await browser.get('/worktray')).statusCode).toBe(303);
  });

  it('refuses an answer whose state was tampered with, and signs nobody in', async () => {
    const browser = new Browser();
    op.signInAs(ann);
    const back = await Browser.atProvider(await browser.pressSignIn());
    const exchanges = op.tokenRequests.length;
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${back.searchParams.get('state')}x`);
    const refused = await browser.get(tampered.href);
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryOf(refused.body)).toContain(
      'The answer from Example Council ID does not belong to the sign-in started in this browser (its state differs), so it was not used.',
    );
    expect(refused.body).toContain('href="#sign-in-with-provider"');
    expect(refused.body).toContain('<title>Error: Sign in');
    expect((await browser.get('/worktray')).statusCode).toBe(303);
    // the sign-in in progress was used up: the genuine answer arriving after is refused too
    const late = await browser.get(back.href);
    expect(late.statusCode).toBe(400);
    expect(errorSummaryOf(late.body)).toContain('The sign-in was not started in this browser');
    // and the code was not exchanged for either
    expect(op.tokenRequests.length).toBe(exchanges);
    expect((await browser.get('/worktray')).statusCode).toBe(303);
  });

  it('refuses an answer that comes back more than ten minutes after the sign-in started', async () => {
    const browser = new Browser();
    op.signInAs(ann);
    const back = await Browser.atProvider(await browser.pressSignIn());
    clockAhead = 10 * 60_000 + 1_000;
    const late = await browser.get(back.href);
    expect(late.statusCode).toBe(400);
    expect(errorSummaryOf(late.body)).toContain('or took more than 10 minutes, so it was not completed');
    expect((await browser.get('/worktray')).statusCode).toBe(303);
  });

  it('refuses a code obtained for another browser’s sign-in: the provider checks the PKCE verifier', async () => {
    // an attacker's code (their own sign-in) slipped into the victim's callback with the victim's state
    const attacker = new Browser();
    op.signInAs(bob);
    const attackersCode = (await Browser.atProvider(await attacker.pressSignIn())).searchParams.get('code')!;
    const victim = new Browser();
    const victimsAnswer = await Browser.atProvider(await victim.pressSignIn());
    const injected = new URL(victimsAnswer);
    injected.searchParams.set('code', attackersCode);
    const refused = await victim.get(injected.href);
    expect(op.tokenRequests.at(-1)!.answer).toBe('invalid_grant');
    expect(refused.statusCode).toBe(401);
    expect(errorSummaryOf(refused.body)).toContain(
      'Example Council ID refused to complete the sign-in (invalid_grant: PKCE verification failed). Start again',
    );
    expect((await victim.get('/worktray')).statusCode).toBe(303);
  });

  it('tells a person who declined, or whose account may not use the service, and signs nobody in', async () => {
    const browser = new Browser();
    const declined = await browser.signInThroughProvider('deny');
    expect(declined.statusCode).toBe(403);
    expect(errorSummaryOf(declined.body)).toContain(
      'Example Council ID did not sign you in: the sign-in was cancelled, or your account may not use this service.',
    );
    expect((await browser.get('/worktray')).statusCode).toBe(303);

    // signed in at the provider, but no role in this service: the API's own refusal, in words
    const nobody = { ...ann, preferred_username: 'cal@example-council.test', roles: ['Finance.Reader'] };
    const refused = await browser.signInThroughProvider(nobody);
    expect(refused.statusCode).toBe(403);
    expect(errorSummaryOf(refused.body)).toContain(
      'Example Council ID signed you in, but this service refused the sign-in: cal@example-council.test signed in, but the token\'s "roles" claim holds none of the roles this API knows',
    );
    expect((await browser.get('/worktray')).statusCode).toBe(303);
  });

  it('leaves nothing half-signed-in: a failed sign-in after a good one signs the person out', async () => {
    const browser = new Browser();
    await browser.signInThroughProvider(ann);
    expect((await browser.get('/worktray')).statusCode).toBe(200);
    expect((await browser.signInThroughProvider('deny')).statusCode).toBe(403);
    expect((await browser.get('/worktray')).statusCode).toBe(303);
  });

  it('refuses an opaque access token, saying what to configure, rather than signing in on the ID token', async () => {
    op.opaqueAccessTokens = true;
    const browser = new Browser();
    const refused = await browser.signInThroughProvider(ann);
    expect(refused.statusCode).toBe(401);
    expect(errorSummaryOf(refused.body)).toContain('gave an access token this service cannot check');
    expect(errorSummaryOf(refused.body)).toContain('CARE_OIDC_SCOPES');
    expect((await browser.get('/worktray')).statusCode).toBe(303);
  });

  it('ends the sign-in when the access token expires, asks to sign in again, and goes back where the person was', async () => {
    op.accessTokenLifetime = 600;
    const browser = new Browser();
    await browser.signInThroughProvider(ann);
    expect((await browser.get(`/cases/${NORTH}`)).statusCode).toBe(200);
    // eleven minutes on: the token expired a minute ago
    clockAhead = 11 * 60_000;
    // the sign-in page itself shows nobody signed in
    expect((await browser.get('/sign-in')).body).not.toContain('Sign out (ann');
    // a form sent after the end goes back, once signed in again, to the page the form was on
    const form = await app.inject({
      method: 'POST',
      url: `/cases/${NORTH}/events`,
      headers: {
        cookie: browser.cookie,
        host: '127.0.0.1:3000',
        referer: `${appBase}/cases/${NORTH}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'type=ASSESSMENT_STARTED',
    });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/cases/${NORTH}`)}`);
    const asked = await browser.get(`/cases/${NORTH}?tab=history`);
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/cases/${NORTH}?tab=history`)}`);
    const page = await browser.get(asked.headers.location as string);
    expect(page.body).toContain('Your sign-in has ended. Sign in again to carry on where you were.');
    expect(page.body).not.toContain('Sign out (ann');
    // the notice is said once
    expect((await browser.get('/sign-in')).body).not.toContain('Your sign-in has ended');
    op.accessTokenLifetime = 3600;
    clockAhead = 0;
    const again = await browser.signInThroughProvider(ann, asked.headers.location as string);
    expect(again.headers.location).toBe(`/cases/${NORTH}?tab=history`);
    expect((await browser.get(`/cases/${NORTH}`)).statusCode).toBe(200);
  });

  it('signs out here and at the provider (its end_session_endpoint), with the ID token as the hint', async () => {
    const browser = new Browser();
    await browser.signInThroughProvider(ann);
    const page = await browser.get('/sign-out');
    const out = await browser.post('/sign-out', { _csrf: csrfOf(page.body) });
    expect(out.statusCode).toBe(303);
    const location = new URL(out.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${op.issuer}/logout`);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${appBase}/sign-in`);
    expect(location.searchParams.get('client_id')).toBe('care-pages');
    expect(location.searchParams.get('id_token_hint')!.split('.')).toHaveLength(3);
    expect((await fetch(location)).status).toBe(200);
    // the provider sends the browser back to the sign-in page, which says so
    expect((await browser.get('/sign-in')).body).toContain('You have signed out.');
    expect((await browser.get('/worktray')).statusCode).toBe(303);
  });

  it('still takes a development token on this machine, and signs out of that without the provider', async () => {
    const browser = new Browser();
    const page = await browser.get('/sign-in');
    const signedIn = await browser.post('/sign-in', {
      _csrf: csrfOf(page.body),
      token: 'practitioner-token-0001',
      next: '/journey-map',
    });
    expect(signedIn.headers.location).toBe('/journey-map');
    const out = await browser.post('/sign-out', { _csrf: csrfOf((await browser.get('/sign-out')).body) });
    expect(out.headers.location).toBe('/sign-in');
  });
});

describe('off this machine, as a public client', () => {
  const site = 'https://care.example-council.test';
  const publicClient = { clientId: 'care-pages-public', redirectUrl: `${site}/sign-in/callback` };
  let pages: FastifyInstance;

  beforeAll(async () => {
    op.register(publicClient);
    const config = loadConfig({
      ...op.env(publicClient),
      CARE_API_HOST: '0.0.0.0',
      CARE_API_URL: site,
      CARE_API_TOKENS: '{}',
      CARE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'care-pages-signin-')),
    });
    pages = await buildApi({
      // no journey is read here: the journey map needs no Temporal
      client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      config,
      extend: async (server, deps) => {
        // as a browser reaches it there, over TLS: the Secure session cookie is set only then
        server.addHook('onRequest', async (request) => {
          Object.assign(request.raw.socket, { encrypted: true });
        });
        await registerPages(config)(server, deps);
      },
    });
  });
  afterAll(async () => {
    await pages?.close();
  });

  it('signs in with PKCE alone (no client secret), and offers no token form', async () => {
    const browser = new Browser(pages, site);
    const page = await browser.get('/sign-in?next=%2Fjourney-map');
    expect(page.body).toContain('Sign in with Example Council ID');
    expect(page.body).not.toContain('name="token"');
    op.signInAs(ann);
    const authorize = await browser.pressSignIn('/sign-in?next=%2Fjourney-map');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${site}/sign-in/callback`);
    const back = await Browser.atProvider(authorize);
    const landed = await browser.get(back.href);
    expect(landed.headers.location).toBe('/journey-map');
    expect(op.tokenRequests.at(-1)).toMatchObject({
      clientId: 'care-pages-public',
      clientSecret: undefined,
      answer: 'tokens',
    });
    // Secure off loopback
    expect(String([landed.headers['set-cookie']].flat()[0])).toMatch(/; Secure/);
    const map = await browser.get('/journey-map');
    expect(map.statusCode).toBe(200);
    expect(map.body).toContain('Sign out (ann@example-council.test, practitioner)');
  });

  it('refuses a pasted token: API tokens are for integrations', async () => {
    const browser = new Browser(pages, site);
    const page = await browser.get('/sign-in');
    const refused = await browser.post('/sign-in', { _csrf: csrfOf(page.body), token: 'x'.repeat(20) });
    expect(refused.statusCode).toBe(403);
    expect(errorSummaryOf(refused.body)).toContain(
      'Sign in with Example Council ID: API tokens are for integrations',
    );
  });
});

describe('the sign-in settings', () => {
  const base = {
    CARE_OIDC_ISSUER: 'https://login.example-council.test/t/v2.0',
    CARE_OIDC_AUDIENCE: 'api://care-journeys',
    CARE_OIDC_JWKS_URL: 'https://login.example-council.test/t/keys',
  };
  const refusal = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it('defaults: the redirect URL under the API URL, the scopes, the provider name', () => {
    expect(
      loadConfig({ ...base, CARE_OIDC_CLIENT_ID: 'c1', CARE_API_URL: 'https://care.example/' }).api.signIn,
    ).toEqual({
      issuer: base.CARE_OIDC_ISSUER,
      clientId: 'c1',
      clientSecret: undefined,
      redirectUrl: 'https://care.example/sign-in/callback',
      scopes: ['openid', 'profile', 'email'],
      resource: undefined,
      providerName: 'your council account',
      postLogoutRedirectUrl: 'https://care.example/sign-in',
    });
    expect(loadConfig(base).api.signIn).toBeUndefined();
  });

  it('refuses what cannot work or would leak', () => {
    expect(refusal({ CARE_OIDC_CLIENT_ID: 'c1' })).toContain('CARE_OIDC_CLIENT_ID needs CARE_OIDC_ISSUER');
    expect(refusal({ ...base, CARE_OIDC_CLIENT_SECRET: 'secret' })).toContain(
      'CARE_OIDC_CLIENT_SECRET set without CARE_OIDC_CLIENT_ID',
    );
    expect(refusal({ ...base, CARE_OIDC_CLIENT_ID: 'c1', CARE_OIDC_SCOPES: 'profile email' })).toContain(
      'must include "openid"',
    );
    expect(
      refusal({
        ...base,
        CARE_OIDC_CLIENT_ID: 'c1',
        CARE_OIDC_REDIRECT_URL: 'http://care.example/sign-in/callback',
      }),
    ).toContain('CARE_OIDC_REDIRECT_URL must be https');
    expect(
      refusal({
        ...base,
        CARE_OIDC_CLIENT_ID: 'c1',
        CARE_OIDC_REDIRECT_URL: 'https://care.example/elsewhere',
      }),
    ).toContain('must end in /sign-in/callback');
    expect(
      refusal({
        ...base,
        CARE_OIDC_ISSUER: 'http://login.example-council.test/t/v2.0',
        CARE_OIDC_CLIENT_ID: 'c1',
      }),
    ).toContain('CARE_OIDC_ISSUER must be https');
  });
});
