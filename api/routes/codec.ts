import fastifyCors from '@fastify/cors';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../temporal.config';
import {
  ENCRYPTED_ENCODING,
  PayloadDecryptionError,
  payloadFromJson,
  payloadToJson,
  type JsonPayload,
} from '../../runtime/payloadCodec';
import type { Authenticator } from '../auth';
import type { AccessScope } from '../scope';
import { ApiError, errorResponses } from '../errors';

/**
 * The codec server (issue 14 point 2): POST /codec/decode and /codec/encode in Temporal's
 * codec-server JSON, so Temporal's Web UI (its "codec endpoint") and `temporal workflow show
 * --codec-endpoint <api>/codec --codec-auth "Bearer <token>"` show journeys' payloads decrypted.
 * It converts exactly as the API's own Temporal client does (the same codecs).
 *
 * Decoding reveals every journey's personal data at once, whatever the team, so only roles that
 * may read across teams decode; only a manager encodes (the Web UI encodes what a user types to
 * signal or start a workflow by hand). CORS admits the Web UI's origin (CARE_CODEC_CORS_ORIGINS).
 */

export interface CodecRouteOptions {
  auth: Authenticator;
  /** decoding reveals every team's journeys: only callers who reach every team (issue 14 point 4) */
  scope: AccessScope;
  /** the API's client's payload codecs, applied in order to encode and in reverse to decode */
  codecs: readonly PayloadCodec[];
  /** browser origins allowed to call (the Temporal Web UI's) */
  corsOrigins: readonly string[];
}

const isEncrypted = (payload: Payload) =>
  Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString() === ENCRYPTED_ENCODING;

/** Who may decode and encode through the codec server. */
export const codecRoles: Record<'decode' | 'encode', readonly Role[]> = {
  decode: ['auditor', 'manager'],
  encode: ['manager'],
};

/** The Web UI sends a few history pages' payloads at once; Temporal allows 2 MB per payload. */
const codecBodyLimitBytes = 16 * 1_048_576;

const base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
  .describe('base64');
const jsonPayloadSchema = z
  .object({
    metadata: z.record(z.string(), base64).nullish().describe('metadata entries, each value in base64'),
    data: base64.nullish().describe('the payload’s bytes in base64'),
  })
  .meta({ id: 'CodecPayload' });
const codecBodySchema = z
  .object({ payloads: z.array(jsonPayloadSchema).describe('payloads in Temporal’s codec-server JSON') })
  .meta({ id: 'CodecPayloads' });

export const codecRoutes: FastifyPluginAsyncZod<CodecRouteOptions> = async (
  app,
  { auth, scope, codecs, corsOrigins },
) => {
  // Encapsulated in this plugin, registered under the prefix /codec: only /codec/* answers
  // cross-origin requests (its preflight route is /codec/*).
  await app.register(fastifyCors, {
    origin: [...corsOrigins],
    methods: ['POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-namespace'],
    credentials: true,
    maxAge: 600,
  });

  const allow = (action: 'decode' | 'encode') => async (request: { headers: { authorization?: string } }) => {
    const caller = await auth.authenticate(request.headers.authorization);
    if (!codecRoles[action].includes(caller.role)) {
      throw new ApiError(
        403,
        `role ${caller.role} may not ${action} payloads through the codec server; ` +
          `it needs role ${codecRoles[action].join(' or ')} (decoding shows every journey's personal data)`,
      );
    }
    if (!scope.seesEveryTeam(caller)) {
      throw new ApiError(
        403,
        `${caller.userId} reaches only some teams' journeys, and the codec server ${action}s any journey's payloads: ` +
          `it needs a ${codecRoles[action].join(' or ')} whose teams are "*"`,
      );
    }
  };

  const convert = async (payloads: JsonPayload[], action: 'decode' | 'encode') => {
    let converted = payloads.map(payloadFromJson);
    try {
      if (action === 'encode') for (const codec of codecs) converted = await codec.encode(converted);
      else {
        // For reading only: what was never encrypted is shown as it is. The Web UI and the CLI send
        // every payload of a history, search attributes included (never encrypted), and a payload
        // sent round the API (which the worker refused) is best seen for what it says.
        const encrypted = converted.flatMap((p, i) => (isEncrypted(p) ? [i] : []));
        let decoded = encrypted.map((i) => converted[i]!);
        for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
        encrypted.forEach((at, n) => (converted[at] = decoded[n]!));
      }
    } catch (err) {
      // an unknown key id or an altered payload: the caller's to fix (or the key list's)
      if (err instanceof PayloadDecryptionError) throw new ApiError(400, err.message);
      throw err;
    }
    return { payloads: converted.map(payloadToJson) };
  };

  for (const action of ['decode', 'encode'] as const) {
    app.post(
      `/${action}`,
      {
        bodyLimit: codecBodyLimitBytes,
        onRequest: allow(action),
        schema: {
          summary:
            action === 'decode'
              ? 'Decrypt payloads for Temporal’s Web UI and CLI (the codec server)'
              : 'Encrypt payloads as the API’s Temporal client does (the codec server)',
          description:
            `Temporal's codec-server protocol: the Web UI's codec endpoint and \`temporal … --codec-endpoint\` ` +
            `call <API>/codec/${action}. Roles: ${codecRoles[action].join(', ')}.` +
            (action === 'decode'
              ? ' A payload under a key the API does not hold, or altered, answers 400 naming the key.'
              : ''),
          tags: ['codec'],
          body: codecBodySchema,
          response: { 200: codecBodySchema, ...errorResponses(401, 403) },
        },
      },
      async (request) => convert(request.body.payloads, action),
    );
  }
};
