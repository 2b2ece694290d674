import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Pool, PoolConfig, QueryConfig } from 'pg';

/**
 * The one interface the case-event store talks to: PostgreSQL, either embedded in this process
 * (PGlite, files under the data directory) or a server (`pg`, CARE_DATABASE_URL). The same SQL runs
 * on both; the driver is the only difference.
 */
export interface Queryable {
  /** One statement, with $1, $2 … parameters. */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: Row[]; rowCount: number }>;
  /** Several statements without parameters (a migration file). */
  exec(sql: string, options?: QueryOptions): Promise<void>;
}

/** How one statement is run (store/timeLimit.ts passes its limit down to the driver). */
export interface QueryOptions {
  /**
   * The server driver gives up on the statement after this long and drops its connection (pg's
   * query_timeout), so a connection whose server hangs is not kept in the pool; the embedded store
   * has nothing to cancel and ignores it (its caller's time limit still holds).
   */
  timeoutMs?: number;
}

export interface StoreDatabase extends Queryable {
  /** 'embedded' (PGlite) or 'server' (a PostgreSQL server through pg) */
  readonly kind: 'embedded' | 'server';
  /** where it is, for messages (a folder, or the server's host/db without the password) */
  readonly where: string;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The embedded store is one process's: a second process opening the same files would corrupt them. */
export class StoreInUseError extends Error {
  override name = 'StoreInUseError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded store's lock file (`<dir>.lock`, holding the owner's pid). A lock left by a
 * process that has died is taken over; one held by a live process is refused, naming it.
 */
function takeLock(dir: string): () => void {
  const lockFile = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new StoreInUseError(
          `the embedded case-event store ${dir} is open in another process (pid ${owner}); ` +
            'run the worker and the API in one process (npm start), or give every process a PostgreSQL server with CARE_DATABASE_URL',
        );
      }
      if (owner === process.pid) {
        throw new StoreInUseError(`the embedded case-event store ${dir} is already open in this process`);
      }
      rmSync(lockFile, { force: true }); // its owner has gone
    }
  }
  throw new StoreInUseError(`could not take the lock on the embedded case-event store ${dir}`);
}

/** A query the embedded store's thread refused (SQL error), with PostgreSQL's SQLSTATE code. */
export class EmbeddedQueryError extends Error {
  override name = 'EmbeddedQueryError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
  }
}

type Reply = {
  id: number;
  ok: boolean;
  rows?: unknown[];
  rowCount?: number;
  error?: { message: string; code?: string; detail?: string };
};

/**
 * PGlite with its files in `dir` (created on first use), or in memory when `dir` is undefined,
 * running in a worker thread (store/embeddedWorker.cjs). PGlite has one connection: a transaction
 * holds it, and other queries wait their turn. If the thread dies (`crash()` in tests does that on
 * purpose), what was in flight fails and the next query opens the files again; if that opening
 * fails, the query after it tries again.
 */
export interface EmbeddedDatabase extends StoreDatabase {
  /** Kills the store's thread at once, as a crash would (tests). */
  crash(): Promise<void>;
  /** VACUUM (ANALYZE) now, in turn (it also runs on its own: EmbeddedOptions.vacuumEveryMs). */
  vacuum(): Promise<void>;
}

export interface EmbeddedOptions {
  /**
   * How often the store vacuums and analyses its tables (default every 6 hours, the first an hour
   * after opening). PGlite runs PostgreSQL in single-user mode, where autovacuum never runs: without
   * this, every journey's row would keep a dead copy for each event that changed it, and the
   * tables and indexes would only grow.
   */
  vacuumEveryMs?: number;
  firstVacuumAfterMs?: number;
}

export async function openEmbeddedDatabase(
  dir: string | undefined,
  options: EmbeddedOptions = {},
): Promise<EmbeddedDatabase> {
  const { Worker } = await import('node:worker_threads');
  let release = () => undefined as void;
  if (dir) {
    mkdirSync(path.dirname(dir), { recursive: true });
    release = takeLock(dir);
  }
  let closed = false;
  let nextId = 1;
  type Waiting = { resolve: (reply: Reply) => void; reject: (err: Error) => void };
  // Each thread answers its own queries: a dying thread fails only what it was asked.
  let thread:
    | {
        worker: InstanceType<typeof Worker>;
        ready: Promise<void>;
        pending: Map<number, Waiting>;
        exited?: Error;
      }
    | undefined;

  const start = () => {
    const pending = new Map<number, Waiting>();
    const worker = new Worker(path.join(__dirname, 'embeddedWorker.cjs'), { workerData: { dir } });
    const ready = new Promise<void>((resolve, reject) => {
      pending.set(0, {
        resolve: (reply) =>
          reply.ok
            ? resolve()
            : reject(
                new Error(
                  `the embedded case-event store ${dir ?? '(memory)'} could not be opened: ${reply.error?.message}`,
                ),
              ),
        reject,
      });
    });
    worker.on('message', (reply: Reply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    worker.on('error', () => undefined); // answered by 'exit'
    worker.on('exit', (code) => {
      if (thread?.worker === worker) thread = undefined;
      const err = new Error(
        `the embedded case-event store stopped (thread exit ${code}); the next query opens it again`,
      );
      started.exited = err;
      for (const [, waiting] of pending) waiting.reject(err);
      pending.clear();
    });
    const started: NonNullable<typeof thread> = { worker, ready, pending };
    thread = started;
    // A thread that could not open the files is dropped at once, so the next query (an activity's
    // retry) tries again rather than failing on this one for ever.
    ready.catch(() => {
      if (thread === started) thread = undefined;
      void worker.terminate();
    });
    return started;
  };

  const send = async (message: { op: 'query' | 'exec' | 'close'; sql?: string; params?: unknown[] }) => {
    if (closed) throw new Error(`the embedded case-event store ${dir ?? '(memory)'} is closed`);
    const current = thread ?? start();
    await current.ready;
    const id = nextId++;
    const reply = await new Promise<Reply>((resolve, reject) => {
      if (current.exited) return reject(current.exited); // it died while we waited
      current.pending.set(id, { resolve, reject });
      current.worker.postMessage({ id, ...message });
    });
    if (!reply.ok) {
      throw new EmbeddedQueryError(
        reply.error?.message ?? 'query failed',
        reply.error?.code,
        reply.error?.detail,
      );
    }
    return { rows: (reply.rows ?? []) as never[], rowCount: reply.rowCount ?? 0 };
  };

  // One connection: a transaction has it to itself; everything else queues behind it.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work, work);
    turn = result.catch(() => undefined);
    return result;
  };
  const direct: Queryable = {
    query: (sql, params) => send({ op: 'query', sql, params: params ?? [] }),
    exec: async (sql) => void (await send({ op: 'exec', sql })),
  };

  try {
    await start().ready;
  } catch (err) {
    await thread?.worker.terminate();
    release();
    throw err;
  }
  // Housekeeping autovacuum would do on a server; in turn like any query, so never mid-transaction.
  const vacuum = () => inTurn(() => direct.query('VACUUM (ANALYZE)')).then(() => undefined);
  const vacuumEvery = options.vacuumEveryMs ?? 6 * 3_600_000;
  let housekeeping: NodeJS.Timeout | undefined;
  const schedule = (after: number) => {
    housekeeping = setTimeout(() => {
      void vacuum()
        .catch(() => undefined) // a failed vacuum (the thread crashed) is tried again next time
        .finally(() => {
          if (!closed) schedule(vacuumEvery);
        });
    }, after);
    housekeeping.unref(); // never what keeps the process alive
  };
  schedule(options.firstVacuumAfterMs ?? 3_600_000);
  return {
    kind: 'embedded',
    where: dir ?? 'memory',
    query: (sql, params) => inTurn(() => direct.query(sql, params)),
    exec: (sql) => inTurn(() => direct.exec(sql)),
    transaction: (work) =>
      inTurn(async () => {
        await direct.exec('BEGIN');
        try {
          const result = await work(direct);
          await direct.exec('COMMIT');
          return result;
        } catch (err) {
          await direct.exec('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    vacuum,
    async crash() {
      await thread?.worker.terminate();
    },
    async close() {
      if (closed) return;
      clearTimeout(housekeeping);
      try {
        await inTurn(async () => {
          if (thread) await send({ op: 'close' }).catch(() => undefined);
          closed = true;
          await thread?.worker.terminate();
        });
      } finally {
        closed = true;
        release();
      }
    },
  };
}

export interface ServerDatabaseOptions {
  connectionString: string;
  poolSize: number;
  /** how long to wait for a connection (opening one, or a free one from the pool); default 10 s */
  connectTimeoutMs?: number;
  /** undefined: as the connection string says (sslmode); otherwise TLS with these settings */
  ssl?: PoolConfig['ssl'];
}

/** A PostgreSQL server through a pg connection pool. */
export async function openServerDatabase(options: ServerDatabaseOptions): Promise<StoreDatabase> {
  const { Pool: PoolClass } = await import('pg');
  const pool: Pool = new PoolClass({
    connectionString: options.connectionString,
    max: options.poolSize,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    // A query must not hang an activity past its own timeout: fail, and let Temporal retry.
    // Each call's own limit is store/timeLimit.ts's (CARE_STORE_TIMEOUT_MS), passed per statement.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    statement_timeout: 20_000,
  });
  // An idle client that loses its server (a restart) must not crash the process.
  pool.on('error', () => undefined);
  const url = new URL(options.connectionString);
  const where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  // Fail at start-up, with where, if the server cannot be reached.
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `the case-event store at ${where} (CARE_DATABASE_URL) cannot be reached: ${(err as Error).message}`,
    );
  }
  const rowsOf = <Row>(result: { rows: unknown[]; rowCount: number | null }) => ({
    rows: result.rows as Row[],
    rowCount: result.rowCount ?? result.rows.length,
  });
  // pg reads query_timeout from the statement's config too (its types do not list it there)
  const statement = (text: string, values: unknown[] | undefined, options: QueryOptions | undefined) =>
    ({
      text,
      ...(values ? { values } : {}),
      ...(options?.timeoutMs ? { query_timeout: options.timeoutMs } : {}),
    }) as QueryConfig;
  return {
    kind: 'server',
    where,
    query: async (sql, params, options) => rowsOf(await pool.query(statement(sql, params, options))),
    exec: async (sql, options) => void (await pool.query(statement(sql, undefined, options))),
    async transaction(work) {
      const client = await pool.connect();
      // A connection whose statement timed out or was lost is dropped, not given back to the pool.
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async (sql, params, options) => rowsOf(await client.query(statement(sql, params, options))),
          exec: async (sql, options) => void (await client.query(statement(sql, undefined, options))),
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query(statement('ROLLBACK', undefined, { timeoutMs: 10_000 })).catch(() => {
          broken = true;
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
