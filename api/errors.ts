import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import {
  ApplicationFailure,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { isLostConnection, StoreUnavailableError } from '../store/timeLimit';
import { refusalFailureTypes } from '../workflows/definitions';
import { problemFromText, problemsFromIssues, problemsInWords, type Problem } from './problems';
import { errorBodySchema, eventConflictSchema, refusalSchema, type ErrorBody } from './schemas';

/**
 * Every answer that is not a success goes through here, in the one error format
 * (errorBodySchema): our own refusals (ApiError), Temporal's errors in the API's terms, Fastify's
 * validation and parsing errors with every problem named.
 */

/** What an error answer carries besides its message (a 503 for a journey also its health). */
export type ErrorDetails = Omit<ErrorBody, 'error'> & Record<string, unknown>;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: ErrorDetails = {},
    /** extra response headers, e.g. Retry-After on a 503 */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: this.message, ...this.details };
  }
}

/**
 * 409, R-TIM-3: the eventId was already used for a different event. `onlyOccurredAtDiffers`: the
 * two are the same but for occurredAt (a resend whose occurredAt the API filled in with "now").
 */
export class EventConflictError extends ApiError {
  override name = 'EventConflictError';
  constructor(
    message: string,
    details: Omit<ErrorBody, 'error'>,
    readonly onlyOccurredAtDiffers: boolean,
  ) {
    super(409, message, details);
  }
}

/** Seconds a caller is told to wait (Retry-After) when Temporal, the store or the journey cannot answer yet. */
export const retryAfterSeconds = { temporalDown: 5, journeyBusy: 10, storeDown: 5 } as const;

/** 503 with Retry-After: nothing is wrong with the request; ask again later. */
export function unavailable(message: string, retryAfter: number, details: ErrorDetails = {}): ApiError {
  return new ApiError(503, message, details, { 'retry-after': String(retryAfter) });
}

/**
 * What any route may answer whatever it does: 400 (a URL or query Fastify cannot read), 404 (a URL
 * that names nothing), 413 (body over 1 MiB), 414 (a URL over maxUrlChars, or a path parameter over
 * Fastify's limit), 415 (a body that is not JSON), 431 (headers too large), 500 (a fault of ours)
 * and 503 (Temporal, the case-event store or the journey cannot answer yet; with Retry-After).
 * A GET has no body, so its operations leave 413 and 415 out (api/openapi/document.ts).
 */
export const anyRouteStatuses = [400, 404, 413, 414, 415, 431, 500, 503] as const;
/** The statuses only a request with a body can get. */
export const bodyStatuses = [413, 415] as const;

/** Fastify's body limit (its default, 1 MiB), which a 413 states. */
export const bodyLimitBytes = 1_048_576;
/** The longest URL the API reads (path and query); a longer one is answered 414. */
export const maxUrlChars = 8_192;
/**
 * Node's limit on a request's headers (its default, 16 KiB, request line included), which a 431
 * states. A URL over it is a 431 too: Node stops reading before the API sees it.
 */
export const maxHeaderBytes = 16_384;

/** What each error status means, as the OpenAPI document says it. */
const errorStatusMeanings: Record<number, string> = {
  400: 'The request cannot be read: `problems` names each field, what is wrong and what would be accepted',
  401: 'No token, or one the API does not know: send "Authorization: Bearer <token>"',
  403: 'The caller may not do this (their role), may not act as someone else, or sent an event only the journey raises',
  404: 'No such journey (a referral opens one: POST /referrals), or no such endpoint',
  409: "Refused by the journey's rules (`reasons`, each with its rule and the fix), or an eventId already used for a different event (`conflict`)",
  413: `The body is over ${bodyLimitBytes.toLocaleString('en-GB')} bytes (1 MiB): the body is read to its end first, so the client gets this answer rather than a reset connection`,
  414: `The URL is over ${maxUrlChars.toLocaleString('en-GB')} characters, or a path parameter over its limit`,
  415: 'The body is not JSON: send it with content-type application/json',
  431: `The request headers are over ${maxHeaderBytes.toLocaleString('en-GB')} bytes (request line included); the connection is closed after it`,
  500: 'A fault of ours: the message says what failed',
  503: 'Temporal, the case-event store or the journey cannot answer yet (the store is given CARE_STORE_TIMEOUT_MS): ask again after Retry-After seconds',
};

/** The error schema described for one status (every copy validates as errorBodySchema). */
const errorBodyFor = (code: number) => errorBodySchema.describe(errorStatusMeanings[code] ?? 'An error');

/**
 * The error answers a route may give (its own codes and anyRouteStatuses), for its OpenAPI
 * description and response serialisation: every status the API can answer is documented.
 */
export function errorResponses<const C extends readonly number[]>(...codes: C) {
  return Object.fromEntries(
    [...anyRouteStatuses, ...codes].map((code) => [code, errorBodyFor(code)]),
  ) as Record<C[number] | (typeof anyRouteStatuses)[number], typeof errorBodySchema>;
}

/** 400: the request cannot be read, every problem named (`what`: "event", "referral", "body", …). */
export function invalidRequest(what: string, problems: Problem[]): ApiError {
  return new ApiError(400, `invalid ${what}: ${problemsInWords(problems)}`, { problems });
}

/** 409: the journey's rules refuse the event, each reason with its rule, field and fix. */
export function refusedByJourney(reasons: ErrorBody['reasons'] & object): ApiError {
  return new ApiError(409, `event refused: ${reasons.map((r) => r.message).join('; ')}`, { reasons });
}

/** 404 for a person without a journey: what opens one. */
export const noJourneyMessage = (personId: string, open = true) =>
  `no ${open ? 'open ' : ''}journey for person ${personId}: a referral opens one (POST /referrals with personId "${personId}")`;

/** What a failed Temporal call means for the caller, in the API's terms. */
export function fromTemporalError(err: unknown, personId: string): ApiError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const detail = err.cause.details?.[0] as
      { problems?: unknown; reasons?: unknown; conflict?: unknown } | undefined;
    if (err.cause.type === refusalFailureTypes.invalid) {
      // The workflow's validator says its problems in words ("plan.risks: expected string").
      const parsed = z.array(z.string()).safeParse(detail?.problems);
      const problems = (parsed.success ? parsed.data : [err.cause.message]).map((text) =>
        problemFromText(text),
      );
      return invalidRequest('event', problems);
    }
    if (err.cause.type === refusalFailureTypes.refused) {
      const parsed = z.array(refusalSchema).safeParse(detail?.reasons);
      return refusedByJourney(parsed.success ? parsed.data : [{ message: err.cause.message }]);
    }
    if (err.cause.type === refusalFailureTypes.conflict) {
      // R-TIM-3: the eventId was already used for a different event; the answer names both.
      const reasons = z.array(refusalSchema).safeParse(detail?.reasons);
      const conflict = eventConflictSchema.safeParse(detail?.conflict);
      return new EventConflictError(
        `event conflict: ${reasons.success ? reasons.data.map((r) => r.message).join('; ') : err.cause.message}`,
        {
          reasons: reasons.success ? reasons.data : [{ ruleId: 'R-TIM-3', message: err.cause.message }],
          ...(conflict.success && { conflict: conflict.data }),
        },
        (detail?.conflict as { onlyOccurredAtDiffers?: unknown } | undefined)?.onlyOccurredAtDiffers === true,
      );
    }
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ApiError(404, noJourneyMessage(personId));
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return unavailable(
      `the journey for person ${personId} did not answer in time: is a worker polling the task queue? (safe to retry with the same eventId)`,
      retryAfterSeconds.journeyBusy,
    );
  }
  return fromTemporalConnectionError(err, `the journey for person ${personId}`);
}

/** gRPC status codes (https://grpc.io/docs/guides/status-codes/), as Temporal answers them. */
export const grpcStatus = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** The gRPC status of a failed Temporal call, if it is one. */
export function grpcCodeOf(err: unknown): number | undefined {
  if (!(err instanceof ServiceError)) return undefined;
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A failed Temporal call in the API's terms, by its gRPC status (`what`: what was asked, for the
 * message). Documented in the README ("What the API answers"):
 * - UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED: Temporal cannot be reached or did not answer → 503;
 * - RESOURCE_EXHAUSTED (rate limits, too many updates in flight) → 503;
 * - FAILED_PRECONDITION (e.g. a journey whose workflow task is failing cannot answer a query) → 503,
 *   with a pointer to the journey's health and `care repair`;
 * - PERMISSION_DENIED, UNAUTHENTICATED: Temporal refuses the API's own credentials → 503 (the
 *   caller can do nothing about it; the operator must);
 * - INVALID_ARGUMENT, OUT_OF_RANGE (e.g. a payload over Temporal's size limit) → 400;
 * - ABORTED, ALREADY_EXISTS (a concurrent change won the race) → 503: the same request again is safe;
 * - NOT_FOUND → 404;
 * - anything else (INTERNAL, UNKNOWN, UNIMPLEMENTED, DATA_LOSS) is not mapped: a 500.
 * Every 503 carries Retry-After.
 */
export function fromTemporalConnectionError(err: unknown, what = 'Temporal'): ApiError | undefined {
  const code = grpcCodeOf(err);
  if (code === undefined) return undefined;
  const message = (err as Error).message;
  switch (code) {
    case grpcStatus.UNAVAILABLE:
    case grpcStatus.DEADLINE_EXCEEDED:
    case grpcStatus.CANCELLED:
      return unavailable(`Temporal is not answering: ${message}`, retryAfterSeconds.temporalDown);
    case grpcStatus.RESOURCE_EXHAUSTED:
      return unavailable(`Temporal is busy (resource exhausted): ${message}`, retryAfterSeconds.journeyBusy);
    case grpcStatus.FAILED_PRECONDITION:
      return unavailable(
        `${what} cannot answer yet (Temporal: ${message}); if this lasts, see its technical health ` +
          '(GET /journeys/{personId}) and `care repair`',
        retryAfterSeconds.journeyBusy,
      );
    case grpcStatus.PERMISSION_DENIED:
    case grpcStatus.UNAUTHENTICATED:
      return unavailable(
        `Temporal refuses the API's own credentials (${message}): the operator must fix TEMPORAL_API_KEY / TLS settings`,
        retryAfterSeconds.temporalDown,
      );
    case grpcStatus.INVALID_ARGUMENT:
    case grpcStatus.OUT_OF_RANGE:
      return new ApiError(400, `Temporal refused the request: ${message}`);
    case grpcStatus.NOT_FOUND:
      return new ApiError(404, `not found: ${message}`);
    case grpcStatus.ALREADY_EXISTS:
    case grpcStatus.ABORTED:
      return unavailable(`a concurrent change won (Temporal: ${message}); send it again`, 1);
    default:
      return undefined;
  }
}

/**
 * A case-event store that cannot answer now (its time limit passed, it is known to be down, or its
 * connection was lost: store/timeLimit.ts) → 503 with Retry-After. Other store errors (a
 * constraint, a statement the store refused) are faults: not mapped.
 */
export function fromStoreError(err: unknown): ApiError | undefined {
  if (err instanceof StoreUnavailableError) return unavailable(err.message, retryAfterSeconds.storeDown);
  if (isLostConnection(err))
    return unavailable(
      `the case-event store cannot be reached: ${(err as Error).message}`,
      retryAfterSeconds.storeDown,
    );
  return undefined;
}

/** What is read of a refused request's body before the answer: beyond it the connection is closed. */
const drainLimits = { bytes: 64 * 1_048_576, ms: 10_000 };

/**
 * Reads the rest of a request's body and throws it away, before an answer given without reading
 * it (413, 415, 401 …). Answering and closing while the client is still sending makes its TCP
 * stack see a reset, and many clients then report "connection reset" instead of the answer; read
 * to its end, the answer arrives and the connection can even be kept. At most drainLimits: a
 * client sending more, or more slowly, gets the answer and the connection closed.
 */
export function drainBody(raw: IncomingMessage): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let bytes = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', done).off('close', done).off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer | string) => {
      bytes += chunk.length;
      if (bytes > drainLimits.bytes) done();
    };
    const timer = setTimeout(done, drainLimits.ms);
    raw.on('data', onData).once('end', done).once('close', done).once('error', done);
    raw.resume();
  });
}

/**
 * Fastify's own JSON parser drops the parser's message; this one keeps it (and keeps Fastify's
 * protection against __proto__ / constructor keys), so a caller learns where the JSON is broken.
 */
export function installJsonParser(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // The API reads JSON only: a text/plain body is a 415 that says so, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(new ApiError(400, 'malformed JSON: the body is empty'), undefined);
      return;
    }
    secureParse(request, text, (err, value) => {
      if (!err) return done(null, value);
      try {
        JSON.parse(text);
        done(
          new ApiError(400, 'malformed JSON: "__proto__" and "constructor" keys are not allowed'),
          undefined,
        );
      } catch (syntaxError) {
        done(new ApiError(400, `malformed JSON: ${(syntaxError as Error).message}`), undefined);
      }
    });
  });
}

/**
 * Node's HTTP parser refuses a request before Fastify has one (headers over maxHeaderBytes, a
 * request line or header that is not HTTP, a request not received within Node's requestTimeout):
 * answered here in the API's one error shape, then the connection is closed once the answer is
 * written (Fastify's own handler destroys it at once, which can reach the client as a reset).
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, error] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          `the request headers are over the limit of ${maxHeaderBytes.toLocaleString('en-GB')} bytes (the request line, cookies and tokens included): send fewer or smaller headers`,
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request was not received in time: send it again']
        : [
            400,
            `the request is not valid HTTP (${err.code ?? err.message}): headers may not hold control characters`,
          ];
  const body = JSON.stringify({ error });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  // whatever the client still sends is read and dropped until it closes, or for at most a few seconds
  socket.resume();
  setTimeout(() => socket.destroy(), 5_000).unref();
}

/** Fastify's own refusals of a URL (a malformed %-escape, a path parameter over its limit), in the one shape. */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : (err.statusCode ?? 400);
  const error =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path parameter is over its limit of 100 characters (a person id is 1 to 100 characters)'
      : err.code === 'FST_ERR_BAD_URL'
        ? `the URL cannot be read (${err.message}): escape each special character as %XX`
        : err.message;
  void reply.code(status).send({ error });
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    await drainBody(request.raw);
    return reply
      .code(404)
      .send({ error: `no such endpoint: ${request.method} ${request.url.split('?')[0]}` });
  });

  // 414 before anything else reads the URL (Node itself stops at maxHeaderBytes: a 431).
  app.addHook('onRequest', async (request) => {
    if (request.url.length > maxUrlChars)
      throw new ApiError(
        414,
        `the URL is ${request.url.length.toLocaleString('en-GB')} characters, over the limit of ${maxUrlChars.toLocaleString('en-GB')}: ` +
          'ask for less at once (fewer filters, a cursor for the next page)',
      );
  });

  app.setErrorHandler(async (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // Whatever the answer, the body the client is still sending is read first (drainBody).
    await drainBody(request.raw);
    if (err instanceof ApiError) {
      if (err.statusCode === 401) void reply.header('www-authenticate', 'Bearer');
      void reply.headers(err.headers);
      return reply.code(err.statusCode).send(err.body());
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const part = err.validationContext ?? 'body';
      // fastify-type-provider-zod keeps each zod issue's own fields in params: put the issue together again.
      const issues = err.validation.map(
        (v) =>
          ({
            ...(v.params as object),
            code: v.keyword,
            message: v.message ?? 'is invalid',
            path: v.instancePath
              .split('/')
              .filter((key) => key !== '')
              .map((key) => (/^\d+$/.test(key) ? Number(key) : key)),
          }) as unknown as z.core.$ZodIssue,
      );
      const input = (request as unknown as Record<string, unknown>)[part === 'querystring' ? 'query' : part];
      const described = request.routeOptions.config.describeBody?.(input) ?? {};
      const problems = problemsFromIssues(issues, { part, input, ...(part === 'body' ? described : {}) });
      const invalid = invalidRequest(
        part === 'body' ? (request.routeOptions.config.bodyIs ?? part) : part,
        problems,
      );
      return reply.code(400).send(invalid.body());
    }
    const temporal = fromTemporalConnectionError(err);
    if (temporal) return reply.code(temporal.statusCode).headers(temporal.headers).send(temporal.body());
    const store = fromStoreError(err);
    if (store) {
      request.log.warn({ err }, 'case-event store unavailable');
      return reply.code(store.statusCode).headers(store.headers).send(store.body());
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.code(500).send({ error: 'internal error: the answer did not match its documented shape' });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? bodyLimitBytes;
      return reply.code(413).send({
        error: `the body is over the limit of ${limit.toLocaleString('en-GB')} bytes (${Math.round(limit / 1024).toLocaleString('en-GB')} KB): send less; every text field and list has its own maximum (see /docs)`,
      });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({
        error: `the API reads only JSON bodies (${err.message}): send the body as JSON with "content-type: application/json"`,
      });
    }
    // Fastify's own client errors (wrong content type, body too large, ...) keep their status.
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: `internal error: ${err.message}` });
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a route's body is, for its 400s: e.g. a TRIAGED event and the fields it may have. */
    describeBody?: (body: unknown) => { what?: string; knownFields?: readonly string[] };
    /** What the body is, for "invalid <it>: …" (default: body). */
    bodyIs?: string;
  }
}
