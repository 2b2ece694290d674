import type { JourneyEvent } from '../../machines/events';
import { forgetClosedBefore, forgottenPerson } from '../../store/retention';
import { ev, referral } from '../support/journeyEvents';
import { emergencyEvents, entriesOf } from './journeyEntries';
import { backends, openTestStore, type TestStore } from './storeKit';

/**
 * Retention (issue 12): the records of journeys closed before the council's cut-off are removed
 * whole, each person written in the destruction log; a dry run removes nothing; open journeys and
 * journeys closed after the cut-off are untouched; the record of who looked stays.
 */

/** Information and advice only: the journey closes at the triage (R-TRI). */
const adviceOnly = (at: string) => [
  referral(at),
  ev('UNIVERSAL_OFFER_GIVEN', at, { informationAndAdvice: ['Leaflet'], signposting: [], prevention: [] }),
  ev('TRIAGED', at, { route: 'informationAndAdvice', reason: 'Advice meets the need' }),
];

const rowsOf = async (t: TestStore, personId: string) => {
  const counts: Record<string, number> = {};
  for (const table of ['case_records', 'deadlines', 'letters', 'journeys', 'access_log']) {
    const { rows } = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${table} WHERE person_id = $1`,
      [personId],
    );
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
};

describe.each(backends)('retention (%s)', (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
    const people: [string, JourneyEvent[]][] = [
      ['ret-old', adviceOnly('2016-03-01T10:00:00+00:00')],
      // closed on the cut-off's own day, in summer time: after the day began in London
      ['ret-edge', adviceOnly('2018-06-01T00:30:00+01:00')],
      ['ret-recent', adviceOnly('2025-03-01T10:00:00Z')],
      ['ret-open', emergencyEvents('2016-03-02T12:00:00.000Z')],
    ];
    for (const [personId, events] of people) {
      for (const entry of entriesOf(personId, events).entries) await t.store.recordCaseEvent(entry);
    }
    await t.db.query(
      `INSERT INTO access_log (person_id, at, user_id, role, via, action, route, status)
       VALUES ('ret-old', '2016-03-02T09:00:00Z', 'ann', 'practitioner', 'token', 'read', 'GET /journeys/:personId', 200)`,
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('a dry run says who would go and removes nothing', async () => {
    const before = await rowsOf(t, 'ret-old');
    const answer = await forgetClosedBefore(t.db, {
      closedBefore: new Date('2018-05-31T23:00:00.000Z'), // 1 June 2018 began in London
      by: 'records.manager',
      dryRun: true,
    });
    expect(answer.people.map((p) => p.personId)).toEqual(['ret-old']);
    expect(answer.people[0]?.removed).toMatchObject({ journeys: 1, case_records: before.case_records });
    expect(before.case_records).toBeGreaterThan(0);
    expect(await rowsOf(t, 'ret-old')).toEqual(before);
    expect(await forgottenPerson(t.db, 'ret-old')).toBeUndefined();
  });

  it('removes the whole record of journeys closed before the cut-off, and logs each, keeping who looked', async () => {
    const answer = await forgetClosedBefore(t.db, {
      closedBefore: new Date('2018-06-01T00:00:00.000Z'), // after ret-edge closed (23:30 UTC the day before)
      by: 'records.manager',
      dryRun: false,
      limit: 1,
    });
    // one at a time: the oldest first, and it says there are more
    expect(answer.people.map((p) => p.personId)).toEqual(['ret-old']);
    expect(answer.more).toBe(true);
    const again = await forgetClosedBefore(t.db, {
      closedBefore: new Date('2018-06-01T00:00:00.000Z'),
      by: 'records.manager',
      dryRun: false,
    });
    expect(again).toMatchObject({
      more: false,
      people: [{ personId: 'ret-edge', closedAt: '2018-05-31T23:30:00.000Z' }],
    });
    for (const personId of ['ret-old', 'ret-edge']) {
      const left = await rowsOf(t, personId);
      expect({ personId, ...left, access_log: 0 }).toEqual({
        personId,
        case_records: 0,
        deadlines: 0,
        letters: 0,
        journeys: 0,
        access_log: 0,
      });
      expect(await forgottenPerson(t.db, personId)).toMatchObject({
        personId,
        forgottenBy: 'records.manager',
      });
    }
    expect((await rowsOf(t, 'ret-old')).access_log).toBe(1);
    // the open journey (older than the cut-off) and the recent closure are untouched
    expect((await t.store.journey('ret-open'))?.closed).toBe(false);
    expect((await t.store.journey('ret-recent'))?.closed).toBe(true);
    expect((await t.store.personRecord('ret-recent')).timeline.length).toBeGreaterThan(0);
  });
});
