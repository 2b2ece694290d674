import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';
import { startIdentityProvider, type IdentityProvider } from './identityProvider';

/**
 * Access by team where the API lists from Temporal visibility (no case-event store): the lists and
 * the overdue report narrowed to the caller's teams, another team's journey not found, and the
 * record of who looked in an append-only JSON Lines file (issue 14 points 4 and 5).
 */

let idp: IdentityProvider;
let api: ApiHarness;
let north: string;

beforeAll(async () => {
  idp = await startIdentityProvider();
  api = await startApiHarness({ env: idp.env });
  north = await idp.sign({ sub: 'nell', roles: ['practitioner'], groups: ['vis-north'] });
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
  await api.drive('VIS-N', emergency('vis-north'), 'manager');
  await api.drive('VIS-S', emergency('vis-south'), 'manager');
  await eventually(async () => {
    const all = await api.call('GET', '/journeys?overdue=true', { role: 'auditor' });
    expect((all.body.journeys as { personId: string }[]).map((j) => j.personId)).toEqual(
      expect.arrayContaining(['VIS-N', 'VIS-S']),
    );
  });
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await idp?.stop();
});

const asNorth = (url: string) =>
  api.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${north}`, 'user-agent': 'vis-test' },
  });

test("lists and the overdue report hold only the caller's teams' journeys", async () => {
  const list = (await asNorth('/journeys?limit=500')).json() as {
    journeys: { personId: string }[];
    total: number;
  };
  const ids = list.journeys.map((j) => j.personId);
  expect(ids).toContain('VIS-N');
  expect(ids).not.toContain('VIS-S');
  expect(list.total).toBe(ids.length);
  const report = (await asNorth('/reports/overdue')).json() as {
    byTeam: { team: string }[];
    totalOverdue: number;
  };
  expect(report.byTeam.map((t) => t.team)).toEqual(['vis-north']);
  expect(report.totalOverdue).toBe(1);
  // an auditor's report counts both
  const all = await api.call('GET', '/reports/overdue', { role: 'auditor' });
  expect((all.body.byTeam as { team: string }[]).map((t) => t.team)).toEqual(
    expect.arrayContaining(['vis-north', 'vis-south']),
  );
});

test("another team's journey answers as no journey does, and each look is in the JSON Lines log", async () => {
  expect((await asNorth('/journeys/VIS-N')).statusCode).toBe(200);
  const south = await asNorth('/journeys/VIS-S');
  const nobody = await asNorth('/journeys/VIS-NOBODY');
  expect(south.statusCode).toBe(404);
  expect(south.body.replaceAll('VIS-S', '<p>')).toBe(nobody.body.replaceAll('VIS-NOBODY', '<p>'));
  const file = path.join(api.config.dataDir, 'access-log.jsonl');
  expect(existsSync(file)).toBe(true);
  const lines = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        personId: 'VIS-N',
        userId: 'nell',
        via: 'oidc',
        status: 200,
        userAgent: 'vis-test',
      }),
      expect.objectContaining({ personId: 'VIS-S', userId: 'nell', status: 404 }),
    ]),
  );
  // and an auditor reads it through the API
  const access = await api.app.inject({
    method: 'GET',
    url: '/journeys/VIS-S/access',
    headers: { authorization: `Bearer ${testTokens.auditor.token}` },
  });
  expect(access.statusCode).toBe(200);
  expect(access.json()).toMatchObject({
    where: file,
    entries: expect.arrayContaining([expect.objectContaining({ userId: 'nell', status: 404 })]),
  });
});
