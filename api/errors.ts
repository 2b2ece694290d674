import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import {
  ApplicationFailure,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { z } from 'zod';
import { refusalFailureTypes } from '../workflows/definitions';
import { errorBodySchema, eventConflictSchema, refusalSchema, type ErrorBody } from './schemas';

/**
 * Every answer that is not a success goes through here, in the one error format
 * (errorBodySchema): our own refusals (ApiError), Temporal's errors in the API's terms, Fastify's
 * validation and parsing errors with every problem named.
 */

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: Omit<ErrorBody, 'error'> = {},
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

/** The error answers a route may give, for its OpenAPI description and response serialisation. */
export function errorResponses<const C extends readonly number[]>(...codes: C) {
  return Object.fromEntries(codes.map((code) => [code, errorBodySchema])) as Record<
    C[number],
    typeof errorBodySchema
  >;
}

/** "plan.risks: expected string" — the same wording parseJourneyEvent uses. */
function problemAt(path: string, message: string): string {
  return path ? `${path}: ${message}` : message;
}

/** What a failed Temporal call means for the caller, in the API's terms. */
export function fromTemporalError(err: unknown, personId: string): ApiError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const detail = err.cause.details?.[0] as
      { problems?: unknown; reasons?: unknown; conflict?: unknown } | undefined;
    if (err.cause.type === refusalFailureTypes.invalid) {
      const parsed = z.array(z.string()).safeParse(detail?.problems);
      const problems = parsed.success ? parsed.data : [err.cause.message];
      return new ApiError(400, `invalid event: ${problems.join('; ')}`, { problems });
    }
    if (err.cause.type === refusalFailureTypes.refused) {
      const parsed = z.array(refusalSchema).safeParse(detail?.reasons);
      const reasons = parsed.success ? parsed.data : [{ message: err.cause.message }];
      return new ApiError(409, `event refused: ${reasons.map((r) => r.message).join('; ')}`, { reasons });
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
    return new ApiError(404, `no open journey for person ${personId}`);
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new ApiError(
      503,
      `the journey for person ${personId} did not answer in time: is a worker polling the task queue? (safe to retry with the same eventId)`,
    );
  }
  return fromTemporalConnectionError(err);
}

/** gRPC UNAVAILABLE / DEADLINE_EXCEEDED: Temporal itself cannot be reached. */
export function fromTemporalConnectionError(err: unknown): ApiError | undefined {
  if (err instanceof ServiceError) {
    const code = (err.cause as { code?: number } | undefined)?.code;
    // 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED (grpc status codes)
    if (code === 14 || code === 4) return new ApiError(503, `Temporal is not answering: ${err.message}`);
  }
  return undefined;
}

/**
 * Fastify's own JSON parser drops the parser's message; this one keeps it (and keeps Fastify's
 * protection against __proto__ / constructor keys), so a caller learns where the JSON is broken.
 */
export function installJsonParser(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
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

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    void reply.code(404).send({ error: `no such endpoint: ${request.method} ${request.url.split('?')[0]}` });
  });

  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ApiError) {
      if (err.statusCode === 401) void reply.header('www-authenticate', 'Bearer');
      return reply.code(err.statusCode).send(err.body());
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const problems = err.validation.map((v) =>
        problemAt(v.instancePath.slice(1).replaceAll('/', '.'), v.message ?? 'is invalid'),
      );
      return reply.code(400).send({ error: `invalid ${where}: ${problems.join('; ')}`, problems });
    }
    const temporal = fromTemporalConnectionError(err);
    if (temporal) return reply.code(temporal.statusCode).send(temporal.body());
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.code(500).send({ error: 'internal error: the answer did not match its documented shape' });
    }
    // Fastify's own client errors (wrong content type, body too large, ...) keep their status.
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: err.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: `internal error: ${err.message}` });
  });
}
