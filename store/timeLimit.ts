import type { Queryable, QueryOptions, StoreDatabase } from './database';

/**
 * Every call to the case-event store has a time limit (CARE_STORE_TIMEOUT_MS). A store that hangs
 * — a PostgreSQL server paused or cut off without the connection being closed, the embedded
 * store's thread stuck — would otherwise hold every caller: the API for a minute or more instead
 * of answering 503, the worker's activities until their own timeouts. With the limit:
 *
 * - a call not answered within it fails with StoreUnavailableError (the API answers 503 with
 *   Retry-After; an activity fails and Temporal retries it);
 * - after such a timeout the store counts as down: every call fails at once (no caller waits the
 *   limit out again), while one probe (`SELECT 1`, within the limit) at a time asks whether it is
 *   back; the first probe that answers puts it up again;
 * - a connection the driver reports lost or refused is StoreUnavailableError too (without the
 *   fail-fast: it says so at once anyway). SQL errors (a constraint, a syntax error) are not.
 *
 * The server driver is also given the limit per query (pg's query_timeout), so a connection whose
 * query hangs is dropped from the pool rather than kept; migrations run before the limit applies.
 */

/** The default time limit of one store call, in ms (CARE_STORE_TIMEOUT_MS). */
export const defaultStoreTimeoutMs = 5_000;

/** The store cannot answer now (timed out, known to be down, or its connection lost): try again shortly. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    message: string,
    /** what the store is (where it is), for messages */
    readonly where: string,
  ) {
    super(message);
  }
}

/** The store's state as the calls so far found it, without asking it (cheap: for liveness). */
export interface StoreObservation {
  state: 'up' | 'down';
  /** since when it has been down (ISO instant) */
  downSince?: string;
  /** why it counts as down */
  error?: string;
}

/** The answer to a probe: the store answered `SELECT 1` within the limit, or why not. */
export type StorePing = { ok: true; ms: number } | { ok: false; ms: number; error: string };

export interface TimeLimited {
  /** the time limit of one call, in ms */
  readonly timeoutMs: number;
  /** what the calls so far found (no query) */
  observed(): StoreObservation;
  /** asks the store now (`SELECT 1`, within the limit; at once while it is known to be down and a probe is out) */
  ping(): Promise<StorePing>;
}

export interface TimeLimitOptions {
  timeoutMs?: number;
  /** while down, how often a call may start a probe (default: a second) */
  probeEveryMs?: number;
}

/** Driver errors that mean the connection, not the statement, failed (pg, node:net, the embedded thread). */
const lostConnectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);
const lostConnectionMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|the embedded case-event store (stopped|.* could not be opened)/;

/** Whether an error from the driver means the store cannot be reached (not that the statement was wrong). */
export function isLostConnection(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (lostConnectionCodes.has(code) || code.startsWith('08'))) return true;
  return err instanceof Error && lostConnectionMessages.test(err.message);
}

/** `db` with a time limit on every call (its other members, e.g. the embedded store's crash(), unchanged). */
export function withTimeLimit<D extends StoreDatabase>(
  db: D,
  options: TimeLimitOptions = {},
): D & TimeLimited {
  const timeoutMs = options.timeoutMs ?? defaultStoreTimeoutMs;
  const probeEveryMs = options.probeEveryMs ?? 1_000;
  const limit: QueryOptions = { timeoutMs };
  let down: { since: number; error: string } | undefined;
  let probe: Promise<StorePing> | undefined;
  let lastProbeAt = 0;

  const late = (what: string) =>
    `did not answer ${what} within ${timeoutMs.toLocaleString('en-GB')} ms (CARE_STORE_TIMEOUT_MS)`;
  const notAnswering = (what: string) => `the case-event store (${db.where}) ${late(what)}`;

  /** `work` within the limit; a timeout puts the store down. */
  function within<T>(
    what: string,
    work: () => Promise<T>,
    onTimeout: () => void = () => undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        onTimeout();
        down ??= { since: Date.now(), error: `it ${late(what)}` };
        reject(new StoreUnavailableError(notAnswering(what), db.where));
      }, timeoutMs);
      work().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(
            isLostConnection(err) && !(err instanceof StoreUnavailableError)
              ? new StoreUnavailableError(
                  `the case-event store (${db.where}) cannot be reached: ${(err as Error).message}`,
                  db.where,
                )
              : err,
          );
        },
      );
    });
  }

  function startProbe(): Promise<StorePing> {
    if (probe) return probe;
    lastProbeAt = Date.now();
    const started = Date.now();
    probe = within('a probe (SELECT 1)', () => db.query('SELECT 1', [], limit))
      .then(
        (): StorePing => {
          down = undefined;
          return { ok: true, ms: Date.now() - started };
        },
        (err: unknown): StorePing => ({ ok: false, ms: Date.now() - started, error: (err as Error).message }),
      )
      .finally(() => {
        probe = undefined;
      });
    return probe;
  }

  /** A call: at once refused while the store is known to be down (a probe asks meanwhile), else within the limit. */
  function call<T>(what: string, work: () => Promise<T>, onTimeout?: () => void): Promise<T> {
    if (down) {
      if (!probe && Date.now() - lastProbeAt >= probeEveryMs) void startProbe();
      return Promise.reject(
        new StoreUnavailableError(
          `the case-event store (${db.where}) is not answering since ${new Date(down.since).toISOString()} (${down.error}); try again shortly`,
          db.where,
        ),
      );
    }
    return within(what, work, onTimeout);
  }

  const wrapper: StoreDatabase & TimeLimited = {
    kind: db.kind,
    where: db.where,
    timeoutMs,
    query: (sql, params) => call('a query', () => db.query(sql, params, limit)),
    exec: (sql) => call('a statement', () => db.exec(sql, limit)),
    transaction(work) {
      // Past the limit the transaction's later statements are refused, so its work fails and it
      // rolls back instead of committing after its caller was told it failed.
      let expired = false;
      const guard = () => {
        if (expired) throw new StoreUnavailableError(notAnswering('a transaction'), db.where);
      };
      return call(
        'a transaction',
        () =>
          db.transaction((tx) => {
            const limited: Queryable = {
              query: async (sql, params) => (guard(), tx.query(sql, params, limit)),
              exec: async (sql) => (guard(), tx.exec(sql, limit)),
            };
            return work(limited);
          }),
        () => {
          expired = true;
        },
      );
    },
    close: () => db.close(),
    observed: () =>
      down
        ? { state: 'down', downSince: new Date(down.since).toISOString(), error: down.error }
        : { state: 'up' },
    ping() {
      // While it is down, a probe that has just failed is the answer (no second wait of the limit).
      if (down && !probe && Date.now() - lastProbeAt < probeEveryMs)
        return Promise.resolve({ ok: false, ms: 0, error: down.error });
      return startProbe();
    },
  };
  // Members the wrapper does not limit (the embedded store's crash() and vacuum()) are the store's own.
  return Object.setPrototypeOf(wrapper, db) as D & TimeLimited;
}

/** Whether a store has a time limit (its observed state and ping). */
export const isTimeLimited = (db: StoreDatabase): db is StoreDatabase & TimeLimited =>
  typeof (db as Partial<TimeLimited>).ping === 'function';
