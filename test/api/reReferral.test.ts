import type { FastifyInstance } from 'fastify';
import type { JourneyEvent } from '../../machines/events';
import type { Deadline, TimelineEntry } from '../../machines/types';
import { registerPages } from '../../pages';
import { eventually } from '../support/eventually';
import {
  closureKinds,
  emergencyReReferral,
  roadToClosure,
  type ClosureKind,
} from '../support/reReferralRoads';
import { openTestStore, type TestStore } from '../store/storeKit';
import { daysAgo, startApiHarness, testTokens, workingDaysAgo, type ApiHarness } from './apiHarness';

/**
 * R-REF-4: a person referred again after their journey closed gets a second journey, a first-class
 * one: through the API with the case-event store (and the pages on it), for every way a journey
 * closes, the second journey is listed, on the worktray and in the overdue report once its
 * emergency assessment clock (R-EMG-1) has passed, and its escalation goes out; the first
 * journey's rows stay as they were, under ids of their own. A person who died gets no second
 * journey (R-DTH-1).
 *
 * The dev server runs on the real clock, so each first journey is wholly in the past (it began
 * 90 days ago) and the second's interim services began 6 working days ago: its 3-working-day clock
 * has passed on whatever date the suite runs.
 */

let store: TestStore;
let api: ApiHarness;
const living = closureKinds.filter((k) => k !== 'died');
const person = (kind: ClosureKind) => `REREF-${kind}`;
const firstRoads = new Map<ClosureKind, JourneyEvent[]>();
const secondRoads = new Map<ClosureKind, JourneyEvent[]>();
const reReferred = new Map<ClosureKind, { status: number; body: Record<string, unknown> }>();

type Detail = {
  view: {
    closed: boolean;
    closure?: { reason: string };
    stage: string;
    deadlines: Deadline[];
    team?: string;
  };
  timeline: TimelineEntry[];
};
const detail = async (personId: string) =>
  (await api.call('GET', `/journeys/${personId}`, { role: 'manager' })).body as unknown as Detail;

beforeAll(async () => {
  store = await openTestStore('embedded');
  api = await startApiHarness({ store: store.store, extend: (config) => registerPages(config) });
  const start = daysAgo(90);
  await Promise.all(
    closureKinds.map(async (kind) => {
      const personId = person(kind);
      const road = roadToClosure(kind, start);
      firstRoads.set(kind, road);
      await api.drive(personId, road);
      // a move's funding weeks and a notice's end date have passed: the journey closes at once
      await eventually(async () => {
        const { view } = await detail(personId);
        expect(view.closed).toBe(true);
        expect(view.closure?.reason).toBe(kind);
      }, 60_000);
      // and its closure is in the store
      await eventually(async () => expect((await store.store.journey(personId))?.closed).toBe(true));
      const [referral, ...rest] = emergencyReReferral(workingDaysAgo(7), workingDaysAgo(6));
      secondRoads.set(kind, [referral!, ...rest]);
      const {
        actor: _actor,
        type: _type,
        ...body
      } = referral as Extract<JourneyEvent, { type: 'REFERRAL_RECEIVED' }>;
      const answer = await api.call('POST', '/referrals', {
        role: 'integration',
        body: { ...body, personId },
      });
      reReferred.set(kind, answer);
      if (kind !== 'died') await api.drive(personId, rest);
    }),
  );
}, 600_000);

afterAll(async () => {
  await api?.stop();
  await store?.close();
});

/** A browser's session on the pages, signed in as a manager. */
async function signedIn(app: FastifyInstance) {
  let cookie = '';
  const keep = (setCookie: string | string[] | undefined) => {
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (first) cookie = first.split(';')[0]!;
  };
  const page = await app.inject({ method: 'GET', url: '/sign-in' });
  keep(page.headers['set-cookie']);
  const answer = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
      token: testTokens.manager.token,
      next: '/worktray',
    }).toString(),
  });
  expect(answer.statusCode).toBe(303);
  keep(answer.headers['set-cookie']);
  return { get: (url: string) => app.inject({ method: 'GET', url, headers: { cookie } }) };
}

const overdueSection = (html: string) => /data-section="overdue">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';

describe.each(living)('R-REF-4: referred again after the journey closed (%s)', (kind) => {
  const personId = person(kind);

  it(`R-REF-4: the referral opens a second journey, and GET /journeys/{id} shows it (${kind})`, async () => {
    const answer = reReferred.get(kind)!;
    expect(answer.status).toBe(201);
    expect(answer.body.journeyOpened).toBe(true);
    const { view, timeline } = await detail(personId);
    expect(view.closed).toBe(false);
    expect(view.team).toBe('east');
    // the current journey: its own events only, from its referral; its clocks marked as the second's
    expect(timeline.map((e) => e.eventId).slice(0, 4)).toEqual(secondRoads.get(kind)!.map((e) => e.eventId));
    const firstIds = new Set(firstRoads.get(kind)!.map((e) => e.eventId));
    expect(timeline.filter((e) => firstIds.has(e.eventId))).toEqual([]);
    expect(view.deadlines.length).toBeGreaterThan(0);
    for (const d of view.deadlines) expect(d.id).toMatch(/^j2-/);
    expect(view.deadlines.find((d) => d.kind === 'emergencyAssessmentStart')?.status).toBe('overdue');
  });

  it(`R-REF-4 / R-EMG-1: the second journey is listed, overdue, and in the overdue report (${kind})`, async () => {
    await eventually(async () => {
      const listed = await api.call(
        'GET',
        '/journeys?team=east&overdue=true&kind=emergencyAssessmentStart&limit=50',
      );
      expect(listed.status).toBe(200);
      const rows = listed.body.journeys as { personId: string }[];
      expect(rows.map((r) => r.personId)).toContain(personId);
    });
    const row = await store.store.journey(personId);
    expect(row).toMatchObject({ closed: false, journeyNumber: 2, runNumber: 1, team: 'east' });
    expect(row?.overdueKinds).toContain('emergencyAssessmentStart');
  });

  it(`R-REF-4 / R-EMG-1: the second journey's escalation goes out, under its own id (${kind})`, async () => {
    const clock = (await detail(personId)).view.deadlines.find((d) => d.kind === 'emergencyAssessmentStart')!;
    await eventually(async () => {
      const record = await store.store.personRecord(personId);
      expect(record.notices).toContainEqual(
        expect.objectContaining({
          notificationId: `${personId}:${clock.id}:escalation-1`,
          deadlineId: clock.id,
          kind: 'escalation',
        }),
      );
      // the escalation of this journey's clock, not of an earlier journey's under the same id
      const { rows } = await store.db.query<{ entry: { deadline: Deadline; to: string } }>(
        'SELECT entry FROM notices WHERE notification_id = $1',
        [`${personId}:${clock.id}:escalation-1`],
      );
      expect(rows[0]?.entry.deadline).toMatchObject({ id: clock.id, startedFrom: clock.startedFrom });
    });
    const correspondence = await api.call('GET', `/journeys/${personId}/correspondence`, { role: 'auditor' });
    expect((correspondence.body.notices as { deadlineId: string }[]).map((n) => n.deadlineId)).toContain(
      clock.id,
    );
    // R-EMG-1's letter to the person, the second journey's, beside the first journey's letters
    expect((correspondence.body.letters as { letter: string }[]).map((l) => l.letter)).toContain(
      'fullerAssessmentNotice',
    );
  });

  it(`R-REF-4: the first journey's rows are intact and distinct from the second's (${kind})`, async () => {
    const first = firstRoads.get(kind)!;
    const second = secondRoads.get(kind)!;
    await eventually(async () => {
      const record = await store.store.personRecord(personId);
      const ids = record.entries.filter((e) => e.kind === 'event').map((e) => e.recordId);
      // every accepted event of both journeys: the first's under their own ids, the second's marked
      for (const e of first.filter((e) => e.actor.role !== 'system')) expect(ids).toContain(e.eventId);
      for (const e of second) expect(ids).toContain(`j2:${e.eventId}`);
      // in order: the whole first journey, then the second
      const firstAt = ids.findIndex((id) => id.startsWith('j2:'));
      expect(ids.slice(firstAt).every((id) => id.startsWith('j2:'))).toBe(true);
    });
    const record = await store.store.personRecord(personId);
    const firstDeadlines = record.deadlines.filter((d) => !d.id.startsWith('j2-'));
    const secondDeadlines = record.deadlines.filter((d) => d.id.startsWith('j2-'));
    // the first journey's clocks as they ended (none open), the second's open
    for (const d of firstDeadlines)
      expect(['met', 'metLate', 'cancelled', 'takenEffect']).toContain(d.status);
    expect(secondDeadlines.map((d) => d.kind)).toContain('emergencyAssessmentStart');
    // the first journey's notices (its own overdue clocks, recorded late) keep their ids
    for (const n of record.notices) {
      expect(n.notificationId.startsWith(`${personId}:${n.deadlineId}:`)).toBe(true);
    }
    if (kind === 'withdrawn') {
      // an emergency too: its clock of the same kind and number was escalated, and both escalations stand
      const second = secondDeadlines.find((d) => d.kind === 'emergencyAssessmentStart')!;
      const own = second.id.replace(/^j2-/, '');
      const escalated = record.notices.filter((n) => n.kind === 'escalation').map((n) => n.notificationId);
      expect(escalated).toEqual(
        expect.arrayContaining([`${personId}:${own}:escalation-1`, `${personId}:${second.id}:escalation-1`]),
      );
    }
  });
});

test('R-REF-4: every second journey is on the worktray and in the overdue report', async () => {
  const browser = await signedIn(api.app);
  await eventually(async () => {
    const worktray = await browser.get('/worktray?team=east');
    expect(worktray.statusCode).toBe(200);
    const overdue = overdueSection(worktray.body);
    for (const kind of living) expect(overdue).toContain(`data-person="${person(kind)}"`);
  });
  const report = await api.call('GET', '/reports/overdue', { role: 'manager' });
  expect(report.status).toBe(200);
  const byTeam = report.body.byTeam as { team: string; count: number }[];
  expect(byTeam.find((t) => t.team === 'east')?.count).toBe(living.length);
  const byKind = report.body.byKind as { kind: string; count: number; oldest: { personId: string } }[];
  const emergency = byKind.find((k) => k.kind === 'emergencyAssessmentStart');
  expect(emergency?.count).toBe(living.length);
  expect(living.map(person)).toContain(emergency?.oldest.personId);
});

test('R-DTH-1: a person whose journey closed on their death is not referred again: refused, nothing opened', async () => {
  const personId = person('died');
  const answer = reReferred.get('died')!;
  expect(answer.status).toBe(409);
  const reasons = answer.body.reasons as { ruleId?: string; field?: string; message: string }[];
  expect(reasons).toEqual([
    expect.objectContaining({
      ruleId: 'R-DTH-1',
      field: 'personId',
      message: expect.stringContaining('death'),
    }),
  ]);
  const { view, timeline } = await detail(personId);
  expect(view.closed).toBe(true);
  expect(view.closure?.reason).toBe('died');
  expect(timeline.map((e) => e.eventId)).toEqual(firstRoads.get('died')!.map((e) => e.eventId));
  expect(await store.store.journey(personId)).toMatchObject({ closed: true, journeyNumber: 1 });
});
