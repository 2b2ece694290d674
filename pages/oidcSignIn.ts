import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import * as oidcClient from 'openid-client';
import { z } from 'zod';
import type { Authenticator, Caller } from '../api/auth';
import { ApiError } from '../api/errors';
import { loopbackHosts, type OidcSignInConfig } from '../temporal.config';

/**
 * Staff sign in to the operations pages through the council's identity provider (issue 14):
 * OpenID Connect's authorization code flow with PKCE, by panva's openid-client. The browser goes
 * to the provider with a fresh state, nonce and PKCE challenge (their secrets kept in the
 * server-side session, never in the browser); it comes back to /sign-in/callback with a code, which
 * the server exchanges, with the verifier (and the client secret, for a confidential client), for
 * an access token and an ID token.
 *
 * The access token, not the ID token, is what signs the person in: it is checked by the very
 * `auth.authenticate` every API call goes through (issuer, audience, expiry, algorithm, the
 * provider's keys; roles and teams from the same claims), and it is what the pages then send to
 * the API on the person's behalf. An ID token is addressed to the pages themselves (its audience is
 * the client id), says who signed in but not what they may do in the API, and is not a bearer
 * credential; so an opaque (non-JWT) access token is refused with what to configure (ask for the
 * API's scope, CARE_OIDC_SCOPES), rather than quietly signing in on the ID token. The ID token is
 * checked all the same by openid-client (issuer, audience, expiry, the nonce that binds it to this
 * browser's sign-in) and kept only as the hint for signing out at the provider.
 */

/** What a sign-in in progress keeps in the session until the provider sends the browser back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** where to go once signed in: a local path (safeNext) */
  next: string;
  /** ms since the epoch */
  startedAt: number;
}

/** The provider's answer as it arrives at /sign-in/callback. */
const callbackQuerySchema = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

/** Longer than this between leaving for the provider and coming back, and the sign-in starts again. */
export const pendingSignInMinutes = 10;
/**
 * Sign-ins in progress kept at once: a person whose sign-in ended with several tabs open may start
 * one in each, and each tab's answer finds its own (by state); the oldest go first.
 */
export const pendingSignInsKept = 5;

/** A sign-in that did not complete: what the person is told on the sign-in page, and its status. */
export class SignInRefusal extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Three base64url parts: a JWS in compact form. */
const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface ProviderSignedIn {
  token: string;
  caller: Caller;
  /** ms since the epoch: the access token's exp, when the pages' session ends */
  expiresAt: number;
  idToken: string | undefined;
}

export class ProviderSignIn {
  private discovered: Promise<oidcClient.Configuration> | undefined;

  constructor(
    readonly settings: OidcSignInConfig,
    private readonly auth: Authenticator,
  ) {}

  get providerName(): string {
    return this.settings.providerName;
  }

  /**
   * The provider's metadata (its /.well-known/openid-configuration), fetched on first use and then
   * kept; a failed fetch is tried again at the next sign-in, so the API starts without the provider.
   */
  private configuration(): Promise<oidcClient.Configuration> {
    if (!this.discovered) {
      const { issuer, clientId, clientSecret } = this.settings;
      // plain http only for a provider on this machine (the tests'); temporal.config.ts refuses it elsewhere
      const insecure = new URL(issuer).protocol === 'http:' && loopbackHosts.has(new URL(issuer).hostname);
      this.discovered = oidcClient
        .discovery(
          new URL(issuer),
          clientId,
          clientSecret,
          clientSecret ? oidcClient.ClientSecretPost(clientSecret) : oidcClient.None(),
          { timeout: 10, ...(insecure ? { execute: [oidcClient.allowInsecureRequests] } : {}) },
        )
        .catch((err: unknown) => {
          this.discovered = undefined;
          throw new SignInRefusal(
            `${this.providerName} could not be reached to sign you in (${(err as Error).message}). Try again in a few minutes.`,
            503,
          );
        });
    }
    return this.discovered;
  }

  /** Where to send the browser to sign in, and what to keep in the session until it comes back. */
  async start(next: string, now: number): Promise<{ url: string; pending: PendingSignIn }> {
    const configuration = await this.configuration();
    const pending: PendingSignIn = {
      state: oidcClient.randomState(),
      nonce: oidcClient.randomNonce(),
      codeVerifier: oidcClient.randomPKCECodeVerifier(),
      next,
      startedAt: now,
    };
    const url = oidcClient.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidcClient.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      ...(this.settings.resource ? { resource: this.settings.resource } : {}),
    });
    return { url: url.href, pending };
  }

  /**
   * The provider's answer → who signed in. Refused (SignInRefusal) when no sign-in was started in
   * this browser or it took too long, the state matches none started here, the provider says no
   * (access_denied), the code exchange fails (a wrong PKCE verifier, a used code), or the API
   * refuses the access token.
   */
  async finish(
    search: URLSearchParams,
    started: readonly PendingSignIn[],
    now: number,
  ): Promise<ProviderSignedIn> {
    const answer = callbackQuerySchema.safeParse(Object.fromEntries(search));
    const params = answer.success ? answer.data : {};
    const startAgain = 'Start again: select the sign-in button.';
    const current = started.filter((p) => now - p.startedAt <= pendingSignInMinutes * 60_000);
    if (current.length === 0) {
      throw new SignInRefusal(
        `The sign-in was not started in this browser, or took more than ${pendingSignInMinutes} minutes, so it was not completed. ${startAgain}`,
        400,
      );
    }
    // checked before anything else the answer says: an answer for another browser's sign-in is not used at all
    const pending = current.find((p) => p.state === params.state);
    if (!pending) {
      throw new SignInRefusal(
        `The answer from ${this.providerName} does not belong to the sign-in started in this browser (its state differs), so it was not used. ${startAgain}`,
        400,
      );
    }
    if (params.error) {
      throw params.error === 'access_denied'
        ? new SignInRefusal(
            `${this.providerName} did not sign you in: the sign-in was cancelled, or your account may not use this service. ` +
              `If you need it, ask your council's IT service desk to give your account a role in Care journeys.`,
            403,
          )
        : new SignInRefusal(
            `${this.providerName} could not sign you in (${params.error}${params.error_description ? `: ${params.error_description}` : ''}). ${startAgain}`,
            401,
          );
    }
    const configuration = await this.configuration();
    // the answer as the provider sent it (with its iss, RFC 9207, where it sends one), at the
    // redirect URL registered with it: redirect_uri is taken from this
    const callbackUrl = new URL(this.settings.redirectUrl);
    callbackUrl.search = search.toString();
    let tokens: oidcClient.TokenEndpointResponse;
    try {
      tokens = await oidcClient.authorizationCodeGrant(
        configuration,
        callbackUrl,
        {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        },
        this.settings.resource ? { resource: this.settings.resource } : undefined,
      );
    } catch (err) {
      throw this.exchangeRefusal(err);
    }
    const token = tokens.access_token;
    if (!jwtShape.test(token)) {
      throw new SignInRefusal(
        `${this.providerName} signed you in, but gave an access token this service cannot check (it is not a JWT for this service). ` +
          `The service's administrators need to ask for the API's own scope (CARE_OIDC_SCOPES; with Microsoft Entra ID, api://<the API's client id>/.default).`,
        401,
      );
    }
    let caller: Caller;
    try {
      caller = await this.auth.authenticate(`Bearer ${token}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      throw new SignInRefusal(
        `${this.providerName} signed you in, but this service refused the sign-in: ${err.message}`,
        err.statusCode,
      );
    }
    // authenticate checked the signature and required exp; what is read here is what it verified
    const { exp } = decodeJwt(token);
    return { token, caller, expiresAt: (exp as number) * 1000, idToken: tokens.id_token };
  }

  private exchangeRefusal(err: unknown): SignInRefusal {
    const startAgain = 'Start again: select the sign-in button.';
    if (err instanceof oidcClient.ResponseBodyError) {
      // e.g. invalid_grant: a used or expired code, or a PKCE verifier that does not match the challenge
      return new SignInRefusal(
        `${this.providerName} refused to complete the sign-in (${err.error}${err.error_description ? `: ${err.error_description}` : ''}). ${startAgain}`,
        401,
      );
    }
    if (err instanceof oidcClient.AuthorizationResponseError) {
      return new SignInRefusal(
        `${this.providerName} could not sign you in (${err.error}). ${startAgain}`,
        401,
      );
    }
    if (err instanceof SignInRefusal) return err;
    return new SignInRefusal(
      `The sign-in with ${this.providerName} could not be completed (${(err as Error).message}). ${startAgain}`,
      502,
    );
  }

  /** The provider's end-session URL for signing out there too, if its metadata has one. */
  async endSessionUrl(idToken: string | undefined): Promise<string | undefined> {
    let configuration: oidcClient.Configuration;
    try {
      configuration = await this.configuration();
    } catch {
      return undefined; // signed out here all the same
    }
    if (!configuration.serverMetadata().end_session_endpoint) return undefined;
    return oidcClient.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: this.settings.postLogoutRedirectUrl,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }
}

/** What the pages give the routes below: how to show the sign-in page, and the clock. */
export interface ProviderSignInRoutes {
  signIn: ProviderSignIn;
  /** the sign-in page with an error summary (status: the answer's) */
  showSignIn(reply: FastifyReply, context: { next: string; error?: string; status?: number }): unknown;
  safeNext(next: unknown): string;
  now(): number;
  csrfProtection: FastifyInstance['csrfProtection'];
}

/**
 * POST /sign-in/start (the button; CSRF-protected, so another site cannot start a sign-in that
 * replaces this browser's) and GET /sign-in/callback (the provider's answer).
 */
export function registerProviderSignIn(app: FastifyInstance, routes: ProviderSignInRoutes): void {
  const { signIn, showSignIn, safeNext, now } = routes;

  app.post('/sign-in/start', { preHandler: routes.csrfProtection }, async (request, reply) => {
    const next = safeNext((request.body as { next?: unknown } | undefined)?.next);
    try {
      const { url, pending } = await signIn.start(next, now());
      request.session.pendingSignIns = [
        ...(request.session.pendingSignIns ?? []).slice(-(pendingSignInsKept - 1)),
        pending,
      ];
      return reply.redirect(url, 303);
    } catch (err) {
      if (!(err instanceof SignInRefusal)) throw err;
      return showSignIn(reply, { next, error: err.message, status: err.status });
    }
  });

  app.get('/sign-in/callback', async (request: FastifyRequest, reply: FastifyReply) => {
    const started = request.session.pendingSignIns ?? [];
    const search = new URL(request.url, 'http://pages.invalid').searchParams;
    const state = search.get('state');
    const next = started.find((p) => p.state === state)?.next ?? '/worktray';
    try {
      const signedIn = await signIn.finish(search, started, now());
      // a new session id on signing in, so an id known before cannot be used after (session
      // fixation); the other tabs' sign-ins in progress go with it, this one is used up
      await request.session.regenerate();
      request.session.signedIn = { ...signedIn, via: 'provider' };
      const others = started.filter((p) => p.state !== state);
      if (others.length) request.session.pendingSignIns = others;
      return await reply.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof SignInRefusal)) throw err;
      // nothing half-signed-in: whatever the session held (an earlier sign-in, those in progress) is gone
      await request.session.regenerate();
      return showSignIn(reply, { next, error: err.message, status: err.status });
    }
  });
}
