import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Client } from 'pg';
import { buildApi } from '../../api/server';
import { pageSessionSecret, registerPages } from '../../pages';
import { payloadCodecFor } from '../../runtime/dataConverter';
import { openCaseEventStore, type CaseEventStore } from '../../store';
import type { StoreDatabase } from '../../store/database';
import { PageSessionStore, sessionKeyOf } from '../../store/pageSessions';
import type { TimeLimited } from '../../store/timeLimit';
import { startApiHarness, testTokens, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { freshServerDatabase, openTestStore } from '../store/storeKit';

/**
 * Two API instances, each with the pages and its own connection pool to one PostgreSQL database,
 * as behind a load balancer: a person signed in on one is signed in on the other, signing out on
 * one signs out on both, an expired session is refused, and the sessions are kept encrypted under
 * a hash of their id (store/pageSessions.ts).
 */

type Opened = { store: CaseEventStore; db: StoreDatabase & TimeLimited };

const hours = (n: number) => n * 3_600_000;
/** the sessions' lifetime in the pages (the cookie's maxAge) */
const lifetime = hours(8);
/** instance B's clock runs this far ahead of the real one: how a test makes a session expire there */
let clockAhead = 0;
/** B's store calls give up after this long (CARE_STORE_TIMEOUT_MS) */
const limitMs = 1_500;

let database: { url: string; drop: () => Promise<void> };
let storeA: Opened;
let storeB: Opened;
let api: ApiHarness;
let a: FastifyInstance;
let b: FastifyInstance;
/** a connection of the test's own, to look at the table as a DBA would */
let look: Client;

const open = (url: string, timeoutMs?: number) =>
  openCaseEventStore({
    url,
    embeddedDir: '',
    poolSize: 3,
    tls: undefined,
    ...(timeoutMs ? { timeoutMs } : {}),
  });

beforeAll(async () => {
  database = await freshServerDatabase();
  storeA = await open(database.url);
  storeB = await open(database.url, limitMs);
  api = await startApiHarness({
    store: storeA.store,
    extend: (config) => registerPages(config),
    // shared by both instances, as every instance of a council's API is given it
    env: { CARE_SESSION_SECRET: randomBytes(36).toString('base64') },
  });
  a = api.app;
  b = await buildApi({
    client: api.env.client,
    config: api.config,
    store: storeB.store,
    extend: registerPages(api.config, { now: () => Date.now() + clockAhead }),
  });
  look = new Client({ connectionString: database.url });
  await look.connect();
}, 120_000);

afterAll(async () => {
  await look?.end();
  await b?.close();
  await api?.stop();
  await storeA?.db.close();
  await storeB?.db.close();
  await database?.drop();
});

afterEach(() => {
  clockAhead = 0;
});

/** A browser, by hand: one cookie jar, whichever instance it reaches. */
class Browser {
  cookie = '';

  private keep(response: LightMyRequestResponse) {
    for (const line of [response.headers['set-cookie'] ?? []].flat()) {
      const [pair] = line.split(';');
      if (pair?.startsWith('care-session=')) this.cookie = pair.endsWith('=') ? '' : pair;
    }
    return response;
  }

  async get(app: FastifyInstance, url: string) {
    return this.keep(
      await app.inject({ method: 'GET', url, headers: this.cookie ? { cookie: this.cookie } : {} }),
    );
  }

  /** Sends a form with the CSRF token of the page `from` on the same instance. */
  async post(app: FastifyInstance, url: string, form: Record<string, string>, from: string) {
    const page = await this.get(app, from);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return this.keep(
      await app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
      }),
    );
  }

  async signIn(app: FastifyInstance, role: keyof typeof testTokens = 'practitioner') {
    const answer = await this.post(
      app,
      '/sign-in',
      { token: testTokens[role].token, next: '/worktray' },
      '/sign-in',
    );
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/worktray');
    return answer;
  }

  /** The session id the cookie carries (signed: `<id>.<signature>`). */
  get sessionId(): string {
    const value = decodeURIComponent(this.cookie.slice('care-session='.length));
    return value.slice(0, value.lastIndexOf('.'));
  }
}

const signedInAs = (role: keyof typeof testTokens) => `Sign out (${testTokens[role].userId}, ${role})`;
const isSignInRedirect = (response: LightMyRequestResponse) =>
  response.statusCode === 303 && String(response.headers.location).startsWith('/sign-in');

async function rowOf(sessionId: string) {
  const { rows } = await look.query<{ session: unknown; expires_at: Date }>(
    'SELECT session, expires_at FROM page_sessions WHERE session_key = $1',
    [sessionKeyOf(sessionId)],
  );
  return rows[0];
}

/** The pages' own store on instance A's database, for what no page does. */
const sessionsOn = (db: StoreDatabase, options: { now?: () => number; sweepEveryMs?: number } = {}) =>
  new PageSessionStore(db, { codec: payloadCodecFor(api.config, { plaintext: 'refuse' }), ...options });

test('signed in on instance A, a page on instance B shows the person signed in', async () => {
  const browser = new Browser();
  await browser.signIn(a);
  const onB = await browser.get(b, '/worktray');
  expect(onB.statusCode).toBe(200);
  expect(onB.body).toContain(signedInAs('practitioner'));
  // and the other way round, after B saved it again (the sessions roll)
  const onA = await browser.get(a, '/journey-map');
  expect(onA.statusCode).toBe(200);
  expect(onA.body).toContain(signedInAs('practitioner'));
});

test('the store holds the session encrypted, under a hash of its id, until its expiry', async () => {
  const browser = new Browser();
  const before = Date.now();
  await browser.signIn(a, 'manager');
  const id = browser.sessionId;
  expect(id.length).toBeGreaterThan(20);
  const row = await rowOf(id);
  expect(row).toBeDefined();
  const text = JSON.stringify(row!.session);
  expect(text).toMatch(/^\{"encrypted":\{/);
  // neither the token nor who signed in nor the id is readable in the database
  expect(text).not.toContain(testTokens.manager.token);
  expect(text).not.toContain(testTokens.manager.userId);
  const { rows } = await look.query<{ n: string }>(
    `SELECT count(*) AS n FROM page_sessions WHERE session_key = $1 OR session::text LIKE '%' || $1 || '%'`,
    [id],
  );
  expect(Number(rows[0]!.n)).toBe(0);
  // the cookie's lifetime from the sign-in
  expect(row!.expires_at.getTime()).toBeGreaterThanOrEqual(before + lifetime - 1_000);
  expect(row!.expires_at.getTime()).toBeLessThanOrEqual(Date.now() + lifetime + 1_000);
});

test('signed out on instance B, instance A no longer accepts the session, nor can a late save revive it', async () => {
  const browser = new Browser();
  await browser.signIn(a);
  const signedInCookie = browser.cookie;
  const signedInId = browser.sessionId;
  expect((await browser.get(b, '/worktray')).statusCode).toBe(200);
  const out = await browser.post(b, '/sign-out', {}, '/sign-out');
  expect(out.statusCode).toBe(303);
  expect(out.headers.location).toBe('/sign-in');
  // the old cookie, on the other instance
  const onA = await a.inject({ method: 'GET', url: '/worktray', headers: { cookie: signedInCookie } });
  expect(isSignInRedirect(onA)).toBe(true);
  expect((await rowOf(signedInId))?.session).toBeNull();
  // a request still running on A with the signed-in session saves it as it ends: it stays ended
  const sessions = sessionsOn(storeA.db);
  await sessions.save(signedInId, {
    cookie: { expires: new Date(Date.now() + lifetime).toISOString(), originalMaxAge: lifetime },
    signedIn: { token: testTokens.practitioner.token },
  });
  expect(await sessions.load(signedInId)).toBeUndefined();
  const again = await a.inject({ method: 'GET', url: '/worktray', headers: { cookie: signedInCookie } });
  expect(isSignInRedirect(again)).toBe(true);
});

test('an expired session is refused, and removed by the next write after it', async () => {
  const browser = new Browser();
  await browser.signIn(a);
  const id = browser.sessionId;
  // a minute before it ends, still signed in on B
  clockAhead = lifetime - 60_000;
  const inTime = await browser.get(b, '/worktray');
  expect(inTime.statusCode).toBe(200);
  expect(inTime.body).toContain(signedInAs('practitioner'));
  const cookieThen = browser.cookie;
  // a minute after: refused, whatever the cookie says (the cookie is still validly signed)
  clockAhead = lifetime + 60_000;
  const late = await b.inject({ method: 'GET', url: '/worktray', headers: { cookie: cookieThen } });
  expect(isSignInRedirect(late)).toBe(true);
  expect((await rowOf(id))?.session).not.toBeNull(); // refused on reading, not removed yet
  // the next write after it removes the expired row; a write soon after that removes nothing more
  const later = sessionsOn(storeB.db, { now: () => Date.now() + lifetime + 60_000, sweepEveryMs: 60_000 });
  await later.save('a-new-session', { cookie: { expires: new Date(Date.now() + hours(9)).toISOString() } });
  expect(await rowOf(id)).toBeUndefined();
  await look.query(
    `INSERT INTO page_sessions (session_key, session, expires_at) VALUES ($1, NULL, now() - interval '1 hour')`,
    [sessionKeyOf('ended-long-ago')],
  );
  await later.save('another-new-session', {
    cookie: { expires: new Date(Date.now() + hours(9)).toISOString() },
  });
  expect(await rowOf('ended-long-ago')).toBeDefined();
  expect(await later.sweep()).toBeGreaterThanOrEqual(1);
  expect(await rowOf('ended-long-ago')).toBeUndefined();
});

test("a session copied into another session's row is refused", async () => {
  const victim = new Browser();
  await victim.signIn(a, 'manager');
  const attacker = new Browser();
  const signInPage = await attacker.get(a, '/sign-in');
  expect(signInPage.statusCode).toBe(200);
  expect(attacker.cookie).not.toBe('');
  // someone who can write to the database copies the manager's encrypted session into their own row
  const copied = await look.query(
    `UPDATE page_sessions SET session = (SELECT session FROM page_sessions WHERE session_key = $1)
     WHERE session_key = $2`,
    [sessionKeyOf(victim.sessionId), sessionKeyOf(attacker.sessionId)],
  );
  expect(copied.rowCount).toBe(1);
  const onB = await attacker.get(b, '/worktray');
  expect(isSignInRedirect(onB)).toBe(true);
  // the victim's own session is untouched
  expect((await victim.get(b, '/worktray')).body).toContain(signedInAs('manager'));
});

test('while the sessions cannot be read (the table locked), the pages answer 503 with Retry-After, then recover', async () => {
  const browser = new Browser();
  await browser.signIn(a);
  const locker = new Client({ connectionString: database.url });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE page_sessions IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    const hung = await browser.get(b, '/worktray');
    expect(Date.now() - started).toBeLessThan(limitMs + 3_000);
    expect(hung.statusCode).toBe(503);
    expect(hung.headers['retry-after']).toBe('5');
    expect(hung.body).toContain('Sorry, there is a problem');
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
  await eventually(async () => {
    const back = await browser.get(b, '/worktray');
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain(signedInAs('practitioner'));
  });
});

describe('the session secret', () => {
  it('is required when the sessions are on a PostgreSQL server, which every API instance shares', async () => {
    expect(() => pageSessionSecret(undefined, 'server')).toThrow(
      /CARE_SESSION_SECRET is not set, but the pages' sessions are kept in the case-event store on a PostgreSQL server/,
    );
    const noSecret = { ...api.config, api: { ...api.config.api, sessionSecret: undefined } };
    await expect(
      buildApi({
        client: api.env.client,
        config: noSecret,
        store: storeB.store,
        extend: registerPages(noSecret),
      }),
    ).rejects.toThrow(
      /set CARE_SESSION_SECRET to the same secret of at least 32 characters on every API instance/,
    );
  });

  it('is not needed on the embedded store (one process: npm start with no settings) nor in memory', async () => {
    expect(pageSessionSecret(undefined, 'embedded')).toHaveLength(43);
    expect(pageSessionSecret(undefined, 'memory')).not.toBe(pageSessionSecret(undefined, 'memory'));
    expect(() => pageSessionSecret('too short', 'server')).toThrow(/at least 32 characters/);
    const embedded = await openTestStore('embedded');
    const noSecret = { ...api.config, api: { ...api.config.api, sessionSecret: undefined } };
    const app = await buildApi({
      client: api.env.client,
      config: noSecret,
      store: embedded.store,
      extend: registerPages(noSecret),
    });
    try {
      const browser = new Browser();
      await browser.signIn(app);
      expect((await browser.get(app, '/journey-map')).body).toContain(signedInAs('practitioner'));
      const { rows } = await embedded.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM page_sessions WHERE session IS NOT NULL',
      );
      expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
      await embedded.close();
    }
  });
});
