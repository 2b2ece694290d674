import { randomBytes } from 'node:crypto';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, Session } from 'fastify';
import { decodeJwt } from 'jose';
import nunjucks from 'nunjucks';
import { z } from 'zod';
import type { Authenticator, Caller } from '../api/auth';
import type { AccessScope } from '../api/scope';
import { ApiError, retryAfterSeconds } from '../api/errors';
import type { CareConfig } from '../temporal.config';
import { ApiPageError, PagesApi } from './apiCalls';
import { forecastSvg, workloadForecast } from './forecast';
import { addCaseFilters, registerCaseRoutes } from './caseRoutes';
import { journeyMapSvg, mapEdges, mapStages, stageName } from './journeyMap';
import { loadRules, type RuleSection } from './rules';
import { buildWorktray, worktrayQuerySchema } from './worktray';
import {
  deadlineKindFacts,
  dateInWords,
  dateTimeInWords,
  dueInWords,
  eventInWords,
  fieldInWords,
  holidaysWith,
  kindFacts,
  timeLeft,
} from './words';
import { ProviderSignIn, registerProviderSignIn, type PendingSignIn } from './oidcSignIn';
import { payloadCodecFor } from '../runtime/dataConverter';
import type { CaseEventStore } from '../store/caseEventStore';
import type { StoreDatabase } from '../store/database';
import { PageSessionStore } from '../store/pageSessions';
import { isLostConnection } from '../store/timeLimit';

/**
 * The operations pages (issue 13): server-rendered HTML to the GOV.UK Design System (govuk-frontend's
 * Nunjucks macros, its CSS, fonts and images served from node_modules; no client-side build), on the
 * API's own server. Every page reads and writes through the API's routes with the signed-in
 * person's token (pages/apiCalls.ts), so the pages know exactly what the API knows.
 *
 * Staff sign in through the council's identity provider (OpenID Connect with PKCE, pages/oidcSignIn.ts)
 * when CARE_OIDC_CLIENT_ID is set; otherwise, and for development tokens on this machine, by pasting
 * an API token or a JWT. Either way the token is checked by the API's own authenticator and kept in
 * a server-side session that ends when the token expires: the browser holds only a signed, HttpOnly,
 * SameSite=Lax cookie (Secure unless the server listens on loopback). The sessions are kept in the
 * case-event store, encrypted (store/pageSessions.ts), so every API instance on it shares them;
 * only an API without a store keeps them in its own memory. Every form carries a CSRF
 * token (@fastify/csrf-protection). An auditor sees every page and no form.
 */

export interface PagesOptions {
  /** the root Fastify instance, whose API routes the pages call (inject) */
  api: FastifyInstance;
  auth: Authenticator;
  /** access by team (api/scope.ts): a team's dashboard only for those who reach the team */
  scope: AccessScope;
  config: CareConfig;
  /** signs the session cookie (32+ characters); default config.api.sessionSecret, else random per process (pageSessionSecret) */
  sessionSecret?: string;
  /**
   * the case-event store's database: the sessions are kept there (store/pageSessions.ts), shared by
   * every API instance on it; without it, in this process's memory
   */
  sessionDb?: StoreDatabase;
  /** ../shared/spec/JOURNEY.md by default */
  rulesFile?: string;
  /** ms since the epoch, for when a sign-in ends (the tests move it on); default Date.now */
  now?: () => number;
}

interface SignedIn {
  token: string;
  caller: Caller;
  /** ms since the epoch: the token's expiry, when this sign-in ends; undefined for an API token */
  expiresAt?: number | undefined;
  /** through the identity provider's sign-in, or a pasted token */
  via: 'provider' | 'token';
  /** the provider's ID token: the hint when signing out there */
  idToken?: string | undefined;
}

declare module 'fastify' {
  interface Session {
    signedIn?: SignedIn;
    /** sign-ins through the identity provider in progress, the newest last (pages/oidcSignIn.ts) */
    pendingSignIns?: PendingSignIn[] | undefined;
    /** a one-off message for the next page (after a redirect) */
    flash?: string;
    /** a one-off warning for the sign-in page: why the person has to sign in again */
    signInNotice?: string | undefined;
  }
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const govukDist = path.dirname(require.resolve('govuk-frontend/package.json'));
const mojDist = path.dirname(require.resolve('@ministryofjustice/frontend/package.json'));

/** Sends `next` only back into the pages: never to another site. */
const safeNext = (next: unknown) =>
  typeof next === 'string' && /^\/(?!\/)[^\\]*$/.test(next) ? next : '/worktray';

/** The path of the page a form was sent from (its Referer), if it is one of ours. */
function refererPath(request: FastifyRequest): string {
  const referer = request.headers.referer;
  if (!referer) return '/worktray';
  try {
    const url = new URL(referer, 'http://pages.invalid');
    return url.host === request.host || url.host === 'pages.invalid'
      ? safeNext(url.pathname + url.search)
      : '/worktray';
  } catch {
    return '/worktray';
  }
}

/** A pasted JWT's expiry (ms since the epoch), read after the authenticator verified it; none for an API token. */
function expiryOf(token: string): number | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The secret that signs the session cookie: CARE_SESSION_SECRET, or a random one for this process.
 * Sessions on a PostgreSQL server are shared by every API instance, so the cookie one instance signs
 * must be one the others accept: there a secret of this process's own is refused. The embedded store
 * is one process's, so `npm start` needs no secret (a restart signs everyone out).
 */
export function pageSessionSecret(
  configured: string | undefined,
  sessions: 'memory' | StoreDatabase['kind'],
): string {
  if (configured !== undefined) {
    if (configured.length < 32)
      throw new Error('the session secret (CARE_SESSION_SECRET) must be at least 32 characters');
    return configured;
  }
  if (sessions === 'server') {
    throw new Error(
      "CARE_SESSION_SECRET is not set, but the pages' sessions are kept in the case-event store on a " +
        'PostgreSQL server (CARE_DATABASE_URL), which every API instance shares: set CARE_SESSION_SECRET ' +
        'to the same secret of at least 32 characters on every API instance (make one with: openssl rand ' +
        '-base64 48), or people are signed out whenever a request lands on another instance',
    );
  }
  return randomBytes(32).toString('base64url');
}

export const pagesPlugin: FastifyPluginAsync<PagesOptions> = async (app, options) => {
  const { api, auth, scope, config } = options;
  // also the sessions' clock: when a stored session has expired
  const now = options.now ?? Date.now;
  const provider = config.api.signIn ? new ProviderSignIn(config.api.signIn, auth) : undefined;
  // with a provider, pasting a token is for development on this machine only; without one, it is how to sign in
  const tokenForm = !provider || loopbackHosts.has(config.api.host);
  const holidays = holidaysWith(config.extraBankHolidays);
  const rules: RuleSection[] | undefined = loadRules(options.rulesFile);
  const ruleIds = new Set(rules?.flatMap((s) => s.rules.map((r) => r.id)) ?? []);
  const { sessionDb } = options;
  const secret = pageSessionSecret(
    options.sessionSecret ?? config.api.sessionSecret,
    sessionDb ? sessionDb.kind : 'memory',
  );
  // in the store, encrypted under the payload keys, whenever the API has one (store/pageSessions.ts)
  const sessionStore = sessionDb
    ? new PageSessionStore<Session>(sessionDb, {
        codec: payloadCodecFor(config, { plaintext: 'refuse' }),
        now,
      })
    : undefined;
  app.log.info(
    sessionDb
      ? `the pages' sessions are kept in the case-event store (${sessionDb.kind}: ${sessionDb.where}, table page_sessions)` +
          (sessionDb.kind === 'server' ? ', shared by every API instance on it' : '')
      : "the pages' sessions are kept in this process's memory (the API has no case-event store): a restart signs everyone out, and several API instances need sticky sessions",
  );

  const views = nunjucks.configure(
    [path.join(__dirname, 'templates'), path.join(govukDist, 'dist'), mojDist],
    {
      autoescape: true,
      throwOnUndefined: false,
      noCache: process.env.NODE_ENV === 'development',
    },
  );
  // the MoJ timeline asks for `date(format)`: "datetime" gives the time too
  views.addFilter('date', (iso: string, format?: string) =>
    format === 'datetime' ? dateTimeInWords(iso) : dateInWords(iso),
  );
  views.addFilter('dateTime', dateTimeInWords);
  views.addFilter('due', dueInWords);
  views.addFilter('eventWords', eventInWords);
  views.addFilter('fieldWords', fieldInWords);
  views.addFilter('stageName', stageName);
  const ruleHref = (id: string) => (ruleIds.has(id) ? `/rules#${id}` : undefined);
  views.addGlobal('ruleHref', ruleHref);
  addCaseFilters(views, ruleHref);

  await app.register(fastifyStatic, {
    root: [path.join(govukDist, 'dist/govuk/assets'), path.join(govukDist, 'dist/govuk')],
    prefix: '/assets/',
    // only what a browser needs: the fonts, images, manifest and the built CSS and JS
    allowedPath: (pathName) =>
      /^\/(fonts|images)\/[\w.-]+$|^\/(manifest\.json|govuk-frontend\.min\.(css|js))$/.test(pathName),
    index: false,
    list: false,
  });
  // MoJ Frontend's stylesheet (the timeline, "add another"); none of its scripts: the pages need none
  await app.register(fastifyStatic, {
    root: path.join(mojDist, 'moj'),
    prefix: '/assets/moj/',
    decorateReply: false,
    allowedPath: (pathName) => pathName === '/moj-frontend.min.css',
    index: false,
    list: false,
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret,
    ...(sessionStore ? { store: sessionStore } : {}),
    cookieName: 'care-session',
    saveUninitialized: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: !loopbackHosts.has(config.api.host),
      path: '/',
      maxAge: 8 * 60 * 60 * 1000,
    },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });

  const render = (reply: FastifyReply, template: string, context: Record<string, unknown>, status = 200) => {
    const request = reply.request;
    // an ended sign-in shows nobody signed in, on the sign-in page too
    const current = request.session.signedIn;
    const signedIn =
      current && (current.expiresAt === undefined || current.expiresAt > now()) ? current : undefined;
    const flash = request.session.flash;
    if (flash) request.session.flash = undefined;
    const html = views.render(template, {
      ...context,
      caller: signedIn?.caller,
      mayAct: signedIn ? signedIn.caller.role !== 'auditor' : false,
      csrfToken: reply.generateCsrf(),
      currentPath: request.url.split('?')[0],
      flash,
    });
    return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  };

  /**
   * Signed in, or off to the sign-in page (and back here after). A sign-in ends when its token
   * expires: the API would refuse the token from then on, so the person is asked to sign in again.
   */
  const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const current = request.session.signedIn;
    if (current?.expiresAt !== undefined && current.expiresAt <= now()) {
      request.session.signedIn = undefined;
      request.session.signInNotice = 'Your sign-in has ended. Sign in again to carry on where you were.';
    }
    if (!request.session.signedIn) {
      // after signing in, back to this page; after a form, to the page the form was on
      const next = request.method === 'GET' ? request.url : refererPath(request);
      return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
    }
  };
  // the person's own address and browser go with each API call, for the access log (issue 14)
  const apiFor = (request: FastifyRequest) =>
    new PagesApi(api, request.session.signedIn!.token, {
      ip: request.ip,
      ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
    });

  app.setErrorHandler(async (err: Error, request, reply) => {
    if (err instanceof ApiPageError && err.status === 401) {
      await request.session.destroy();
      return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    }
    // the sessions' store not answering (store/timeLimit.ts): nothing is wrong with the request
    const storeDown = !(err instanceof ApiPageError) && isLostConnection(err);
    const status = storeDown
      ? 503
      : err instanceof ApiPageError
        ? err.status
        : ((err as { statusCode?: number }).statusCode ?? 500);
    if (err instanceof ApiPageError && err.retryAfter) void reply.header('retry-after', err.retryAfter);
    if (storeDown) void reply.header('retry-after', String(retryAfterSeconds.storeDown));
    if (status >= 500) request.log.error(err);
    const title =
      status === 404
        ? 'Page not found'
        : status === 403
          ? 'You cannot do that'
          : status >= 500
            ? 'Sorry, there is a problem'
            : 'There is a problem';
    return render(reply, 'error.njk', { title, message: err.message, status }, status);
  });

  app.get('/', async (_request, reply) => reply.redirect('/worktray', 303));

  // ---- Sign in and out ------------------------------------------------------------------
  const showSignIn = (
    reply: FastifyReply,
    {
      next,
      error,
      tokenError,
      status = 200,
    }: { next: string; error?: string; tokenError?: boolean; status?: number },
  ) => {
    const notice = reply.request.session.signInNotice;
    if (notice) reply.request.session.signInNotice = undefined;
    return render(
      reply,
      'sign-in.njk',
      {
        next,
        error,
        // where the error summary's link goes: the token field, or the provider's button
        errorHref: tokenError || !provider ? '#token' : '#sign-in-with-provider',
        tokenError: tokenError ? error : undefined,
        notice,
        provider: provider ? { name: provider.providerName } : undefined,
        tokenForm,
      },
      status,
    );
  };

  app.get('/sign-in', async (request, reply) => {
    const { next } = request.query as { next?: string };
    return showSignIn(reply, { next: safeNext(next) });
  });

  if (provider) {
    registerProviderSignIn(app, {
      signIn: provider,
      showSignIn,
      safeNext,
      now,
      csrfProtection: app.csrfProtection,
    });
  }

  app.post('/sign-in', { preHandler: app.csrfProtection }, async (request, reply) => {
    const body = (request.body ?? {}) as { token?: string; next?: string };
    if (!tokenForm) {
      return showSignIn(reply, {
        next: safeNext(body.next),
        error: `Sign in with ${provider!.providerName}: API tokens are for integrations calling the API, not for these pages`,
        status: 403,
      });
    }
    const token = (body.token ?? '').trim();
    let caller: Caller | undefined;
    let refusal: ApiError | undefined;
    try {
      caller = await auth.authenticate(`Bearer ${token}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal = err;
    }
    if (!caller) {
      // a JWT's refusal says why (expired, another audience, …); an API token's only that it is unknown
      const isJwt = token.split('.').length === 3;
      const message = !token
        ? 'Enter your API token'
        : isJwt && refusal
          ? `The sign-in token was refused: ${refusal.message}`
          : 'The token is not one of the configured API tokens: check it and try again';
      return showSignIn(reply, { next: safeNext(body.next), error: message, tokenError: true, status: 401 });
    }
    // a new session id on signing in, so an id known before cannot be used after (session fixation)
    await request.session.regenerate();
    request.session.signedIn = { token, caller, via: 'token', expiresAt: expiryOf(token) };
    return reply.redirect(safeNext(body.next), 303);
  });

  app.get('/sign-out', { preHandler: signedIn }, async (_request, reply) =>
    render(reply, 'sign-out.njk', {}),
  );

  app.post('/sign-out', { preHandler: app.csrfProtection }, async (request, reply) => {
    const was = request.session.signedIn;
    // everything the session held goes: the token, any sign-in in progress
    await request.session.regenerate();
    request.session.flash = 'You have signed out.';
    // signed in through the provider: signed out there too, if it offers that (RP-initiated logout)
    const atProvider = was?.via === 'provider' ? await provider?.endSessionUrl(was.idToken) : undefined;
    return reply.redirect(atProvider ?? '/sign-in', 303);
  });

  // ---- The worktray ---------------------------------------------------------------------
  app.get('/worktray', { preHandler: signedIn }, async (request, reply) => {
    const parsed = worktrayQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      return render(
        reply,
        'error.njk',
        { title: 'There is a problem with the filters', message: z.prettifyError(parsed.error), status: 400 },
        400,
      );
    }
    const query = parsed.data;
    const now = new Date();
    const sections = await buildWorktray(apiFor(request), query, now, holidays);
    return render(reply, 'worktray.njk', {
      query,
      sections,
      stages: mapStages
        .filter((s) => s !== 'closed' && s !== 'awaitingReferral')
        .map((s) => ({ value: s, text: stageName(s) })),
      kinds: Object.entries(deadlineKindFacts).map(([value, { words }]) => ({ value, text: words })),
      asOf: now.toISOString(),
    });
  });

  // ---- One case, and the forms that record its events (pages/caseRoutes.ts) ---------------
  registerCaseRoutes(app, {
    render,
    signedIn,
    csrfProtection: app.csrfProtection,
    apiFor,
    callerOf: (request) => request.session.signedIn!.caller,
    holidays,
  });

  // ---- The team dashboard ---------------------------------------------------------------
  const dashboard = async (request: FastifyRequest, reply: FastifyReply, team?: string) => {
    const pagesApi = apiFor(request);
    const now = new Date();
    const [report, open] = await Promise.all([
      pagesApi.overdueReport(),
      pagesApi.listAll(team ? { team } : {}),
    ]);
    const forecast = workloadForecast(open, now, team);
    return render(reply, 'dashboard.njk', {
      team,
      report: team ? { ...report, byTeam: report.byTeam.filter((t) => t.team === team) } : report,
      overdueOfTeam: team ? open.filter((r) => r.overdueSince) : undefined,
      forecast,
      charts: forecast.teams.map((t, i) => ({ team: t, svg: forecastSvg(forecast, t, `forecast-${i}`) })),
      kindWords: (k: string) => kindFacts(k)?.words ?? k,
      kindRule: (k: string) => kindFacts(k)?.ruleId,
      timeLeft: (iso: string, kind?: string) => timeLeft(iso, kind, now, holidays),
    });
  };
  app.get('/dashboard', { preHandler: signedIn }, async (request, reply) => dashboard(request, reply));
  app.get('/teams/:team', { preHandler: signedIn }, async (request, reply) => {
    const { team } = z.object({ team: z.string().min(1).max(200) }).parse(request.params);
    // another team's dashboard is not found, as another team's journey is not
    if (!scope.reachesTeam(request.session.signedIn!.caller, team))
      throw Object.assign(new Error(`no team ${team} among yours`), { statusCode: 404 });
    return dashboard(request, reply, team);
  });

  // ---- The journey map and the rules -----------------------------------------------------
  app.get('/journey-map', { preHandler: signedIn }, async (_request, reply) =>
    render(reply, 'journey-map.njk', { svg: journeyMapSvg(), edges: mapEdges }),
  );
  app.get('/rules', { preHandler: signedIn }, async (_request, reply) =>
    render(reply, 'rules.njk', { rules }),
  );
};

/** For buildApi's `extend`: the pages on the API's own server, with its authenticator. */
export const registerPages =
  (config: CareConfig, options: Pick<PagesOptions, 'sessionSecret' | 'rulesFile' | 'now'> = {}) =>
  async (
    app: FastifyInstance,
    deps: { auth: Authenticator; scope: AccessScope; store?: CaseEventStore | undefined },
  ): Promise<void> => {
    await app.register(pagesPlugin, {
      api: app,
      auth: deps.auth,
      scope: deps.scope,
      config,
      // the sessions go where the API's store is, so every API instance on it shares them
      ...(deps.store ? { sessionDb: deps.store.db } : {}),
      ...options,
    });
  };
