import type { Readiness } from '../../api/schemas';
import { openCaseEventStore, type CaseEventStore } from '../../store';
import { openEmbeddedDatabase } from '../../store/database';
import { StoreUnavailableError, withTimeLimit, type TimeLimited } from '../../store/timeLimit';
import type { StoreDatabase } from '../../store/database';
import { startApiHarness, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { referral } from '../support/journeyEvents';
import { startPausablePostgres, type PausablePostgres } from './pausablePostgres';

/**
 * Every call to the case-event store has a time limit (CARE_STORE_TIMEOUT_MS, store/timeLimit.ts):
 * a store that hangs makes the API answer 503 with Retry-After within the limit (never a minute
 * later), /readyz and /healthz say the store is down, and all is well again once it answers.
 * The hang is a real one: a PostgreSQL server of this test's own, paused with SIGSTOP, so its
 * connections stay open and nothing answers.
 */

const limitMs = 1_500;
/** what an answer may take beyond the limit (the test's own HTTP injection, a busy machine) */
const slackMs = 1_000;

describe('a PostgreSQL server that hangs (paused with SIGSTOP)', () => {
  let server: PausablePostgres;
  let opened: { store: CaseEventStore; db: StoreDatabase & TimeLimited };
  let api: ApiHarness;
  const person = 'hung-store-1';

  beforeAll(async () => {
    server = await startPausablePostgres();
    opened = await openCaseEventStore({
      url: server.url,
      embeddedDir: '',
      poolSize: 4,
      tls: undefined,
      timeoutMs: limitMs,
    });
    api = await startApiHarness({ store: opened.store });
  }, 90_000);
  afterAll(async () => {
    server?.resume();
    await api?.stop();
    await opened?.db.close().catch(() => undefined);
    server?.stop();
  });

  /** A request through the API, as a manager (who reaches every team), and how long it took. */
  async function timed(method: 'GET' | 'POST', url: string, body?: unknown) {
    const started = Date.now();
    const response = await api.app.inject({
      method,
      url,
      headers: { authorization: 'Bearer manager-token-0000000001' },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { response, ms: Date.now() - started, body: response.json() as Record<string, unknown> };
  }

  it('answers 503 with Retry-After within the limit, /readyz and /healthz say the store is down, and it recovers', async () => {
    const { type: _type, actor: _actor, ...fields } = referral(new Date().toISOString(), 'R-hung-1');
    const referred = await timed('POST', '/referrals', { ...fields, personId: person });
    expect(referred.response.statusCode).toBe(201);
    // ready: the store, Temporal and the worker all up (the journey's row written to the store)
    await eventually(async () => {
      const ready = await timed('GET', '/readyz');
      expect(ready.response.statusCode).toBe(200);
      expect((ready.body as Readiness).checks).toMatchObject({
        store: { state: 'up' },
        temporal: { state: 'up' },
        worker: { state: 'up' },
      });
      expect(await opened.store.journey(person)).toBeDefined();
    });

    server.pause();
    try {
      // the list comes from the store: 503 within the limit, in the one error shape, with Retry-After
      const listed = await timed('GET', '/journeys');
      expect(listed.response.statusCode).toBe(503);
      expect(listed.ms).toBeLessThan(limitMs + slackMs);
      expect(Number(listed.response.headers['retry-after'])).toBeGreaterThan(0);
      expect(listed.body).toEqual({
        error: expect.stringMatching(
          /^the case-event store \(127\.0\.0\.1:\d+\/postgres\) did not answer a query within 1,500 ms/,
        ),
      });

      // one journey (its access is recorded in the store): 503 too, at once now the store is known down
      const detail = await timed('GET', `/journeys/${person}`);
      expect(detail.response.statusCode).toBe(503);
      expect(detail.ms).toBeLessThan(limitMs + slackMs);
      expect(Number(detail.response.headers['retry-after'])).toBeGreaterThan(0);
      expect(typeof detail.body.error).toBe('string');

      // readiness names the store as down; Temporal and the worker are up
      const ready = await timed('GET', '/readyz');
      expect(ready.response.statusCode).toBe(503);
      expect(ready.ms).toBeLessThan(limitMs + slackMs);
      expect(ready.body).toMatchObject({
        ready: false,
        checks: {
          store: { state: 'down', error: expect.stringMatching(/did not answer/) },
          temporal: { state: 'up' },
          worker: { state: 'up' },
        },
      });
      // /healthz does not say all is well either
      const health = await timed('GET', '/healthz');
      expect(health.response.statusCode).toBe(503);
      expect(health.ms).toBeLessThan(limitMs + slackMs);
      expect(health.body).toMatchObject({
        ok: false,
        temporal: { reachable: true },
        store: { state: 'down' },
      });
      // liveness asks nothing: the process is alive
      const live = await timed('GET', '/livez');
      expect(live.response.statusCode).toBe(200);
      expect(live.ms).toBeLessThan(slackMs);
    } finally {
      server.resume();
    }

    // the store answers again: ready, and the list is served from it
    await eventually(async () => {
      const ready = await timed('GET', '/readyz');
      expect([ready.response.statusCode, ready.body.ready]).toEqual([200, true]);
      const listed = await timed('GET', '/journeys');
      expect(listed.response.statusCode).toBe(200);
      expect((listed.body.journeys as { personId: string }[]).map((j) => j.personId)).toContain(person);
    }, 30_000);
    expect((await timed('GET', '/healthz')).body).toMatchObject({ ok: true, store: { state: 'up' } });
  }, 90_000);
});

describe('the embedded store (PGlite) held by a statement that does not end', () => {
  it('a call past the limit fails as unavailable, later calls at once, and it answers again after', async () => {
    const raw = await openEmbeddedDatabase(undefined);
    const db = withTimeLimit(raw, { timeoutMs: 300, probeEveryMs: 100 });
    try {
      // the store's one connection is busy for two seconds (as a stuck statement would hold it)
      const holding = raw.query('SELECT pg_sleep(2)');
      let started = Date.now();
      await expect(db.query('SELECT 1')).rejects.toThrow(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(300 + slackMs);
      expect(db.observed()).toMatchObject({ state: 'down', error: expect.stringMatching(/within 300 ms/) });

      // known to be down: refused at once, saying since when
      started = Date.now();
      await expect(db.query('SELECT 1')).rejects.toThrow(/is not answering since .*; try again shortly$/);
      expect(Date.now() - started).toBeLessThan(100);

      await holding;
      await eventually(async () => expect(await db.ping()).toMatchObject({ ok: true }));
      expect(db.observed()).toEqual({ state: 'up' });
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });
});
