import type { FastifyInstance, InjectOptions } from 'fastify';
import { eventDocs } from '../../machines/eventExamples';
import { registerPages } from '../../pages';
import type { Role } from '../../temporal.config';
import { daysAgo, startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { openTestStore, type TestStore } from '../store/storeKit';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';
import { startIdentityProvider, type IdentityProvider } from './identityProvider';

/**
 * Access by team (issue 14 point 4) as a role × endpoint × team matrix over EVERY route of the
 * API and of the operations pages: the routes are read from the server itself (app.routeTable),
 * so a route added without a row here fails the first test. Callers sign in as the council's
 * staff do (JWTs from an identity provider on loopback, roles and teams from their claims) or with
 * a static integration token naming its teams. Three journeys: one of team mtx-north, one of
 * mtx-south, one not yet allocated (the duty team's). A journey out of a caller's reach must
 * answer exactly as a person with no journey does. Then the access log (point 5): who looked,
 * from where, and what they were answered.
 */

const NORTH = 'MTX-N';
const SOUTH = 'MTX-S';
const UNALLOCATED = 'MTX-U';
const NOBODY = 'MTX-NOBODY';
const journeysOfTest = [NORTH, SOUTH, UNALLOCATED] as const;
type PersonId = (typeof journeysOfTest)[number];
const dutyTeam = 'derbyshire-duty'; // the Derbyshire profile's unallocatedCases.dutyTeam

interface Who {
  name: string;
  role: Role;
  /** how they sign in: a JWT from the identity provider with these claims, or a static token */
  jwt?: { roles: string[]; groups: string[] };
  staticToken?: string;
  /** the journeys the caller must reach: this test's own statement of the rule, not the code's */
  reaches: readonly PersonId[];
  /** the teams whose dashboards they see */
  teams: readonly string[];
}

const everyTeam = ['mtx-north', 'mtx-south'];
const iNorthToken = 'integration-north-token-01';
const callers: Who[] = [
  {
    name: 'practitioner of north',
    role: 'practitioner',
    jwt: { roles: ['practitioner'], groups: ['mtx-north'] },
    reaches: [NORTH],
    teams: ['mtx-north'],
  },
  {
    name: 'practitioner of the duty team',
    role: 'practitioner',
    jwt: { roles: ['practitioner'], groups: [dutyTeam] },
    reaches: [UNALLOCATED],
    teams: [],
  },
  {
    name: 'manager of north',
    role: 'manager',
    jwt: { roles: ['manager'], groups: ['mtx-north'] },
    reaches: [NORTH, UNALLOCATED],
    teams: ['mtx-north'],
  },
  {
    name: 'integration for north',
    role: 'integration',
    staticToken: iNorthToken,
    reaches: [NORTH],
    teams: ['mtx-north'],
  },
  {
    name: 'auditor',
    role: 'auditor',
    jwt: { roles: ['auditor'], groups: [] },
    reaches: journeysOfTest,
    teams: everyTeam,
  },
  {
    name: 'manager of every team',
    role: 'manager',
    staticToken: testTokens.manager.token,
    reaches: journeysOfTest,
    teams: everyTeam,
  },
  {
    name: 'integration for every team',
    role: 'integration',
    staticToken: testTokens.integration.token,
    reaches: journeysOfTest,
    teams: everyTeam,
  },
];
const everyTeamCaller = (who: Who) => who.reaches.length === journeysOfTest.length;

let idp: IdentityProvider;
let store: TestStore;
let api: ApiHarness;
let app: FastifyInstance;
const tokenOf = new Map<string, string>();

beforeAll(async () => {
  idp = await startIdentityProvider();
  store = await openTestStore('embedded');
  api = await startApiHarness({
    store: store.store,
    extend: (config) => registerPages(config),
    env: {
      ...idp.env,
      // the pages' sign-in through the provider too, so its two routes are in the matrix (the
      // provider is asked only when a sign-in starts; the token form stays, the API being on loopback)
      CARE_OIDC_CLIENT_ID: 'care-pages',
      CARE_API_TOKENS: JSON.stringify({
        ...Object.fromEntries(
          Object.values(testTokens).map(({ token, userId }) => [
            token,
            { userId, role: Object.entries(testTokens).find(([, t]) => t.token === token)![0], teams: '*' },
          ]),
        ),
        [iNorthToken]: { userId: 'cms.north', role: 'integration', teams: ['mtx-north'] },
      }),
    },
  });
  app = api.app;
  for (const who of callers) {
    tokenOf.set(
      who.name,
      who.staticToken ??
        (await idp.sign({
          sub: who.name.replaceAll(' ', '.'),
          roles: who.jwt!.roles,
          groups: who.jwt!.groups,
        })),
    );
  }
  const emergency = (team: string) => [
    referral(workingDaysAgo(7), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', workingDaysAgo(7), { team, workerId: `${team}.worker` }),
    ev('TRIAGED', workingDaysAgo(6), { route: 'emergencyInterimSupport', reason: 'Carer in hospital' }),
    ev('INTERIM_SUPPORT_STARTED', workingDaysAgo(6), {
      services: ['home care'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    }),
  ];
  await api.drive(NORTH, emergency('mtx-north'), 'manager');
  await api.drive(SOUTH, emergency('mtx-south'), 'manager');
  await api.drive(UNALLOCATED, [referral(daysAgo(1))], 'manager');
  // the store's rows (which the checks before a write read) have caught up
  await eventually(async () => {
    expect((await store.store.journey(NORTH))?.team).toBe('mtx-north');
    expect((await store.store.journey(SOUTH))?.overdueSince).toBeDefined();
    expect((await store.store.journey(UNALLOCATED))?.stage).toBeDefined();
  });
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await store?.close();
  await idp?.stop();
});

const userAgent = 'matrix-test/1.0';
const call = (who: Who, options: InjectOptions) =>
  app.inject({
    ...options,
    headers: {
      authorization: `Bearer ${tokenOf.get(who.name)}`,
      'user-agent': userAgent,
      ...options.headers,
    },
  });
const json = (body: string) => (body ? (JSON.parse(body) as Record<string, unknown>) : {});
/** an answer's body with the person's id taken out, to compare with a person who has no journey */
const anonymised = (body: string, personId: string) => body.replaceAll(personId, '<person>');

/**
 * One person route, every caller × every journey: `reached` is what a caller who reaches the
 * journey gets; out of reach, 404 with the very body a person without a journey gets.
 */
async function personRoute(
  request: (personId: string) => InjectOptions,
  reached: (who: Who, personId: PersonId) => number,
  refused?: (who: Who) => number | undefined,
) {
  for (const who of callers) {
    for (const personId of journeysOfTest) {
      const answer = await call(who, request(personId));
      const expected = refused?.(who) ?? (who.reaches.includes(personId) ? reached(who, personId) : 404);
      expect({ who: who.name, personId, status: answer.statusCode }).toEqual({
        who: who.name,
        personId,
        status: expected,
      });
      if (expected === 404) {
        const nobody = await call(who, request(NOBODY));
        expect(nobody.statusCode).toBe(404);
        expect(anonymised(answer.body, personId)).toBe(anonymised(nobody.body, NOBODY));
      }
    }
  }
}

/** A person record for each journey of the test (written once, by a manager of every team). */
const personRecordOf = (personId: string) => ({ name: { given: 'Matrix', family: personId } });
let recorded = false;
async function withRecords() {
  if (recorded) return;
  const manager = callers.find((w) => w.name === 'manager of every team')!;
  for (const personId of journeysOfTest) {
    const answer = await call(manager, {
      method: 'PUT',
      url: `/people/${personId}/record`,
      payload: personRecordOf(personId),
    });
    expect([200, 201]).toContain(answer.statusCode);
  }
  recorded = true;
}

const refusedUnless =
  (...roles: Role[]) =>
  (who: Who) =>
    roles.includes(who.role) ? undefined : 403;
let eventCount = 0;
const refusedEvent = () => ({
  ...eventDocs.SURPLUS_RECOVERED.example,
  eventId: `mtx-surplus-${++eventCount}`,
});
const period = 'from=2026-04-01&to=2026-06-30';

/** Whether the caller reaches every team's people (the council-wide reports, the codec, the store check). */
const wholeCouncil = (who: Who) => who.role === 'auditor' || everyTeamCaller(who);

/** A browser session on the pages, signed in with the caller's token (JWT or static). */
async function signIn(who: Who) {
  let cookie = '';
  const keep = (setCookie: string | string[] | undefined) => {
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (first) cookie = first.split(';')[0]!;
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const page = await app.inject({ method: 'GET', url: '/sign-in' });
  keep(page.headers['set-cookie']);
  const answer = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'a browser' },
    payload: new URLSearchParams({
      _csrf: csrfOf(page.body),
      token: tokenOf.get(who.name)!,
      next: '/worktray',
    }).toString(),
  });
  expect({ who: who.name, status: answer.statusCode }).toEqual({ who: who.name, status: 303 });
  keep(answer.headers['set-cookie']);
  const headers = () => ({ cookie, 'user-agent': 'a browser' });
  return {
    get: (url: string) => app.inject({ method: 'GET', url, headers: headers() }),
    post: async (url: string, form: Record<string, string>, csrfFrom: string) => {
      const from = await app.inject({ method: 'GET', url: csrfFrom, headers: headers() });
      return app.inject({
        method: 'POST',
        url,
        headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...form, _csrf: csrfOf(from.body) }).toString(),
      });
    },
  };
}

/** Every route's row: what each caller gets, for each team's journey where the route has one. */
const matrix: Record<string, () => Promise<void>> = {
  // ---- the API's own document and health: no token, no journey --------------------------
  'GET /healthz': async () =>
    expect([200, 503]).toContain((await app.inject({ method: 'GET', url: '/healthz' })).statusCode),
  'GET /readyz': async () =>
    expect([200, 503]).toContain((await app.inject({ method: 'GET', url: '/readyz' })).statusCode),
  'GET /livez': async () => expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200),
  'GET /docs': publicDocument,
  'GET /docs/json': publicDocument,
  'GET /docs/yaml': publicDocument,
  'GET /docs/static/index.html': publicDocument,
  'GET /docs/static/swagger-initializer.js': publicDocument,
  'GET /docs/static/*': publicDocument,
  'OPTIONS /codec*': async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: api.config.codec.corsOrigins[0]!, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
  },

  // ---- one person's journey -------------------------------------------------------------
  'GET /journeys/:personId': () =>
    personRoute(
      (id) => ({ method: 'GET', url: `/journeys/${id}` }),
      () => 200,
    ),
  'GET /journeys/:personId/correspondence': () =>
    personRoute(
      (id) => ({ method: 'GET', url: `/journeys/${id}/correspondence` }),
      () => 200,
    ),
  'GET /journeys/:personId/events': () =>
    personRoute(
      (id) => ({ method: 'GET', url: `/journeys/${id}/events` }),
      () => 200,
    ),
  'GET /journeys/:personId/access': () =>
    personRoute(
      (id) => ({ method: 'GET', url: `/journeys/${id}/access` }),
      () => 200,
      refusedUnless('auditor'),
    ),
  'POST /journeys/:personId/events': () =>
    personRoute(
      (id) => ({ method: 'POST', url: `/journeys/${id}/events`, payload: refusedEvent() }),
      () => 409, // reached, and refused by the journey's rules (no direct payment to recover)
      refusedUnless('practitioner', 'manager', 'integration'),
    ),
  'POST /journeys/:personId/repair': () =>
    personRoute(
      (id) => ({ method: 'POST', url: `/journeys/${id}/repair`, payload: { reason: 'matrix test' } }),
      () => 409, // reached, and not wedged
      refusedUnless('manager'),
    ),
  'POST /referrals': async () => {
    let n = 0;
    const body = (personId: string) => {
      const { type: _t, actor: _a, ...fields } = referral(daysAgo(1), `mtx-ref-${++n}`);
      return { ...fields, personId };
    };
    for (const who of callers) {
      for (const personId of journeysOfTest) {
        const answer = await call(who, { method: 'POST', url: '/referrals', payload: body(personId) });
        const label = { who: who.name, personId };
        if (who.role === 'auditor')
          expect({ ...label, status: answer.statusCode }).toEqual({ ...label, status: 403 });
        else if (who.reaches.includes(personId))
          expect({ ...label, ok: [200, 409].includes(answer.statusCode) }).toEqual({ ...label, ok: true });
        else {
          expect({ ...label, status: answer.statusCode }).toEqual({ ...label, status: 403 });
          expect(json(answer.body).error).toBe(
            `person ${personId} has an open journey held by a team you do not work in, so this referral is not recorded: send it to the duty team (${dutyTeam}) or to the team holding the case`,
          );
        }
      }
    }
    // a new person's journey: opened by anyone who refers, then the duty team's (and managers') until allocated
    const pNorth = callers[0]!;
    const opened = await call(pNorth, { method: 'POST', url: '/referrals', payload: body('MTX-NEW') });
    expect(opened.statusCode).toBe(201);
    expect((await call(pNorth, { method: 'GET', url: '/journeys/MTX-NEW' })).statusCode).toBe(404);
    expect((await call(callers[1]!, { method: 'GET', url: '/journeys/MTX-NEW' })).statusCode).toBe(200);
    expect((await call(callers[2]!, { method: 'GET', url: '/journeys/MTX-NEW' })).statusCode).toBe(200);
  },
  'POST /imports': async () => {
    const rows = [
      { row: 2, values: { personId: 'mtx-imp-north', stage: 'assessment', team: 'mtx-north' } },
      { row: 3, values: { personId: 'mtx-imp-south', stage: 'assessment', team: 'mtx-south' } },
      { row: 4, values: { personId: 'mtx-imp-none', stage: 'assessment' } },
    ];
    const rowTeams: (string | undefined)[] = ['mtx-north', 'mtx-south', undefined];
    for (const who of callers) {
      const answer = await call(who, {
        method: 'POST',
        url: '/imports',
        payload: { file: 'm.csv', mode: 'check', rows },
      });
      if (!['manager', 'integration'].includes(who.role)) {
        expect({ who: who.name, status: answer.statusCode }).toEqual({ who: who.name, status: 403 });
        continue;
      }
      expect(answer.statusCode).toBe(200);
      const outcomes = (
        json(answer.body).results as { outcome: string; problems?: { column?: string }[] }[]
      ).map((r) => r.outcome);
      const expected = rowTeams.map((team) =>
        everyTeamCaller(who) || (team ? who.teams.includes(team) : who.reaches.includes(UNALLOCATED))
          ? 'valid'
          : 'refused',
      );
      expect({ who: who.name, outcomes }).toEqual({ who: who.name, outcomes: expected });
    }
  },

  // ---- one person's record (issue 26): reached as their journey is ------------------------
  'GET /people/:personId/record': async () => {
    await withRecords();
    await personRoute(
      (id) => ({ method: 'GET', url: `/people/${id}/record` }),
      () => 200,
    );
  },
  'GET /people/:personId/record/history': async () => {
    await withRecords();
    await personRoute(
      (id) => ({ method: 'GET', url: `/people/${id}/record/history` }),
      () => 200,
    );
  },
  'PUT /people/:personId/record': async () => {
    await withRecords();
    await personRoute(
      (id) => ({ method: 'PUT', url: `/people/${id}/record`, payload: personRecordOf(id) }),
      () => 200, // reached: the record kept already (a first record answers 201)
      refusedUnless('practitioner', 'manager', 'integration'),
    );
  },
  'PATCH /people/:personId/record': async () => {
    await withRecords();
    await personRoute(
      (id) => ({ method: 'PATCH', url: `/people/${id}/record`, payload: { gender: 'Unknown' } }),
      () => 200,
      refusedUnless('practitioner', 'manager', 'integration'),
    );
  },
  'GET /people': async () => {
    await withRecords();
    for (const who of callers) {
      const answer = await call(who, { method: 'GET', url: '/people?reference=MTX-&limit=100' });
      expect(answer.statusCode).toBe(200);
      const found = (json(answer.body).people as { personId: string }[]).map((p) => p.personId);
      expect({ who: who.name, found: journeysOfTest.filter((id) => found.includes(id)) }).toEqual({
        who: who.name,
        found: [...who.reaches],
      });
    }
  },
  'GET /staff': async () => {
    for (const who of callers)
      expect({
        who: who.name,
        status: (await call(who, { method: 'GET', url: '/staff' })).statusCode,
      }).toEqual({
        who: who.name,
        status: 200,
      });
  },
  'PUT /staff/:userId': async () => {
    for (const who of callers) {
      for (const team of everyTeam) {
        const answer = await call(who, {
          method: 'PUT',
          url: `/staff/${team}.worker`,
          payload: { name: 'A Worker', teams: [team] },
        });
        const expected = who.role === 'manager' && who.teams.includes(team) ? 200 : 403;
        expect({ who: who.name, team, status: answer.statusCode }).toEqual({
          who: who.name,
          team,
          status: expected,
        });
      }
    }
  },
  'PUT /staff/teams/:teamId': async () => {
    for (const who of callers) {
      for (const team of everyTeam) {
        const answer = await call(who, {
          method: 'PUT',
          url: `/staff/teams/${team}`,
          payload: { name: team },
        });
        const expected = who.role === 'manager' && who.teams.includes(team) ? 200 : 403;
        expect({ who: who.name, team, status: answer.statusCode }).toEqual({
          who: who.name,
          team,
          status: expected,
        });
      }
    }
  },

  // ---- lists and reports: only what is within reach -------------------------------------
  'GET /journeys': async () => {
    for (const who of callers) {
      const answer = await call(who, { method: 'GET', url: '/journeys?limit=500' });
      expect(answer.statusCode).toBe(200);
      const listed = (json(answer.body).journeys as { personId: string }[]).map((j) => j.personId);
      expect({ who: who.name, listed: journeysOfTest.filter((id) => listed.includes(id)) }).toEqual({
        who: who.name,
        listed: [...who.reaches].sort((a, b) => journeysOfTest.indexOf(a) - journeysOfTest.indexOf(b)),
      });
      // and a team filter cannot reach past the caller's teams
      const south = await call(who, { method: 'GET', url: '/journeys?team=mtx-south' });
      expect({ who: who.name, total: json(south.body).total }).toEqual({
        who: who.name,
        total: who.reaches.includes(SOUTH) ? 1 : 0,
      });
    }
  },
  'GET /reports/overdue': async () => {
    for (const who of callers) {
      const answer = await call(who, { method: 'GET', url: '/reports/overdue' });
      expect(answer.statusCode).toBe(200);
      const teams = (json(answer.body).byTeam as { team: string }[]).map((t) => t.team);
      expect({
        who: who.name,
        north: teams.includes('mtx-north'),
        south: teams.includes('mtx-south'),
      }).toEqual({
        who: who.name,
        north: who.reaches.includes(NORTH),
        south: who.reaches.includes(SOUTH),
      });
    }
  },
  'GET /reports/cld': () => councilWide(`/reports/cld?${period}`, ['auditor', 'manager']),
  'GET /reports/cld/problems': () => councilWide(`/reports/cld/problems?${period}`, ['auditor', 'manager']),
  'GET /reports/cld/summary': () => councilWide(`/reports/cld/summary?${period}`, ['auditor', 'manager']),
  'GET /reports/cld/export': () => councilWide(`/reports/cld/export?${period}`, ['auditor', 'manager']),
  'GET /reports/timeliness': async () => {
    await councilWide(`/reports/timeliness?${period}`, ['auditor', 'manager']);
    // one team's figures: for that team's manager too
    for (const who of callers.filter((w) => w.role === 'manager' || w.role === 'auditor')) {
      for (const team of everyTeam) {
        const answer = await call(who, { method: 'GET', url: `/reports/timeliness?${period}&team=${team}` });
        expect({ who: who.name, team, status: answer.statusCode }).toEqual({
          who: who.name,
          team,
          status: who.teams.includes(team) ? 200 : 403,
        });
      }
    }
  },
  'GET /store/check': () =>
    councilWide('/store/check', ['practitioner', 'manager', 'integration', 'auditor']),
  'POST /store/rebuild': () => councilWide('/store/rebuild', ['manager'], 'POST'),
  // a dry run (the default): who would be removed, nothing removed
  'POST /store/forget': () =>
    councilWide('/store/forget', ['manager'], 'POST', { closedBefore: '2001-01-01' }),
  'POST /codec/decode': () => councilWide('/codec/decode', ['auditor', 'manager'], 'POST', { payloads: [] }),
  'POST /codec/encode': () => councilWide('/codec/encode', ['manager'], 'POST', { payloads: [] }),

  // ---- the operations pages ---------------------------------------------------------------
  'GET /assets/*': async () =>
    expect((await app.inject({ method: 'GET', url: '/assets/govuk-frontend.min.css' })).statusCode).toBe(200),
  // MoJ Frontend's stylesheet, and nothing else of the package
  'GET /assets/moj/*': async () => {
    expect((await app.inject({ method: 'GET', url: '/assets/moj/moj-frontend.min.css' })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ method: 'GET', url: '/assets/moj/moj-frontend.min.js' })).statusCode).toBe(
      404,
    );
  },
  'GET /': () => signedInPage('/', 303),
  'GET /sign-in': async () =>
    expect((await app.inject({ method: 'GET', url: '/sign-in' })).statusCode).toBe(200),
  'POST /sign-in': async () => {
    // every caller signs in (JWT or API token); an expired JWT is refused and says why
    for (const who of callers) await signIn(who);
    const page = await app.inject({ method: 'GET', url: '/sign-in' });
    const cookie = String([page.headers['set-cookie']].flat()[0]).split(';')[0]!;
    const expired = await idp.sign({
      sub: 'late',
      roles: ['practitioner'],
      groups: ['mtx-north'],
      exp: 1_577_836_800,
    });
    const answer = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!,
        token: expired,
        next: '/worktray',
      }).toString(),
    });
    expect(answer.statusCode).toBe(401);
    expect(answer.body).toContain(
      'The sign-in token was refused: the token has expired (at 2020-01-01T00:00:00.000Z)',
    );
  },
  'GET /sign-out': () => signedInPage('/sign-out', 200),
  'POST /sign-in/start': async () => {
    // without the sign-in page's CSRF token, nobody (signed in or not) starts a sign-in: another
    // site cannot start one that would replace this browser's
    const anonymous = await app.inject({ method: 'POST', url: '/sign-in/start', payload: {} });
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.headers.location).toBeUndefined();
    for (const who of callers) {
      // (a page without a form, so no CSRF token goes with the post)
      const refused = await (await signIn(who)).post('/sign-in/start', { next: '/worktray' }, '/healthz');
      expect({ who: who.name, status: refused.statusCode, to: refused.headers.location }).toEqual({
        who: who.name,
        status: 403,
        to: undefined,
      });
    }
  },
  'GET /sign-in/callback': async () => {
    // an answer for no sign-in started in this browser signs nobody in, and shows no journey
    const page = await app.inject({ method: 'GET', url: '/sign-in' });
    const cookie = String([page.headers['set-cookie']].flat()[0]).split(';')[0]!;
    const answer = await app.inject({
      method: 'GET',
      url: '/sign-in/callback?code=stolen-code&state=someone-elses',
      headers: { cookie },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('The sign-in was not started in this browser');
    for (const id of journeysOfTest) expect(answer.body).not.toContain(id);
    const after = String([answer.headers['set-cookie']].flat()[0] ?? cookie).split(';')[0]!;
    const worktray = await app.inject({ method: 'GET', url: '/worktray', headers: { cookie: after } });
    expect(worktray.statusCode).toBe(303);
  },
  'POST /sign-out': async () => {
    const browser = await signIn(callers[0]!);
    expect((await browser.post('/sign-out', {}, '/sign-out')).statusCode).toBe(303);
    expect((await browser.get('/worktray')).statusCode).toBe(303);
  },
  'GET /journey-map': () => signedInPage('/journey-map', 200),
  'GET /rules': () => signedInPage('/rules', 200),
  'GET /worktray': async () => {
    for (const who of callers) {
      const page = await (await signIn(who)).get('/worktray');
      expect(page.statusCode).toBe(200);
      const shown = journeysOfTest.filter((id) => page.body.includes(`data-person="${id}"`));
      // the two overdue journeys are on the worktray of whoever reaches them, and of nobody else
      expect({
        who: who.name,
        north: shown.includes(NORTH),
        south: shown.includes(SOUTH),
        unallocated: shown.includes(UNALLOCATED) && !who.reaches.includes(UNALLOCATED),
      }).toEqual({
        who: who.name,
        north: who.reaches.includes(NORTH),
        south: who.reaches.includes(SOUTH),
        unallocated: false,
      });
    }
  },
  'GET /cases/:personId': async () => {
    for (const who of callers) {
      const browser = await signIn(who);
      for (const personId of journeysOfTest) {
        const page = await browser.get(`/cases/${personId}`);
        expect({ who: who.name, personId, status: page.statusCode }).toEqual({
          who: who.name,
          personId,
          status: who.reaches.includes(personId) ? 200 : 404,
        });
      }
      expect((await browser.get(`/cases/${NOBODY}`)).statusCode).toBe(404);
    }
  },
  'GET /cases/:personId/events/:type': async () => {
    for (const who of callers) {
      const browser = await signIn(who);
      for (const personId of journeysOfTest) {
        const page = await browser.get(`/cases/${personId}/events/COMPLAINT_RAISED`);
        expect({ who: who.name, personId, status: page.statusCode }).toEqual({
          who: who.name,
          personId,
          status: who.reaches.includes(personId) ? 200 : 404,
        });
      }
      expect((await browser.get(`/cases/${NOBODY}/events/COMPLAINT_RAISED`)).statusCode).toBe(404);
    }
  },
  'POST /cases/:personId/events': async () => {
    for (const who of callers) {
      const browser = await signIn(who);
      for (const personId of journeysOfTest) {
        const { type, amount } = refusedEvent();
        const page = await browser.post(
          `/cases/${personId}/events`,
          { type, amount: String(amount), eventId: `mtx-page-${++eventCount}` },
          '/sign-out',
        );
        const expected = who.role === 'auditor' ? 403 : who.reaches.includes(personId) ? 409 : 404;
        expect({ who: who.name, personId, status: page.statusCode }).toEqual({
          who: who.name,
          personId,
          status: expected,
        });
      }
    }
  },
  'GET /dashboard': async () => {
    for (const who of callers) {
      const page = await (await signIn(who)).get('/dashboard');
      expect(page.statusCode).toBe(200);
      expect({ who: who.name, south: page.body.includes('mtx-south') }).toEqual({
        who: who.name,
        south: who.reaches.includes(SOUTH),
      });
    }
  },
  'GET /teams/:team': async () => {
    for (const who of callers) {
      const browser = await signIn(who);
      for (const team of everyTeam) {
        const page = await browser.get(`/teams/${team}`);
        expect({ who: who.name, team, status: page.statusCode }).toEqual({
          who: who.name,
          team,
          status: who.teams.includes(team) ? 200 : 404,
        });
      }
    }
  },
};

async function publicDocument() {
  const answer = await app.inject({ method: 'GET', url: '/docs/json' });
  expect(answer.statusCode).toBe(200);
}

/** A council-wide route: for `roles`, and only when the caller reaches every team; else 403. */
async function councilWide(url: string, roles: Role[], method: 'GET' | 'POST' = 'GET', payload?: object) {
  for (const who of callers) {
    const answer = await call(who, { method, url, ...(payload ? { payload } : {}) });
    const expected = roles.includes(who.role) && wholeCouncil(who) ? 200 : 403;
    expect({ who: who.name, url, status: answer.statusCode }).toEqual({
      who: who.name,
      url,
      status: expected,
    });
  }
}

/** A page every signed-in caller sees alike; without signing in, off to the sign-in page. */
async function signedInPage(url: string, status: number) {
  expect((await app.inject({ method: 'GET', url })).statusCode).toBe(303);
  for (const who of callers) {
    const page = await (await signIn(who)).get(url);
    expect({ who: who.name, url, status: page.statusCode }).toEqual({ who: who.name, url, status });
  }
}

/** HEAD answers as GET does (Fastify's own, through the same hooks): its GET's row covers it. */
const routeKeys = () =>
  [
    ...new Set(
      app.routeTable
        .map(({ method, url }) => `${method === 'HEAD' ? 'GET' : method} ${url}`)
        .filter((key) => key !== 'GET /docs/'), // swagger-ui's HEAD-only redirect to /docs
    ),
  ].sort();

test('every route of the API and of the pages has a row in the matrix, and every row a route', () => {
  expect(routeKeys().filter((key) => !(key in matrix))).toEqual([]);
  expect(Object.keys(matrix).filter((key) => !routeKeys().includes(key))).toEqual([]);
});

describe('role × endpoint × team', () => {
  it.each(Object.keys(matrix).sort())('%s', async (key) => {
    await matrix[key]!();
  });
});

describe('the record of who looked (issue 14 point 5)', () => {
  const auditor = callers.find((w) => w.role === 'auditor')!;
  const pNorth = callers[0]!;
  const pDuty = callers[1]!;

  it('holds every read and write of a journey: who, role, how, when, what, from where and the answer', async () => {
    const before = Date.now();
    await call(pNorth, { method: 'GET', url: `/journeys/${NORTH}` });
    await call(pDuty, { method: 'GET', url: `/journeys/${NORTH}` });
    await call(pNorth, { method: 'POST', url: `/journeys/${NORTH}/events`, payload: refusedEvent() });
    const entries: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(auditor, {
        method: 'GET',
        url: `/journeys/${NORTH}/access?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(page.statusCode).toBe(200);
      const body = json(page.body) as { entries: Record<string, unknown>[]; nextCursor?: string };
      entries.push(...body.entries);
      cursor = body.nextCursor;
    } while (cursor);
    const recent = entries.filter((e) => Date.parse(e.at as string) >= before - 1000);
    expect(recent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          userId: 'practitioner.of.north',
          role: 'practitioner',
          via: 'oidc',
          action: 'read',
          route: 'GET /journeys/:personId',
          status: 200,
          ip: '127.0.0.1',
          userAgent,
        }),
        // out of reach: recorded with the answer it got
        expect.objectContaining({
          userId: 'practitioner.of.the.duty.team',
          route: 'GET /journeys/:personId',
          status: 404,
        }),
        expect.objectContaining({
          userId: 'practitioner.of.north',
          action: 'write',
          route: 'POST /journeys/:personId/events',
          eventType: 'SURPLUS_RECOVERED',
          status: 409,
        }),
      ]),
    );
    // the matrix's own calls are there too: the pages' with the browser's user agent
    expect(entries).toContainEqual(
      expect.objectContaining({ userId: 'cms.north', via: 'token', route: 'GET /journeys/:personId' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ userAgent: 'a browser', route: 'GET /journeys/:personId' }),
    );
    // in order, and in the case-event store (never in Temporal)
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at as string)].sort());
    const { rows } = await store.db.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM access_log WHERE person_id = $1',
      [NORTH],
    );
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(entries.length);
  });

  it('pages: each page follows on from the last, none twice', async () => {
    const page = (cursor?: string) =>
      call(auditor, {
        method: 'GET',
        url: `/journeys/${SOUTH}/access?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      }).then(
        (a) =>
          json(a.body) as { entries: { at: string; userId: string; route: string }[]; nextCursor?: string },
      );
    const first = await page();
    expect(first.entries).toHaveLength(3);
    const second = await page(first.nextCursor);
    expect(second.entries.length).toBeGreaterThan(0);
    expect(Date.parse(second.entries[0]!.at)).toBeGreaterThanOrEqual(Date.parse(first.entries[2]!.at));
    const bad = await call(auditor, { method: 'GET', url: `/journeys/${SOUTH}/access?cursor=nonsense` });
    expect(bad.statusCode).toBe(400);
  });
});
