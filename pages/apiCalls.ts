import type { FastifyInstance } from 'fastify';
import type {
  Correspondence,
  JourneyDetail,
  JourneyList,
  JourneyRow,
  OverdueReport,
  RecordedEvents,
} from '../api/schemas';
import type { JourneyFilters } from '../api/visibility';

/**
 * The pages read and write only through the HTTP API's own routes, called in-process with the
 * signed-in person's token (Fastify's inject: no network, the same hooks, validation, role checks
 * and error answers as a request from outside). So a page never knows more, or less, than the API
 * does, and follows it wherever its lists come from (Temporal visibility, or the case-event store).
 */

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/** The API's error body (api/schemas.ts errorBodySchema). */
export interface ApiErrorBody {
  error: string;
  problems?: { field: string; message: string; accepted?: string }[];
  reasons?: { ruleId?: string; message: string; field?: string; accepted?: string }[];
}

/** An answer the page cannot use (not found, Temporal unreachable, …): shown as an error page. */
export class ApiPageError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly retryAfter?: string,
  ) {
    super(body.error);
  }
}

export type ListFilters = Omit<JourneyFilters, 'overdue'> & { overdue?: 'true' | 'false' };

export class PagesApi {
  constructor(
    private readonly app: FastifyInstance,
    private readonly token: string,
    /** the signed-in person's address and browser, so the access log says where they looked from */
    private readonly from: { ip?: string; userAgent?: string } = {},
  ) {}

  private async call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiAnswer<T>> {
    const response = await this.app.inject({
      method,
      url,
      ...(this.from.ip ? { remoteAddress: this.from.ip } : {}),
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(this.from.userAgent ? { 'user-agent': this.from.userAgent } : {}),
      },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const status = response.statusCode;
    const parsed = (response.body ? response.json() : {}) as T;
    if (status >= 500 || status === 401 || status === 404) {
      const retryAfter = response.headers['retry-after'];
      throw new ApiPageError(
        status,
        parsed as ApiErrorBody,
        typeof retryAfter === 'string' ? retryAfter : undefined,
      );
    }
    return { status, body: parsed };
  }

  private async read<T>(url: string): Promise<T> {
    const answer = await this.call<T>('GET', url);
    if (answer.status !== 200) throw new ApiPageError(answer.status, answer.body as ApiErrorBody);
    return answer.body;
  }

  /** GET /journeys: one page of a listing. */
  list(filters: ListFilters, page: { cursor?: string; limit: number }): Promise<JourneyList> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters))
      if (value !== undefined) query.set(key, String(value));
    if (page.cursor) query.set('cursor', page.cursor);
    query.set('limit', String(page.limit));
    return this.read<JourneyList>(`/journeys?${query.toString()}`);
  }

  /**
   * Every row of a listing, page after page, while `more(row)` holds for the last row of each page
   * (the API sorts longest overdue first, then soonest next deadline).
   */
  async listAll(
    filters: ListFilters,
    more: (last: JourneyRow) => boolean = () => true,
  ): Promise<JourneyRow[]> {
    const rows: JourneyRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(filters, { limit: 500, ...(cursor ? { cursor } : {}) });
      rows.push(...page.journeys);
      const last = page.journeys.at(-1);
      cursor = last && more(last) ? page.nextCursor : undefined;
    } while (cursor);
    return rows;
  }

  /** GET /journeys/{personId} */
  detail(personId: string): Promise<JourneyDetail> {
    return this.read<JourneyDetail>(`/journeys/${encodeURIComponent(personId)}`);
  }

  /** GET /journeys/{personId}/correspondence; undefined when the case record has none (or no store). */
  async correspondence(personId: string): Promise<Correspondence | undefined> {
    try {
      return await this.read<Correspondence>(`/journeys/${encodeURIComponent(personId)}/correspondence`);
    } catch (err) {
      if (err instanceof ApiPageError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** GET /journeys/{personId}/events: what each event recorded; undefined when there is no case record. */
  async recordedEvents(personId: string): Promise<RecordedEvents | undefined> {
    try {
      return await this.read<RecordedEvents>(`/journeys/${encodeURIComponent(personId)}/events`);
    } catch (err) {
      if (err instanceof ApiPageError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** GET /reports/overdue */
  overdueReport(): Promise<OverdueReport> {
    return this.read<OverdueReport>('/reports/overdue');
  }

  /** POST /journeys/{personId}/events: 200 applied (or a duplicate), 400 invalid, 403, 409 refused. */
  sendEvent(
    personId: string,
    body: Record<string, unknown>,
  ): Promise<ApiAnswer<ApiErrorBody & Record<string, unknown>>> {
    return this.call('POST', `/journeys/${encodeURIComponent(personId)}/events`, body);
  }
}
