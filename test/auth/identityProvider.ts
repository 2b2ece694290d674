import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A stand-in for the council's identity provider (issue 14): a key pair generated here, its public
 * half served as a JWKS by a real HTTP server on loopback (as Entra ID serves its keys), and
 * tokens signed with it, shaped like Entra ID's (roles and groups claims).
 */

export const issuer = 'https://login.example-council.test/tenant-1/v2.0';
export const audience = 'api://care-journeys';

export interface IdentityProvider {
  jwksUrl: string;
  /** how often the JWKS was fetched */
  fetches(): number;
  /** A signed JWT: the claims given over valid defaults (this issuer, audience, an hour to run). */
  sign(
    claims: JWTPayload,
    options?: { key?: 'provider' | 'other'; alg?: 'RS256' | 'ES256'; expiresIn?: string | number },
  ): Promise<string>;
  /** The env that points the API at this provider (CARE_OIDC_*). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startIdentityProvider(
  extraEnv: Record<string, string> = {},
): Promise<IdentityProvider> {
  const rs = await generateKeyPair('RS256');
  const es = await generateKeyPair('ES256');
  // a key nobody published: what a forger signs with
  const other = await generateKeyPair('RS256');
  const jwk = async (key: CryptoKey, kid: string, alg: string) => ({
    ...(await exportJWK(key)),
    kid,
    alg,
    use: 'sig',
  });
  const jwks = JSON.stringify({
    keys: [await jwk(rs.publicKey, 'rs-1', 'RS256'), await jwk(es.publicKey, 'es-1', 'ES256')],
  });
  let fetched = 0;
  const server: Server = createServer((request, response) => {
    if (request.url === '/keys') {
      fetched++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  return {
    jwksUrl,
    fetches: () => fetched,
    async sign(claims, { key = 'provider', alg = 'RS256', expiresIn = '1h' } = {}) {
      const signingKey = key === 'other' ? other.privateKey : alg === 'ES256' ? es.privateKey : rs.privateKey;
      const jwt = new SignJWT({ iss: issuer, aud: audience, ...claims })
        .setProtectedHeader({ alg, kid: alg === 'ES256' ? 'es-1' : 'rs-1', typ: 'JWT' })
        .setIssuedAt();
      if (!('exp' in claims)) jwt.setExpirationTime(expiresIn);
      return jwt.sign(signingKey);
    },
    env: {
      CARE_OIDC_ISSUER: issuer,
      CARE_OIDC_AUDIENCE: audience,
      CARE_OIDC_JWKS_URL: jwksUrl,
      CARE_OIDC_ALGORITHMS: 'RS256,ES256',
      ...extraEnv,
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An unsigned token (alg "none"), as a forger would send one. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: issuer, aud: audience, iat: now, exp: now + 3600, ...claims })}.`;
}
