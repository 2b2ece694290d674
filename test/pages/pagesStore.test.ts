import type { FastifyInstance } from 'fastify';
import { registerPages } from '../../pages';
import { startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';
import { openTestStore, type TestStore } from '../store/storeKit';

/**
 * The pages read through the API's own routes, so when the API lists from the case-event store
 * (issue 12), so do they: the worktray of an API with a store shows the store's overdue case, and
 * an event recorded through the case page's form takes it off the list once the store has it.
 */

let store: TestStore;
let api: ApiHarness;

beforeAll(async () => {
  store = await openTestStore('embedded');
  api = await startApiHarness({ store: store.store, extend: (config) => registerPages(config) });
  await api.drive('EMG-S', [
    referral(workingDaysAgo(7), undefined, { urgency: 'emergency' }),
    ev('WORKER_ALLOCATED', workingDaysAgo(7), { team: 'east', workerId: 'eve' }),
    ev('TRIAGED', workingDaysAgo(6), { route: 'emergencyInterimSupport', reason: 'Carer in hospital' }),
    ev('INTERIM_SUPPORT_STARTED', workingDaysAgo(6), {
      services: ['home care'],
      managerApproval: { managerId: 'manager.bob' },
      caseNotesCompleted: true,
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await store?.close();
});

/** A browser's session, by hand: the cookie and the CSRF token of the last page. */
async function signedIn(app: FastifyInstance) {
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
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: csrfOf(page.body),
      token: testTokens.manager.token,
      next: '/worktray',
    }).toString(),
  });
  expect(answer.statusCode).toBe(303);
  keep(answer.headers['set-cookie']);
  return {
    get: (url: string) => app.inject({ method: 'GET', url, headers: { cookie } }),
    post: async (url: string, form: Record<string, string>, csrfFrom: string) => {
      const from = await app.inject({ method: 'GET', url: csrfFrom, headers: { cookie } });
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...form, _csrf: csrfOf(from.body) }).toString(),
      });
    },
  };
}

const overdueSection = (html: string) => /data-section="overdue">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';

test('the worktray of an API that lists from the case-event store, and a form recorded through it', async () => {
  const browser = await signedIn(api.app);
  await eventually(async () => {
    const worktray = await browser.get('/worktray?team=east');
    expect(worktray.statusCode).toBe(200);
    expect(overdueSection(worktray.body)).toContain('data-person="EMG-S"');
  });
  const recorded = await browser.post(
    '/cases/EMG-S/events',
    { type: 'ASSESSMENT_STARTED', eventId: 'pages-store-assessment' },
    '/cases/EMG-S',
  );
  expect(recorded.statusCode).toBe(303);
  expect(recorded.headers.location).toBe('/cases/EMG-S');
  await eventually(async () => {
    const worktray = await browser.get('/worktray?team=east');
    expect(worktray.body).toContain('data-count="overdue">0');
  });
  // the store has the event the form sent, as the API recorded it
  const record = await store.store.personRecord('EMG-S');
  expect(record.timeline.map((e) => e.eventId)).toContain('pages-store-assessment');
});

test('the case page lists the letters sent, from the case record (GET /journeys/{id}/correspondence)', async () => {
  const browser = await signedIn(api.app);
  // the emergency's fuller-assessment notice (R-EMG-1) is on the store's record
  await eventually(async () =>
    expect((await store.store.personRecord('EMG-S')).letters.map((l) => l.letter)).toContain(
      'fullerAssessmentNotice',
    ),
  );
  const answer = await api.call('GET', '/journeys/EMG-S/correspondence', { role: 'auditor' });
  expect(answer.status).toBe(200);
  expect(answer.body.letters).toContainEqual(
    expect.objectContaining({
      letter: 'fullerAssessmentNotice',
      ruleId: 'R-EMG-1',
      title: 'Your interim support, and the assessment that will follow',
    }),
  );
  expect((await api.call('GET', '/journeys/nobody-here/correspondence')).status).toBe(404);
  const page = await browser.get('/cases/EMG-S');
  expect(page.statusCode).toBe(200);
  const letters = /Letters sent \((\d+)\)<\/h3>([\s\S]*?)<\/table>/.exec(page.body);
  expect(Number(letters?.[1])).toBeGreaterThanOrEqual(1);
  expect(letters?.[2]).toContain('Your interim support, and the assessment that will follow');
  expect(page.body).toContain('Reminders and escalations sent (');
});
