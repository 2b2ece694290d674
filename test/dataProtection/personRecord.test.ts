import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { nhsCheckDigit } from '../../machines/personRecord';
import { journeyWorkflowId } from '../../workflows/definitions';
import { startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from '../api/apiHarness';
import { startIdentityProvider, type IdentityProvider } from '../auth/identityProvider';
import { openTestStore, type TestStore } from '../store/storeKit';
import { eventually } from '../support/eventually';
import { ev, referral } from '../support/journeyEvents';

/**
 * Issue 26's person record through the API, on a real dev server (its data in a SQLite file) and
 * the embedded case-event store (its files in a folder): recorded at referral, read, amended with
 * its history, refused with the field and the fix, found by search within the caller's teams, in
 * the access record, brought in by an import; staff named from the identity provider's claims.
 * And where it is kept: a journey runs for the person, then no personal field of the record is in
 * Temporal's files, nor in what the journey itself answers; and neither the NHS number nor the
 * ethnicity is readable in the store's files.
 */

jest.setTimeout(180_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const hex = randomBytes(4).toString('hex');
const mark = (what: string) => `Q${what}${hex}`;

/** A valid NHS number no other test uses (random nine digits, the check digit worked out). */
function randomNhsNumber(): string {
  for (;;) {
    const nine = String(100_000_000 + (randomBytes(4).readUInt32BE() % 800_000_000));
    const check = nhsCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
}

const nhs = randomNhsNumber();
const telephone = `01629 ${String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, '0')}`;
const ethnicity = 'White: Roma';
const markers = {
  given: mark('given'),
  family: mark('family'),
  preferred: mark('preferred'),
  otherName: mark('formerly'),
  street: mark('street'),
  communication: mark('lipreads'),
  gp: mark('surgery'),
  representative: mark('daughter'),
  advocate: mark('advocate'),
  language: mark('language'),
  email: `${mark('mail').toLowerCase()}@example.org`,
  nhs,
  telephone,
};
const person = {
  name: { title: 'Mrs', given: markers.given, family: markers.family, preferred: markers.preferred },
  otherNames: [markers.otherName],
  dateOfBirth: '1941-05-14',
  nhsNumber: { number: `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`, traced: true },
  address: { lines: [`4 ${markers.street}`, 'Matlock'], postcode: 'DE4 3AG' },
  contacts: [
    { kind: 'telephone', value: markers.telephone, preferred: true },
    { kind: 'email', value: markers.email },
  ],
  gender: 'Female',
  ethnicity,
  firstLanguage: markers.language,
  interpreter: { needed: true },
  communicationNeeds: [markers.communication],
  accessibleFormats: ['largePrint'],
  gpPractice: { code: 'C81001', name: markers.gp },
  representative: { name: markers.representative, kind: 'lastingPowerOfAttorney', relationship: 'daughter' },
  advocate: { name: markers.advocate, kind: 'careAct' },
  accommodation: 'Owner occupier or shared ownership scheme',
  primarySupportReason: 'Learning Disability Support',
  unpaidCarer: 'Yes',
  fundingStatus: 'Fully social care funded',
};

const PERSON = 'P-pr-1';
const SOUTH = 'P-pr-south';
const northToken = 'north-practitioner-token-1';

let idp: IdentityProvider;
let t: TestStore;
let h: ApiHarness;
let temporalDir: string;

const request = async (options: InjectOptions & { token?: string }) => {
  const { token = testTokens.practitioner.token, ...rest } = options;
  const answer = await h.app.inject({
    ...rest,
    headers: { authorization: `Bearer ${token}`, ...rest.headers },
  });
  return { status: answer.statusCode, body: answer.body ? (answer.json() as Json) : {} };
};

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await openTestStore('embedded');
  temporalDir = mkdtempSync(path.join(tmpdir(), 'care-person-'));
  h = await startApiHarness({
    dbFilename: path.join(temporalDir, 'temporal.sqlite'),
    store: t.store,
    env: {
      ...idp.env,
      CARE_API_TOKENS: JSON.stringify({
        ...Object.fromEntries(
          Object.entries(testTokens).map(([role, { token, userId }]) => [
            token,
            { userId, role, teams: '*' },
          ]),
        ),
        [northToken]: { userId: 'nina.north', role: 'practitioner', teams: ['north'] },
      }),
    },
  });
  const at = workingDaysAgo(3);
  // the referral carries the record: the API writes it to the store once the journey is open
  const { type: _type, actor: _actor, ...fields } = referral(at, 'R-pr-1');
  const referred = await request({
    method: 'POST',
    url: '/referrals',
    payload: { ...fields, personId: PERSON, person },
  });
  expect(referred.status).toBe(201);
  await h.drive(PERSON, [
    ev('UNIVERSAL_OFFER_GIVEN', at, {
      informationAndAdvice: ['Falls leaflet'],
      signposting: [],
      prevention: [],
    }),
    ev('WORKER_ALLOCATED', at, { team: 'north', workerId: 'worker.ann' }),
    ev('TRIAGED', at, { route: 'assessment', reason: 'Needs help at home' }),
    ev('ASSESSMENT_STARTED', workingDaysAgo(2), {}),
  ]);
  await h.drive(SOUTH, [
    referral(at, 'R-pr-2'),
    ev('WORKER_ALLOCATED', at, { team: 'south', workerId: 'worker.sam' }),
  ]);
  await eventually(async () => expect((await t.store.journey(SOUTH))?.team).toBe('south'));
  await eventually(async () => expect((await t.store.journey(PERSON))?.stage).toBe('assessment'));
});

afterAll(async () => {
  await h?.stop();
  await t?.close();
  await idp?.stop();
});

describe('the record through the API', () => {
  it('was recorded at referral and reads back whole, the NHS number as 10 digits', async () => {
    const answer = await request({ method: 'GET', url: `/people/${PERSON}/record` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      personId: PERSON,
      version: 1,
      recordedBy: testTokens.practitioner.userId,
    });
    expect(answer.body.record).toMatchObject({ ...person, nhsNumber: { number: nhs, traced: true } });
  });

  it('is amended by its own command, the change of address kept in its history with who and when', async () => {
    const amended = await request({
      method: 'PATCH',
      url: `/people/${PERSON}/record`,
      token: testTokens.manager.token,
      payload: { address: { lines: ['Flat 2, 9 Bank Road', 'Matlock'], postcode: 'de4 3nf' } },
    });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({
      version: 2,
      changed: ['address'],
      recordedBy: testTokens.manager.userId,
    });
    const history = await request({ method: 'GET', url: `/people/${PERSON}/record/history` });
    expect(history.status).toBe(200);
    const versions = history.body.versions as {
      version: number;
      via: string;
      recordedBy: string;
      record: Json;
    }[];
    expect(versions.map((v) => [v.version, v.via, v.recordedBy])).toEqual([
      [1, 'referral', testTokens.practitioner.userId],
      [2, 'amend', testTokens.manager.userId],
    ]);
    expect(versions[0]!.record.address.lines[0]).toBe(`4 ${markers.street}`);
    expect(versions[1]!.record.address).toEqual({
      lines: ['Flat 2, 9 Bank Road', 'Matlock'],
      postcode: 'DE4 3NF',
    });
  });

  it('refuses an NHS number whose check digit is wrong, naming the field and the fix', async () => {
    const wrong = `${nhs.slice(0, 9)}${(Number(nhs[9]) + 1) % 10}`;
    const answer = await request({
      method: 'PUT',
      url: `/people/${PERSON}/record`,
      payload: { ...person, nhsNumber: { number: wrong, traced: false } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([
      {
        field: 'nhsNumber.number',
        message: expect.stringMatching(
          /is not a valid NHS number: its last digit does not match the check worked out from the first nine, so a digit has been mistyped or two swapped; copy it again/,
        ),
      },
    ]);
    expect(answer.body.error).toMatch(
      /^invalid person record: nhsNumber\.number: \d{3} \d{3} \d{4} is not a valid NHS number/,
    );
    // and the record is as it was
    expect((await request({ method: 'GET', url: `/people/${PERSON}/record` })).body.version).toBe(2);
  });

  it('a person with no journey has no record to write: a referral opens one', async () => {
    const answer = await request({ method: 'PUT', url: '/people/P-pr-nobody/record', payload: person });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toBe(
      'no journey for person P-pr-nobody: a referral opens one (POST /referrals with personId "P-pr-nobody")',
    );
  });

  it('finds the person by name in any order and case, by date of birth and NHS number, within the caller’s teams', async () => {
    const search = (query: string, token?: string) =>
      request({ method: 'GET', url: `/people?${query}`, ...(token ? { token } : {}) });
    const byName = await search(
      `name=${encodeURIComponent(`${markers.family.toLowerCase()} ${markers.given.toUpperCase()}`)}`,
    );
    expect(byName.status).toBe(200);
    expect(byName.body.people).toEqual([
      expect.objectContaining({
        personId: PERSON,
        name: `${markers.preferred} ${markers.family}`,
        nhsNumber: nhs,
        team: 'north',
      }),
    ]);
    const typed = await search(`q=${encodeURIComponent(`${markers.given.slice(0, 6)} 14/05/1941`)}`);
    expect(typed.body.people.map((p: { personId: string }) => p.personId)).toEqual([PERSON]);
    expect(
      (await search(`nhsNumber=${nhs}`, northToken)).body.people.map((p: { personId: string }) => p.personId),
    ).toEqual([PERSON]);
    // the south person's record, then a north practitioner's search does not find them
    expect(
      (
        await request({
          method: 'PUT',
          url: `/people/${SOUTH}/record`,
          payload: { name: { given: 'Sam', family: markers.family } },
        })
      ).status,
    ).toBe(201);
    expect((await search(`name=${markers.family}`)).body.people).toHaveLength(2);
    expect(
      (await search(`name=${markers.family}`, northToken)).body.people.map(
        (p: { personId: string }) => p.personId,
      ),
    ).toEqual([PERSON]);
    // nor may they read it: as if there were none
    const south = await request({ method: 'GET', url: `/people/${SOUTH}/record`, token: northToken });
    const nobody = await request({ method: 'GET', url: '/people/P-pr-nobody/record', token: northToken });
    expect([south.status, nobody.status]).toEqual([404, 404]);
    expect(JSON.stringify(south.body).replaceAll(SOUTH, '?')).toBe(
      JSON.stringify(nobody.body).replaceAll('P-pr-nobody', '?'),
    );
    const bad = await search('nhsNumber=1234567890');
    expect(bad.status).toBe(400);
    expect(bad.body.problems[0].field).toBe('nhsNumber');
    expect((await search('limit=5')).body.problems[0].message).toBe(
      'say whom to find: give q, or name, dateOfBirth, nhsNumber, postcode or reference',
    );
  });

  it('every read, write and search of the record is in the person’s access record', async () => {
    const access = await request({
      method: 'GET',
      url: `/journeys/${PERSON}/access?limit=500`,
      token: testTokens.auditor.token,
    });
    const routes = (access.body.entries as { route: string; action: string }[]).map(
      (e) => `${e.action} ${e.route}`,
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'write POST /referrals',
        'read GET /people/:personId/record',
        'write PATCH /people/:personId/record',
        'read GET /people/:personId/record/history',
        'read GET /people',
      ]),
    );
  });

  it('fills the CLD return from the record, and the export is in the person’s access record', async () => {
    const london = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    const to = london(new Date());
    const from = london(new Date(Date.parse(`${to}T12:00:00Z`) - 364 * 86_400_000));
    const answer = await h.app.inject({
      method: 'GET',
      url: `/reports/cld?from=${from}&to=${to}`,
      headers: { authorization: `Bearer ${testTokens.auditor.token}`, accept: 'application/json' },
    });
    expect(answer.statusCode).toBe(200);
    const { csv } = answer.json() as { csv: string };
    const rows = csv.split('\n').filter((line) => line.includes(PERSON));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toContain(nhs);
      expect(row).toContain('14/05/1941');
      expect(row).toContain('Female');
      expect(row).toContain('Learning Disability Support');
    }
    const access = await request({
      method: 'GET',
      url: `/journeys/${PERSON}/access?limit=500`,
      token: testTokens.auditor.token,
    });
    expect(
      (access.body.entries as { route: string; action: string }[]).map((e) => `${e.action} ${e.route}`),
    ).toContain('read CLD return');
  });

  it('an import brings the record in from its person columns, and refuses a wrong one by its column', async () => {
    const row = (n: number, personId: string, values: Record<string, string>) => ({
      row: n,
      values: { personId, stage: 'assessment', team: 'north', ...values },
    });
    const answer = await request({
      method: 'POST',
      url: '/imports',
      token: testTokens.manager.token,
      payload: {
        file: 'people.csv',
        mode: 'import',
        rows: [
          row(2, 'P-pr-imp', {
            givenName: 'Ivy',
            familyName: markers.family,
            dateOfBirth: '1939-12-01',
            nhsNumber: '943 476 5919',
            addressLines: '2 Dale Road;Matlock',
            postcode: 'DE4 3LT',
            ethnicity: 'White: Irish',
            unpaidCarer: 'No',
          }),
          row(3, 'P-pr-imp-2', { givenName: 'Ida', familyName: 'Bad', nhsNumber: '943 476 5918' }),
        ],
      },
    });
    expect(answer.status).toBe(200);
    const [ok, refused] = answer.body.results as {
      outcome: string;
      problems?: { column?: string; message: string }[];
    }[];
    expect(ok?.outcome).toBe('started');
    expect(refused).toMatchObject({ outcome: 'refused', problems: [{ column: 'nhsNumber' }] });
    expect(refused?.problems?.[0]?.message).toMatch(/943 476 5918 is not a valid NHS number/);
    const imported = await request({ method: 'GET', url: '/people/P-pr-imp/record' });
    expect(imported.body).toMatchObject({
      version: 1,
      record: {
        name: { given: 'Ivy', family: markers.family },
        nhsNumber: { number: '9434765919', traced: false },
        address: { lines: ['2 Dale Road', 'Matlock'], postcode: 'DE4 3LT' },
        unpaidCarer: 'No',
      },
    });
    const history = await request({ method: 'GET', url: '/people/P-pr-imp/record/history' });
    expect(history.body.versions[0]).toMatchObject({ via: 'import', recordedBy: testTokens.manager.userId });
  });
});

describe('the staff directory', () => {
  it('names staff from the identity provider’s claims, and a manager names teams and staff it says nothing of', async () => {
    const jwt = await idp.sign({
      sub: 'ann.smith',
      roles: ['practitioner'],
      groups: ['north'],
      name: 'Ann Smith',
      email: 'ann.smith@example-council.test',
      phone_number: '01629 580123',
    });
    expect((await request({ method: 'GET', url: '/staff', token: jwt })).status).toBe(200);
    const named = await request({
      method: 'PUT',
      url: '/staff/teams/north',
      token: testTokens.manager.token,
      payload: { name: 'North Team', telephone: '01629 580000' },
    });
    expect(named.status).toBe(200);
    const recorded = await request({
      method: 'PUT',
      url: '/staff/worker.raj',
      token: testTokens.manager.token,
      payload: { name: 'Raj Patel', teams: ['north'], roles: ['practitioner'], jobTitle: 'Social worker' },
    });
    expect(recorded.body).toMatchObject({ userId: 'worker.raj', name: 'Raj Patel', source: 'recorded' });
    const refused = await request({
      method: 'PUT',
      url: '/staff/worker.x',
      payload: { name: 'X', teams: ['north'] },
    });
    expect(refused.status).toBe(403);
    const directory = await request({ method: 'GET', url: '/staff?team=north' });
    expect(directory.body.staff).toEqual([
      expect.objectContaining({
        userId: 'ann.smith',
        name: 'Ann Smith',
        email: 'ann.smith@example-council.test',
        telephone: '01629 580123',
        teams: ['north'],
        roles: ['practitioner'],
        source: 'identityProvider',
      }),
      expect.objectContaining({ userId: 'worker.raj', name: 'Raj Patel', source: 'recorded' }),
    ]);
    expect(directory.body.teams).toEqual([
      { teamId: 'north', name: 'North Team', telephone: '01629 580000' },
    ]);
  });
});

describe('where the record is kept', () => {
  /** Every file under a folder, as bytes. */
  const bytesUnder = (dir: string): Buffer => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const entry of readdirSync(d)) {
        const file = path.join(d, entry);
        if (statSync(file).isDirectory()) walk(file);
        else files.push(file);
      }
    };
    walk(dir);
    return Buffer.concat(files.map((f) => readFileSync(f)));
  };

  it("no personal field of the record is in Temporal's files, nor in what the journey answers", async () => {
    const workflowId = journeyWorkflowId(PERSON);
    await eventually(async () => {
      const bytes = bytesUnder(temporalDir);
      // the search is real: the journey is there, by its id
      expect(bytes.includes(Buffer.from(workflowId))).toBe(true);
      for (const [field, marker] of Object.entries({ ...markers, ethnicity }))
        expect({ field, found: bytes.includes(Buffer.from(marker)) }).toEqual({ field, found: false });
    });
    // the journey's own answers (its view and timeline, decoded) hold none of it either
    const journey = JSON.stringify((await request({ method: 'GET', url: `/journeys/${PERSON}` })).body);
    expect(journey).toContain('ASSESSMENT_STARTED');
    for (const [field, marker] of Object.entries({ ...markers, ethnicity }))
      expect({ field, found: journey.includes(marker) }).toEqual({ field, found: false });
  });

  it("neither the NHS number nor the ethnicity is readable in the store's files", async () => {
    await t.db.query('CHECKPOINT');
    const bytes = bytesUnder(t.where);
    // the search is real: the names, kept readable for search and letters, are there
    expect(bytes.includes(Buffer.from(markers.given))).toBe(true);
    expect(bytes.includes(Buffer.from(nhs))).toBe(false);
    expect(bytes.includes(Buffer.from(ethnicity))).toBe(false);
    expect(bytes.includes(Buffer.from(markers.communication))).toBe(false);
  });
});
