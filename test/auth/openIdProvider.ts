import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * A tiny OpenID provider on loopback, for the pages' sign-in (pages/oidcSignIn.ts): a discovery
 * document, a JWKS of a key generated here, an authorize endpoint that at once sends the browser
 * back with a code for the user the test chose (or with error=access_denied), a token endpoint
 * that checks the client, the code, the redirect URL and the PKCE verifier before issuing an RS256
 * access token for the API's audience and an ID token for the client, and an end-session endpoint.
 * Entra ID's shapes: `roles` and `groups` claims, `preferred_username`.
 */

export const apiAudience = 'api://care-journeys';
export const apiScope = `${apiAudience}/.default`;

export interface TestUser {
  sub: string;
  preferred_username: string;
  roles: string[];
  groups: string[];
}

export interface RegisteredClient {
  clientId: string;
  /** undefined: a public client (PKCE alone) */
  clientSecret?: string;
  redirectUrl: string;
}

export interface TokenRequest {
  clientId: string | undefined;
  /** how the client authenticated: its secret in the form, or none */
  clientSecret: string | undefined;
  codeVerifier: string | undefined;
  /** what the provider answered: tokens, or the OAuth error */
  answer: 'tokens' | string;
}

export interface OpenIdProvider {
  issuer: string;
  /** who the authorize endpoint signs in next; 'deny': the person cancels (access_denied) */
  signInAs(user: TestUser | 'deny'): void;
  /** seconds the next access tokens live (default an hour) */
  accessTokenLifetime: number;
  /** issue opaque (non-JWT) access tokens, as some providers do for their own APIs */
  opaqueAccessTokens: boolean;
  register(client: RegisteredClient): void;
  /** the authorization requests as they arrived */
  authorizeRequests: URL[];
  tokenRequests: TokenRequest[];
  /** the end-session requests as they arrived */
  endSessions: URL[];
  /** CARE_OIDC_* pointing the API at this provider, with the client's settings */
  env(client: RegisteredClient, extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

const body = (request: IncomingMessage) =>
  new Promise<URLSearchParams>((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(new URLSearchParams(text)));
    request.on('error', reject);
  });

export async function startOpenIdProvider(): Promise<OpenIdProvider> {
  const keys = await generateKeyPair('RS256');
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'op-1', alg: 'RS256', use: 'sig' }],
  });
  const clients = new Map<string, RegisteredClient>();
  const codes = new Map<
    string,
    { clientId: string; redirectUrl: string; challenge: string; nonce: string; user: TestUser }
  >();
  let nextUser: TestUser | 'deny' | undefined;
  let issuer = '';

  const sign = (claims: Record<string, unknown>, audience: string, lifetime: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'op-1', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetime)
      .sign(keys.privateKey);

  const provider: OpenIdProvider = {
    issuer: '',
    signInAs: (user) => (nextUser = user),
    accessTokenLifetime: 3600,
    opaqueAccessTokens: false,
    register: (client) => clients.set(client.clientId, client),
    authorizeRequests: [],
    tokenRequests: [],
    endSessions: [],
    env: (client, extra = {}) => ({
      CARE_OIDC_ISSUER: issuer,
      CARE_OIDC_AUDIENCE: apiAudience,
      CARE_OIDC_JWKS_URL: `${issuer}/keys`,
      CARE_OIDC_USER_CLAIM: 'preferred_username',
      CARE_OIDC_CLIENT_ID: client.clientId,
      ...(client.clientSecret ? { CARE_OIDC_CLIENT_SECRET: client.clientSecret } : {}),
      CARE_OIDC_REDIRECT_URL: client.redirectUrl,
      CARE_OIDC_SCOPES: `openid profile email ${apiScope}`,
      CARE_OIDC_PROVIDER_NAME: 'Example Council ID',
      ...extra,
    }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const json = (status: number, value: unknown) =>
      response
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(value));
    const refuse = (status: number, error: string, description: string) =>
      json(status, { error, error_description: description });

    if (request.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/keys`,
        end_session_endpoint: `${issuer}/logout`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
        scopes_supported: ['openid', 'profile', 'email', apiScope],
        // RFC 9207, as Keycloak does: the answer names who sent it, and the client must check that
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (request.method === 'GET' && url.pathname === '/keys') {
      return response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    }
    if (request.method === 'GET' && url.pathname === '/authorize') {
      provider.authorizeRequests.push(url);
      const q = url.searchParams;
      const client = clients.get(q.get('client_id') ?? '');
      // never back to a URL the client did not register (an open redirector otherwise)
      if (!client || q.get('redirect_uri') !== client.redirectUrl) {
        return response.writeHead(400).end('unknown client or redirect_uri');
      }
      const back = new URL(client.redirectUrl);
      back.searchParams.set('iss', issuer);
      // Entra ID's extra parameter: the client must pass it through untouched
      back.searchParams.set('session_state', randomBytes(8).toString('hex'));
      const state = q.get('state');
      if (state) back.searchParams.set('state', state);
      const problem =
        q.get('response_type') !== 'code'
          ? 'response_type must be code'
          : !(q.get('scope') ?? '').split(' ').includes('openid')
            ? 'scope must include openid'
            : q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')
              ? 'PKCE (S256) is required'
              : undefined;
      if (problem || nextUser === 'deny' || !nextUser) {
        back.searchParams.set('error', problem ? 'invalid_request' : 'access_denied');
        back.searchParams.set('error_description', problem ?? 'The user declined');
      } else {
        const code = randomBytes(16).toString('base64url');
        codes.set(code, {
          clientId: client.clientId,
          redirectUrl: client.redirectUrl,
          challenge: q.get('code_challenge')!,
          nonce: q.get('nonce') ?? '',
          user: nextUser,
        });
        back.searchParams.set('code', code);
      }
      return response.writeHead(302, { location: back.href }).end();
    }
    if (request.method === 'POST' && url.pathname === '/token') {
      void body(request).then(async (form) => {
        const record: TokenRequest = {
          clientId: form.get('client_id') ?? undefined,
          clientSecret: form.get('client_secret') ?? undefined,
          codeVerifier: form.get('code_verifier') ?? undefined,
          answer: 'tokens',
        };
        provider.tokenRequests.push(record);
        const fail = (status: number, error: string, description: string) => {
          record.answer = error;
          refuse(status, error, description);
        };
        const client = clients.get(record.clientId ?? '');
        if (!client || (client.clientSecret !== undefined && record.clientSecret !== client.clientSecret)) {
          return fail(401, 'invalid_client', 'the client did not authenticate');
        }
        if (form.get('grant_type') !== 'authorization_code') {
          return fail(400, 'unsupported_grant_type', 'only authorization_code');
        }
        const code = codes.get(form.get('code') ?? '');
        // a code is used once, whatever comes of it
        codes.delete(form.get('code') ?? '');
        if (!code || code.clientId !== client.clientId) {
          return fail(400, 'invalid_grant', 'the code is unknown, used or for another client');
        }
        if (form.get('redirect_uri') !== code.redirectUrl) {
          return fail(400, 'invalid_grant', 'redirect_uri differs from the authorization request');
        }
        const verifier = record.codeVerifier ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (challenge !== code.challenge) {
          return fail(400, 'invalid_grant', 'PKCE verification failed');
        }
        const { user } = code;
        const accessToken = provider.opaqueAccessTokens
          ? randomBytes(24).toString('base64url')
          : await sign(
              { ...user, scp: 'access_as_user', azp: client.clientId },
              apiAudience,
              provider.accessTokenLifetime,
            );
        const idToken = await sign(
          { sub: user.sub, preferred_username: user.preferred_username, nonce: code.nonce },
          client.clientId,
          3600,
        );
        json(200, {
          access_token: accessToken,
          id_token: idToken,
          token_type: 'Bearer',
          expires_in: provider.accessTokenLifetime,
          scope: `openid profile email ${apiScope}`,
        });
      });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/logout') {
      provider.endSessions.push(url);
      return response.writeHead(200, { 'content-type': 'text/plain' }).end('signed out');
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider.issuer = issuer;
  return provider;
}
