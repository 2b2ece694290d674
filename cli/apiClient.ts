import { z } from 'zod';
import { errorBodySchema, type ErrorBody } from '../api/schemas';
import { developmentTokens, type CareConfig } from '../temporal.config';

/**
 * The CLI's only way to the journeys: the HTTP API (never Temporal directly), so the CLI obeys
 * the same tokens and roles as every other caller. Every answer is checked against the API's own
 * response schemas before it is shown.
 */

/** A failure the CLI reports in one line (`care: <message>`), with the API's error body if any. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly body?: ErrorBody,
    /** the answer as sent (an error body may carry more than ErrorBody, e.g. a 503's health) */
    readonly answer?: { status: number; json: unknown; retryAfter: string | undefined },
  ) {
    super(message);
  }
}

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The bearer token: CARE_API_TOKEN; if that is unset and the API is on this machine with the
 * development tokens configured (no CARE_API_TOKENS), the development practitioner token.
 * Anywhere else a missing token is an error, never a guess.
 */
export function cliToken(config: CareConfig): string {
  if (config.cli.token) return config.cli.token;
  const devToken = Object.entries(developmentTokens).find(([, who]) => who.role === 'practitioner')?.[0];
  const local = localHosts.has(new URL(config.cli.apiUrl).hostname);
  if (local && devToken && config.api.tokens[devToken]) return devToken;
  throw new CliError(`CARE_API_TOKEN is not set: set it to your API token for ${config.cli.apiUrl}`);
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiClient {
  /** `answersAlso`: error statuses whose body has the success shape (GET /healthz answers 503 so). */
  get<S extends z.ZodType>(
    path: string,
    schema: S,
    query?: Query,
    answersAlso?: number[],
  ): Promise<z.output<S>>;
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>>;
}

export function createApiClient({ baseUrl, token }: { baseUrl: string; token: string }): ApiClient {
  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    options: { query?: Query; body?: unknown; answersAlso?: number[] },
  ): Promise<z.output<S>> {
    const url = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      throw new CliError(`cannot reach the care API at ${baseUrl} (${cause}): is it running? (npm start)`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(
        `the API answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`,
      );
    }
    if (!response.ok && !options.answersAlso?.includes(response.status)) {
      const answer = {
        status: response.status,
        json,
        retryAfter: response.headers.get('retry-after') ?? undefined,
      };
      const error = errorBodySchema.safeParse(json);
      if (error.success) throw new CliError(error.data.error, error.data, answer);
      throw new CliError(`the API answered ${response.status} ${response.statusText}`, undefined, answer);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new CliError(
        `the API answered in an unexpected shape: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`,
      );
    }
    return parsed.data;
  }

  return {
    get: (path, schema, query, answersAlso) => call('GET', path, schema, { query, answersAlso }),
    post: (path, body, schema) => call('POST', path, schema, { body }),
  };
}
